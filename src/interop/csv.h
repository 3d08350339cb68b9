// CSV (RFC 4180) reading and writing for imports and exports of registry records.
//
// Reading: a header row of field names, then one record per row; quoted fields may
// hold commas, quotes ("") and line breaks. Every problem names its line and column.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "core/schema.h"
#include "service/registry_service.h"

namespace stream::interop {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> cells;
};

// Splits `text` into rows. Errors: an unterminated quote, a quote inside an unquoted
// field, a row with a different number of cells from the header (line:column).
Result<std::vector<CsvRow>> ParseCsv(std::string_view text);

// Maps parsed rows onto `kind`: the header must name fields of the kind (and, for
// clinical kinds, a `patient` column with the pseudonym); unknown columns are errors.
// Cell values are parsed by type; every error found is returned, not only the first.
struct CsvImport {
  service::ImportBatch batch;
  std::vector<Error> errors;
};
Result<CsvImport> CsvToBatch(const KindSpec& kind, std::string_view text);

// Header row plus one row per record; clinical kinds get a leading `patient` column
// with the pseudonym from `pseudonyms` (indexed like `records`). The fields named in
// `left_out` (those the reader may not see) get no column.
std::string RecordsToCsv(const KindSpec& kind, const std::vector<Record>& records,
                         const std::vector<std::string>& pseudonyms,
                         std::span<const std::string_view> left_out = {});

// Quotes a cell when it needs it.
std::string CsvCell(std::string_view value);

}  // namespace stream::interop
