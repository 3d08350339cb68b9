// stream api openapi | reference
// The API's description generated from the route table: OpenAPI 3 JSON (docs/openapi.json)
// or the Markdown reference (docs/api.md). Tests fail when the committed files differ.
#include <iostream>

#include "app/serve_command.h"
#include "http/openapi.h"
#include "http/router.h"

namespace stream::app {

void AddApiCommand(CLI::App& app) {
  auto* api = app.add_subcommand("api", "The HTTP API's description, generated from its routes");
  api->require_subcommand(1);
  api->add_subcommand("openapi", "OpenAPI 3 description (JSON)")->callback([] {
    std::cout << http::OpenApiDocument(http::AllRoutes()).dump(2) << "\n";
  });
  api->add_subcommand("reference", "Markdown reference of every route")->callback([] {
    std::cout << http::ApiReferenceMarkdown(http::AllRoutes());
  });
}

}  // namespace stream::app
