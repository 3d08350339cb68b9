// stream analyze <km|logrank|cox|cif|crr|rate|samplesize|simulate|endpoint> …: statistics on a CSV
// data set, on design inputs, or (endpoint) on the registry. Shared input/output handling
// lives in analysis_input.h, analysis_output.h and analysis_model.h.
#include "cli/analyze_subcommands.h"
#include "cli/commands.h"

namespace stream::cli {

void AddAnalyzeCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "analyze", "Survival and trial statistics on a CSV data set (validated against R)");
  cmd->require_subcommand(1);
  AddAnalyzeKm(*cmd, exit_code);
  AddAnalyzeLogRank(*cmd, exit_code);
  AddAnalyzeRate(*cmd, exit_code);
  AddAnalyzeSampleSize(*cmd, exit_code);
  AddAnalyzeSimulate(*cmd, exit_code);
  AddAnalyzeCox(*cmd, exit_code);
  AddAnalyzeCif(*cmd, exit_code);
  AddAnalyzeCrr(*cmd, exit_code);
  AddAnalyzeEndpoint(*cmd, ctx, exit_code);
}

}  // namespace stream::cli
