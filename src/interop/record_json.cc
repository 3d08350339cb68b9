#include "interop/record_json.h"

#include <algorithm>

#include "core/validation.h"

namespace stream::interop {
namespace {

Error At(const std::string& field, std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), "/" + field);
}

Result<Value> FromJson(const FieldSpec& field, const nlohmann::json& j) {
  const std::string name(field.name);
  if (j.is_null()) return Value{};
  switch (field.type) {
    case FieldType::kInteger:
      if (j.is_number_integer()) return Value{j.get<int64_t>()};
      return At(name, "expected a whole number");
    case FieldType::kNumber:
      if (j.is_number()) return Value{j.get<double>()};
      return At(name, "expected a number");
    case FieldType::kBoolean:
      if (j.is_boolean()) return Value{j.get<bool>()};
      return At(name, "expected true or false");
    case FieldType::kCodeSet: {
      if (j.is_string()) break;  // "a;b" is accepted as in CSV
      if (!j.is_array()) return At(name, "expected an array of codes");
      CodeSet set;
      for (const auto& item : j) {
        if (!item.is_string()) return At(name, "expected an array of codes (strings)");
        set.push_back(item.get<std::string>());
      }
      return Value{std::move(set)};
    }
    case FieldType::kDate:
    case FieldType::kText:
    case FieldType::kCode:
      if (!j.is_string()) return At(name, "expected a string");
      break;
  }
  auto parsed = ParseValue(field, j.get<std::string>());
  if (!parsed.ok()) return At(name, parsed.error().message);
  return parsed;
}

}  // namespace

Result<JsonRecord> ReadJsonRecord(const KindSpec& kind, const nlohmann::json& object,
                                  const std::vector<std::string>& ignored) {
  if (!object.is_object()) return Fail(ErrorCode::kInvalidArgument, "expected a JSON object", "/");
  JsonRecord out;
  for (const auto& [key, value] : object.items()) {
    if (!kind.FindField(key) && std::find(ignored.begin(), ignored.end(), key) == ignored.end()) {
      out.unknown.push_back(At(key, "unknown field for " + std::string(kind.name)));
    }
  }
  out.fields.reserve(kind.fields.size());
  for (const auto& field : kind.fields) {
    auto it = object.find(std::string(field.name));
    out.fields.push_back(it == object.end() ? Result<Value>(Value{}) : FromJson(field, *it));
  }
  return out;
}

Result<std::vector<Value>> ValuesFromJson(const KindSpec& kind, const nlohmann::json& object,
                                          const std::vector<std::string>& ignored) {
  STREAM_ASSIGN_OR_RETURN(auto read, ReadJsonRecord(kind, object, ignored));
  if (!read.unknown.empty()) return read.unknown.front();
  std::vector<Value> values;
  values.reserve(read.fields.size());
  for (auto& field : read.fields) {
    if (!field.ok()) return field.error();
    values.push_back(std::move(field).value());
  }
  return values;
}

nlohmann::json RecordToJson(const KindSpec& kind, const Record& record) {
  nlohmann::json j = nlohmann::json::object();
  j["id"] = record.id;
  if (&kind != &PatientKind()) j["patient_id"] = record.patient_id;
  j["version"] = record.version;
  if (record.deleted) j["deleted"] = true;
  for (size_t i = 0; i < kind.fields.size() && i < record.values.size(); ++i) {
    if (record.Withheld(i)) continue;  // not shown to this reader: left out, never null
    const Value& v = record.values[i];
    const std::string name(kind.fields[i].name);
    if (IsNull(v)) {
      j[name] = nullptr;
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      j[name] = *n;
    } else if (const auto* d = std::get_if<double>(&v)) {
      j[name] = *d;
    } else if (const auto* b = std::get_if<bool>(&v)) {
      j[name] = *b;
    } else if (const auto* set = std::get_if<CodeSet>(&v)) {
      j[name] = *set;
    } else {
      j[name] = ToText(v);
    }
  }
  return j;
}

}  // namespace stream::interop
