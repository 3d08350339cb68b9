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

// Values in field order from a JSON object. `ignored` names members that belong to
// the envelope (e.g. "patient", "id", "version") rather than to the record.
Result<std::vector<Value>> ValuesFromJson(const KindSpec& kind, const nlohmann::json& object,
                                          const std::vector<std::string>& ignored = {});

// {"id":…, "patient_id":…, "version":…, <fields>…}; patient rows have no patient_id.
nlohmann::json RecordToJson(const KindSpec& kind, const Record& record);

}  // namespace stream::interop
