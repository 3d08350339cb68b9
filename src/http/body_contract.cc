#include "http/body_contract.h"

#include <string_view>

namespace stream::http {
namespace {

using nlohmann::json;

// The schema `s` stands for, following one `$ref` into components/schemas.
const json& Resolve(const json& s, const json& schemas) {
  if (s.contains("$ref")) {
    const std::string ref = s["$ref"];
    const std::string name = ref.substr(ref.rfind('/') + 1);
    if (schemas.contains(name)) return schemas[name];
  }
  return s;
}

bool HasType(const json& value, std::string_view type) {
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  return true;
}

std::string Article(std::string_view type) {
  return type == "integer" || type == "array" || type == "object" ? "an " : "a ";
}

Status CheckMember(const std::string& name, const json& value, const json& declared) {
  if (value.is_null()) {
    if (declared.value("nullable", false)) return Ok();
    return Fail(ErrorCode::kInvalidArgument, "may not be null", name);
  }
  const std::string type = declared.value("type", "");
  if (!type.empty() && !HasType(value, type)) {
    return Fail(ErrorCode::kInvalidArgument, "must be " + Article(type) + type, name);
  }
  if (declared.contains("enum") && value.is_string()) {
    for (const auto& allowed : declared["enum"]) {
      if (allowed == value) return Ok();
    }
    std::string list;
    for (const auto& allowed : declared["enum"]) {
      list += (list.empty() ? "" : ", ") + allowed.get<std::string>();
    }
    return Fail(ErrorCode::kInvalidArgument, "must be one of " + list, name);
  }
  return Ok();
}

}  // namespace

Status CheckBody(const json& body, const json& schemas, const std::string& name) {
  if (body.is_null()) {
    return Fail(ErrorCode::kInvalidArgument, "a JSON body is required (" + name + ")", "body");
  }
  const auto found = schemas.find(name);
  if (found == schemas.end())  // a route naming a schema the document lacks: a bug
    return Fail(ErrorCode::kInternal, "the request body schema " + name + " is not described");
  const json& schema = *found;
  if (schema.value("type", "") != "object") return Ok();
  if (!body.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "must be a JSON object (" + name + ")", "body");
  }
  static const json kNoMembers = json::object();
  static const json kNoneRequired = json::array();
  const auto listed = schema.find("properties");
  const json& properties = listed == schema.end() ? kNoMembers : *listed;
  const bool open =
      schema.contains("additionalProperties") && schema["additionalProperties"] != json(false);
  if (!open) {
    for (const auto& [member, value] : body.items()) {
      if (!properties.contains(member)) {
        return Fail(ErrorCode::kInvalidArgument, "is not a member of " + name, member);
      }
    }
  }
  const auto required = schema.find("required");
  for (const auto& member : required == schema.end() ? kNoneRequired : *required) {
    const std::string& m = member.get_ref<const std::string&>();
    if (!body.contains(m) || body[m].is_null()) {
      return Fail(ErrorCode::kInvalidArgument, "is required", m);
    }
  }
  for (const auto& [member, value] : body.items()) {
    if (!properties.contains(member)) continue;
    STREAM_RETURN_IF_ERROR(CheckMember(member, value, Resolve(properties.at(member), schemas)));
  }
  return Ok();
}

}  // namespace stream::http
