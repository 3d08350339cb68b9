// stream analyze logrank: k-sample log-rank / Fleming–Harrington G(rho) test, optionally
// stratified (R's survdiff).
#include "cli/analysis_input.h"
#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "stats/log_rank.h"

namespace stream::cli {
namespace {

struct LogRankArgs {
  std::string input;
  SurvivalColumns columns;
  std::string group_levels;
  double rho = 0;
  OutputOptions output;
};

Json Matrix(const std::vector<std::vector<double>>& rows) {
  auto m = Json::array();
  for (const auto& row : rows) m.push_back(JsonNumbers(row));
  return m;
}

std::string RenderJson(const LogRankArgs& args, const SurvivalInput& input,
                       const stats::LogRankResult& r) {
  Json out = {{"type", "survdiff"},
              {"input", args.input},
              {"time", args.columns.time},
              {"event", args.columns.event},
              {"group", args.columns.group},
              {"n", input.n},
              {"n_dropped_missing", input.n_dropped_missing},
              {"rho", r.rho},
              {"groups", r.groups},
              {"n_per_group", JsonCounts(r.n)},
              {"observed", JsonNumbers(r.observed)},
              {"expected", JsonNumbers(r.expected)},
              {"o_minus_e_sq_over_e", JsonNumbers(r.o_minus_e_sq_over_e)},
              {"o_minus_e_sq_over_v", JsonNumbers(r.o_minus_e_sq_over_v)},
              {"var", Matrix(r.var)},
              {"chisq", JsonNumber(r.chisq)},
              {"df", r.df},
              {"p", JsonNumber(r.p)}};
  if (!r.strata.empty()) {
    out["strata_column"] = args.columns.strata;
    out["strata"] = r.strata;
    out["strata_n"] = JsonCounts(r.strata_n);
    out["observed_by_stratum"] = Matrix(r.observed_by_stratum);
    out["expected_by_stratum"] = Matrix(r.expected_by_stratum);
  }
  return JsonText(out);
}

// One row per group; the test statistic is repeated on each row.
std::string RenderCsv(const stats::LogRankResult& r) {
  CsvTable table({"group", "n", "observed", "expected", "o_minus_e_sq_over_e",
                  "o_minus_e_sq_over_v", "chisq", "df", "p", "rho"});
  for (size_t g = 0; g < r.groups.size(); ++g) {
    table.AddRow({r.groups[g], std::to_string(r.n[g]), CsvNumber(r.observed[g]),
                  CsvNumber(r.expected[g]), CsvNumber(r.o_minus_e_sq_over_e[g]),
                  CsvNumber(r.o_minus_e_sq_over_v[g]), CsvNumber(r.chisq), std::to_string(r.df),
                  CsvNumber(r.p), CsvNumber(r.rho)});
  }
  return table.text();
}

int Run(LogRankArgs& args) {
  args.columns.group_levels = SplitList(args.group_levels);
  auto table = AnalysisTable::Read(args.input);
  if (!table.ok()) return AnalysisFailed(table.error());
  auto input = ReadSurvivalInput(*table, args.columns);
  if (!input.ok()) return AnalysisFailed(input.error());
  auto result = stats::LogRank(input->data, stats::LogRankOptions{args.rho});
  if (!result.ok()) return AnalysisFailed(result.error());
  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> { return RenderJson(args, *input, *result); };
  renderers.csv = [&]() -> Result<std::string> { return RenderCsv(*result); };
  return EmitAnalysis(args.output, renderers);
}

}  // namespace

void AddAnalyzeLogRank(CLI::App& analyze, int& exit_code) {
  auto args = std::make_shared<LogRankArgs>();
  auto* cmd = analyze.add_subcommand(
      "logrank", "Log-rank (rho = 0) or Peto–Peto (rho = 1) test between groups (R: survdiff)");
  cmd->add_option("--input", args->input, "CSV file with a header row (- for stdin)")->required();
  AddSurvivalColumnOptions(cmd, args->columns, args->group_levels);
  cmd->get_option("--group")->required();
  cmd->add_option("--rho", args->rho, "Weight S(t-)^rho: 0 log-rank, 1 Peto–Peto")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  AddOutputOptions(cmd, args->output, /*svg=*/false);
  cmd->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stream::cli
