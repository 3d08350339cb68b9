// libFuzzer target: any byte string given to ParseStrictJson (API bodies, command-line
// JSON) must yield a document or an invalid_argument error naming where, never a crash,
// hang, uncaught exception or sanitizer report; an accepted document has no object with a
// key twice and survives a round trip through its own text unchanged.
//   build/dev/bin/json_body_fuzz -max_total_time=20 tests/fuzz/corpus/json
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "interop/strict_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = stream::interop::ParseStrictJson(text, 32, "body");
  if (!parsed.ok()) {
    if (parsed.error().code != stream::ErrorCode::kInvalidArgument) std::abort();
    if (parsed.error().where != "body") std::abort();
    return 0;
  }
  auto again = stream::interop::ParseStrictJson(parsed->dump(), 32, "body");
  if (!again.ok() || *again != *parsed) std::abort();
  return 0;
}
