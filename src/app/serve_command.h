// stream serve: the HTTP server over the registry in --data. Lives in app because it
// joins the http layer to the store, which only the composition root may do.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.h"

namespace stream::app {

void AddServeCommand(CLI::App& app, cli::CliContext& ctx, int& exit_code);
// stream api openapi|reference (app/api_command.cc).
void AddApiCommand(CLI::App& app);

}  // namespace stream::app
