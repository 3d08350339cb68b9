// The component schemas of the OpenAPI description (docs/openapi.json): every answer and
// request body the routes name, with the small builders they are written with. The
// document itself (paths, responses, examples) is assembled in openapi.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace stream::http::openapi {

using json = nlohmann::json;

inline json Str(const char* description = "") {
  json s = {{"type", "string"}};
  if (*description) s["description"] = description;
  return s;
}
inline json Int(const char* description = "") {
  json s = {{"type", "integer"}, {"format", "int64"}};
  if (*description) s["description"] = description;
  return s;
}
inline json Bool() { return {{"type", "boolean"}}; }
inline json Num(const char* description = "") {
  json s = {{"type", "number"}};
  if (*description) s["description"] = description;
  return s;
}
inline json Nullable(json schema) {
  schema["nullable"] = true;
  return schema;
}
inline json Obj(json properties, std::vector<std::string> required = {},
                const char* description = "") {
  json s = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) s["required"] = required;
  if (*description) s["description"] = description;
  return s;
}
inline json Enum(const std::vector<std::string>& values, const char* description) {
  return {{"type", "string"}, {"enum", values}, {"description", description}};
}
inline json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }
inline json ArrayOf(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
inline json Items(const std::string& name) { return Obj({{"items", ArrayOf(Ref(name))}}); }

// Every schema of components/schemas, before openapi.cc completes them (required members,
// examples).
json ComponentSchemas();

}  // namespace stream::http::openapi
