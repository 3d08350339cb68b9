// stream backup --to PATH and stream restore --from PATH: in app because they need the
// concrete storage backends (see app/backup.h for what they do and check).
#pragma once

#include <CLI/CLI.hpp>

#include "app/config.h"
#include "cli/cli_context.h"

namespace stream::app {

// `config` is read when the command runs (after the configuration file was loaded).
void AddBackupCommands(CLI::App& app, cli::CliContext& ctx, const Config& config, int& exit_code);

}  // namespace stream::app
