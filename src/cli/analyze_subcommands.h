// The subcommands of `stream analyze`, one file each (analyze_<name>.cc); wired by
// AddAnalyzeCommand (analyze_command.cc). Each stores its exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.h"

namespace stream::cli {

void AddAnalyzeKm(CLI::App& analyze, int& exit_code);
void AddAnalyzeLogRank(CLI::App& analyze, int& exit_code);
void AddAnalyzeRate(CLI::App& analyze, int& exit_code);
void AddAnalyzeSampleSize(CLI::App& analyze, int& exit_code);
void AddAnalyzeSimulate(CLI::App& analyze, int& exit_code);
void AddAnalyzeCox(CLI::App& analyze, int& exit_code);
void AddAnalyzeCif(CLI::App& analyze, int& exit_code);
void AddAnalyzeCrr(CLI::App& analyze, int& exit_code);
// Needs the registry (the --data folder) and the protocols.
void AddAnalyzeEndpoint(CLI::App& analyze, CliContext& ctx, int& exit_code);

}  // namespace stream::cli
