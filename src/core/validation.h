// Turning text into typed values and checking records against the data model.
//
// Pure functions: no storage is consulted. Checks that need the rest of a patient's
// history (death before diagnosis, …) live in the service layer.
#pragma once

#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "core/schema.h"

namespace stream {

// Parses the text form of a value (CSV cells, query strings, JSON strings). Empty text
// is null. The error's `where` is the field name.
Result<Value> ParseValue(const FieldSpec& field, std::string_view text);

// Checks one value against its field: type, bounds, closed code list, text format.
// Null passes here; required-ness is checked by ValidateRecord.
Status CheckValue(const FieldSpec& field, const Value& value);

// Every problem of a record, each naming its field: missing required values, wrong
// types, out-of-range values, unknown codes, and dates out of order within the record
// (an end before its start). Empty when the record is valid.
std::vector<Error> ValidateRecord(const KindSpec& kind, const std::vector<Value>& values);

}  // namespace stream
