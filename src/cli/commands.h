// The command tree of the stream program, one file per command.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.h"

namespace stream::cli {

// Each adds one command (and its subcommands) to `app`; the command's callback stores
// its exit code in `exit_code`.
void AddInitCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddSiteCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddPatientCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddRecordCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddImportCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddExportCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddAuditCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddDemoCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddSchemaCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddProtocolCommands(CLI::App& app, CliContext& ctx, int& exit_code);  // protocol, screen
void AddEnrolCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddRandomisationCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddUnblindCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddAnalyzeCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddUserCommand(CLI::App& app, CliContext& ctx, int& exit_code);
void AddInstrumentCommand(CLI::App& app, int& exit_code);

// The data-model reference in Markdown (what `stream schema markdown` prints).
std::string DataModelMarkdown();

}  // namespace stream::cli
