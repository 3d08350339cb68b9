// libFuzzer target: any byte string given to ParseConfig must yield a Config or an error
// naming the file and a position, never a crash, hang, uncaught exception or sanitizer
// report; a parsed configuration keeps the documented invariants (TLS both or neither,
// values in range).
//   build/fuzz/bin/config_fuzz -max_total_time=20 tests/fuzz/corpus/config
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "app/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = stream::app::ParseConfig(text, "fuzz.yaml");
  if (!c.ok()) {
    if (c.error().where.rfind("fuzz.yaml:", 0) != 0) std::abort();
    return 0;
  }
  if (c->server.tls_certificate.empty() != c->server.tls_private_key.empty()) std::abort();
  if (c->server.port < 0 || c->server.port > 65535) std::abort();
  if (c->postgresql.port < 1 || c->session_idle_minutes < 1 || c->session_absolute_hours < 1)
    std::abort();
  if (c->data.empty() || c->postgresql.app.user.empty()) std::abort();
  return 0;
}
