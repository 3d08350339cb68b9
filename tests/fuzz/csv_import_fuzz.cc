// libFuzzer target for the CSV reader and its mapping onto record kinds: arbitrary bytes
// must give rows or a positioned error, never a crash, hang or sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "interop/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rows = stream::interop::ParseCsv(text);
  if (rows.ok()) {
    for (const auto& row : *rows) {
      if (row.cells.size() != rows->front().cells.size()) __builtin_trap();
    }
  }
  (void)stream::interop::CsvToBatch(*stream::FindKind("variant"), text);
  (void)stream::interop::CsvToBatch(stream::PatientKind(), text);
  return 0;
}
