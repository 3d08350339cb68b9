// The API's description, generated from the route table (never written by hand):
// OpenAPI 3.0 served at /api/v1/openapi.json and committed as docs/openapi.json, and the
// Markdown reference docs/api.md. Tests fail when the committed copies differ.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/api.h"

namespace stream::http {

nlohmann::json OpenApiDocument(const std::vector<Route>& routes);
// The document's components/schemas (made once): the request bodies' schemas the router
// enforces (http/body_contract.h) and the responses' schemas.
const nlohmann::json& OpenApiSchemas();
std::string ApiReferenceMarkdown(const std::vector<Route>& routes);

}  // namespace stream::http
