// JSON <-> records of the data model (core/schema.h), for the CLI and the HTTP API.
//
// Field names are the data model's snake_case names. Dates are "YYYY-MM-DD" strings,
// code sets are arrays of strings, null is "not recorded". Unknown members are errors,
// each naming its JSON pointer (e.g. "/vaf").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "core/schema.h"

namespace stream::interop {

// A JSON object read field by field, for checking a form: each field's value (null
// when absent) or the error reading it (named by JSON pointer), and an error for each
// member that is neither a field of the kind nor in the envelope.
struct JsonRecord {
  std::vector<Result<Value>> fields;  // in field order
  std::vector<Error> unknown;
};
// Fails only when `object` is not a JSON object.
Result<JsonRecord> ReadJsonRecord(const KindSpec& kind, const nlohmann::json& object,
                                  const std::vector<std::string>& ignored = {});

// Values in field order from a JSON object; the first error of ReadJsonRecord. `ignored` names
// members that belong to the envelope (e.g. "patient", "id", "version") rather than to the record.
Result<std::vector<Value>> ValuesFromJson(const KindSpec& kind, const nlohmann::json& object,
                                          const std::vector<std::string>& ignored = {});

// {"id":…, "patient_id":…, "version":…, <fields>…}; patient rows have no patient_id.
// Fields withheld from the reader (Record::withheld) are left out.
nlohmann::json RecordToJson(const KindSpec& kind, const Record& record);

}  // namespace stream::interop
