// Turning text into typed values and checking records against the data model.
//
// Pure functions: no storage is consulted. Checks that need the rest of a patient's
// history (death before diagnosis, …) live in the service layer.
#pragma once

#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "core/schema.h"

namespace stream {

// Parses the text form of a value (CSV cells, query strings, JSON strings). Empty text
// is null. The error's `where` is the field name.
Result<Value> ParseValue(const FieldSpec& field, std::string_view text);

// The one gene-symbol check (records, criteria, imports): an HGNC-approved symbol's
// shape — starts with an upper-case letter or digit, then upper case, digits and '-',
// with "orf" kept lower case (C10orf54); at most 32 characters.
bool IsHgncSymbol(std::string_view s);

// Checks one value against its field: type, bounds, closed code list, text format.
// Null passes here; required-ness is checked by ValidateRecord.
Status CheckValue(const FieldSpec& field, const Value& value);

// Every problem of a record as entered, each naming its field: first each field on its
// own, in field order — why it could not be read (its Error, kept as given), else a
// missing required value, then CheckValue (type, bounds, code list, text format) — then
// the dates out of order within the record (a date before its field's `not_before`), then,
// for a performance status, a score off its scale (ECOG 0-5; Karnofsky and Lansky 0-100 in
// steps of 10; named "score"). Whether the scale suits the patient's age needs the
// patient: service/history_checks.h.
// Empty when the record is valid. Every path that stores a record goes through here, so
// a form's check (POST /records/{kind}/validation) and the store agree.
// Precondition: one input per field of `kind` (else one kInternal error).
std::vector<Error> FieldErrors(const KindSpec& kind, const std::vector<Result<Value>>& fields);

// FieldErrors of a record whose every value was read.
std::vector<Error> ValidateRecord(const KindSpec& kind, const std::vector<Value>& values);

// Questionnaire answers written "1=2;2=1;30=6" (item number = answer, items in any order,
// each once; an item not answered is left out; "" is no answer at all). nullopt when the
// text is not of that form: a missing '=', a number that is not a whole number ≥ 1 (item)
// or ≥ 0 (answer), an item given twice, a blank between the parts.
std::optional<std::map<int, int>> ParseItemAnswers(std::string_view text);

}  // namespace stream
