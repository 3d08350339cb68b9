// The request body rules every route shares, read from the OpenAPI schema the route
// declares for its body (so the document and the server cannot disagree): a body is
// required, it is a JSON object, it has no member the schema does not name, its required
// members are present and not null, and each member has the declared JSON type and, for a
// closed list, one of its values. Errors name the member (`where`).
//
// Internal to src/http. Thread-safe (pure).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"

namespace stream::http {

// `schemas` is the document's components/schemas; `name` the route's body schema.
Status CheckBody(const nlohmann::json& body, const nlohmann::json& schemas,
                 const std::string& name);

}  // namespace stream::http
