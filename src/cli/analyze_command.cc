// stream analyze <km|logrank|rate|samplesize> …: statistics on a CSV data set or on
// design inputs, no database needed. Shared input/output handling lives in
// analysis_input.h and analysis_output.h.
#include "cli/analyze_subcommands.h"
#include "cli/commands.h"

namespace stream::cli {

void AddAnalyzeCommand(CLI::App& app, CliContext& /*ctx*/, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "analyze", "Survival and trial statistics on a CSV data set (validated against R)");
  cmd->require_subcommand(1);
  AddAnalyzeKm(*cmd, exit_code);
  AddAnalyzeLogRank(*cmd, exit_code);
  AddAnalyzeRate(*cmd, exit_code);
  AddAnalyzeSampleSize(*cmd, exit_code);
}

}  // namespace stream::cli
