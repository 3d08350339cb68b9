#include "http/openapi_records.h"

#include <cctype>
#include <vector>

#include "core/schema.h"
#include "service/access_policy.h"

namespace stream::http {
namespace {

using json = nlohmann::json;

json FieldSchema(const FieldSpec& f) {
  json s;
  switch (f.type) {
    case FieldType::kInteger:
      s = {{"type", "integer"}, {"format", "int64"}};
      break;
    case FieldType::kNumber:
      s = {{"type", "number"}};
      break;
    case FieldType::kDate:
      s = {{"type", "string"}, {"format", "date"}};
      break;
    case FieldType::kBoolean:
      s = {{"type", "boolean"}};
      break;
    case FieldType::kText:
      s = {{"type", "string"}};
      break;
    case FieldType::kCode:
    case FieldType::kCodeSet: {
      // A closed list is an enum; an open one (treatment_line.agents: drug names) is not.
      json code = {{"type", "string"}};
      if (!f.codes.empty()) code["enum"] = std::vector<std::string>(f.codes.begin(), f.codes.end());
      s = f.type == FieldType::kCode ? code : json{{"type", "array"}, {"items", code}};
      break;
    }
  }
  if (!f.codes.empty()) {
    std::vector<std::string> labels;
    for (auto c : f.codes) labels.emplace_back(CodeLabel(c));
    s["x-enum-descriptions"] = labels;  // the codes' labels, in the order of `enum`
  }
  if (f.min) s["minimum"] = *f.min;
  if (f.max) s["maximum"] = *f.max;
  std::string description(f.description);
  if (!f.unit.empty()) {
    description += " (" + std::string(f.unit) + ")";
    s["x-unit"] = f.unit;
  }
  if (f.format != TextFormat::kFree) {
    s["x-format"] = ToString(f.format);
    description += "; " + std::string(Describe(f.format));
  }
  if (!f.code_system.empty()) s["x-code-system"] = f.code_system;
  if (f.audience != Audience::kEveryReader) {
    // Left out of the record for every other role (service/field_visibility.h).
    const auto roles = service::RolesSeeing(f.audience);
    s["x-audience"] = ToString(f.audience);
    s["x-visible-to"] = roles;
    std::string names;
    for (const auto& r : roles) names += (names.empty() ? "" : ", ") + r;
    description += "; shown only to " + names;
  }
  s["description"] = description;
  if (!f.required) s["nullable"] = true;
  return s;
}

json KindSchema(const KindSpec& kind, bool clinical) {
  json properties = {{"id", {{"type", "integer"}, {"format", "int64"}}},
                     {"version", {{"type", "integer"}, {"format", "int64"}}},
                     {"deleted", {{"type", "boolean"}, {"description", "present when deleted"}}}};
  std::vector<std::string> required = {"id", "version"};
  if (clinical) {
    properties["patient_id"] = {{"type", "integer"}, {"format", "int64"}};
    required.emplace_back("patient_id");
  }
  for (const auto& f : kind.fields) {
    properties[std::string(f.name)] = FieldSchema(f);
    if (f.audience == Audience::kEveryReader) required.emplace_back(f.name);
  }
  return {
      {"type", "object"},
      {"description", std::string(kind.description) + " (record kind `" + std::string(kind.name) +
                          "`, table `" + std::string(kind.table) + "`)"},
      {"properties", std::move(properties)},
      {"required", std::move(required)}};
}

}  // namespace

std::string RecordSchemaName(std::string_view kind) {
  std::string name;
  bool upper = true;
  for (char c : kind) {
    if (c == '_') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return name + "Record";
}

json RecordKindSchemas() {
  json schemas = json::object();
  std::vector<std::string> names;
  schemas[RecordSchemaName(PatientKind().name)] = KindSchema(PatientKind(), false);
  json by_kind = json::object();
  for (const auto& kind : RecordKinds()) {
    names.emplace_back(kind.name);
    schemas[RecordSchemaName(kind.name)] = KindSchema(kind, true);
    by_kind[std::string(kind.name)] = {
        {"type", "array"},
        {"items", {{"$ref", "#/components/schemas/" + RecordSchemaName(kind.name)}}}};
  }
  schemas["RecordKind"] = {{"type", "string"},
                           {"description", "a clinical record kind (docs/data-model.md)"},
                           {"enum", names}};
  schemas["RecordsByKind"] = {
      {"type", "object"},
      {"description", "a patient's records, by kind: every kind, empty when none"},
      {"properties", std::move(by_kind)},
      {"required", names}};
  return schemas;
}

}  // namespace stream::http
