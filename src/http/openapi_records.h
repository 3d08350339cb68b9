// The OpenAPI schemas of the data model's record kinds, generated from the declarative
// schema (core/schema.h) so that the published contract, the browser's TypeScript types
// (web/scripts/openapi-types.mjs) and the database columns never restate a field by hand:
// `<Kind>Record` per kind (`PatientRecord`, `DiagnosisRecord`, …) with each field's type,
// code list (enum), bounds, unit and whether it may be null, and `RecordKind`, the enum of
// kind names. Every field is always present in an answer; a field that is not required is
// null when not recorded.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace stream::http {

// "acute_gvhd" -> "AcuteGvhdRecord".
std::string RecordSchemaName(std::string_view kind);

// Name -> schema, for components.schemas.
nlohmann::json RecordKindSchemas();

}  // namespace stream::http
