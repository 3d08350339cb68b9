// The subcommands of `stream analyze`, one file each (analyze_<name>.cc); wired by
// AddAnalyzeCommand (analyze_command.cc). Each stores its exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace stream::cli {

void AddAnalyzeKm(CLI::App& analyze, int& exit_code);
void AddAnalyzeLogRank(CLI::App& analyze, int& exit_code);
void AddAnalyzeRate(CLI::App& analyze, int& exit_code);
void AddAnalyzeSampleSize(CLI::App& analyze, int& exit_code);

}  // namespace stream::cli
