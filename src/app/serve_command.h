// stream serve: the HTTP server over the registry (--data, or the configuration file's
// storage). Lives in app because it joins the http layer to the store, which only the
// composition root may do.
#pragma once

#include <CLI/CLI.hpp>

#include "app/config.h"
#include "cli/cli_context.h"

namespace stream::app {

// `config` is read when the command runs (after the configuration file was loaded).
void AddServeCommand(CLI::App& app, cli::CliContext& ctx, const Config& config, int& exit_code);
// stream api openapi|reference (app/api_command.cc).
void AddApiCommand(CLI::App& app);

}  // namespace stream::app
