// stream analyze cif: cumulative incidence of each cause by group with cmprsk's variance,
// and Gray's test between groups (R: cmprsk::cuminc, timepoints).
#include "cli/analysis_input.h"
#include "cli/analysis_model.h"
#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "stats/cumulative_incidence.h"

namespace stream::cli {
namespace {

struct CifArgs {
  std::string input;
  std::string time = "time";
  std::string status = "status";
  std::string group;
  std::string strata;
  int censor_code = 0;
  std::string times;
  OutputOptions output;
};

int Run(CifArgs& args) {
  auto table = AnalysisTable::Read(args.input);
  if (!table.ok()) return AnalysisFailed(table.error());
  std::vector<std::string> used = {args.time, args.status};
  if (!args.group.empty()) used.push_back(args.group);
  if (!args.strata.empty()) used.push_back(args.strata);
  auto complete = table->Complete(used);
  if (!complete.ok()) return AnalysisFailed(complete.error());
  auto time = table->Numbers(args.time, complete->rows);
  if (!time.ok()) return AnalysisFailed(time.error());
  if (Status s = CheckTimes(*table, args.time, complete->rows, *time); !s.ok())
    return AnalysisFailed(s.error());
  auto cause = CauseCodes(*table, args.status, complete->rows);
  if (!cause.ok()) return AnalysisFailed(cause.error());
  std::vector<int> group(time->size(), 0), stratum;
  stats::CumincOptions options;
  options.censor_code = args.censor_code;
  if (!args.group.empty()) {
    auto factor =
        table->Factorize(args.group, complete->rows,
                         table->MetaLevels(args.group).value_or(std::vector<std::string>{}));
    if (!factor.ok()) return AnalysisFailed(factor.error());
    group = factor->codes;
    options.group_labels = factor->levels;
  }
  if (!args.strata.empty()) {
    auto factor = table->Factorize(args.strata, complete->rows);
    if (!factor.ok()) return AnalysisFailed(factor.error());
    stratum = factor->codes;
  }
  auto times = ParseNumberList("--times", args.times);
  if (!times.ok()) return AnalysisFailed(times.error());
  auto result = stats::CumulativeIncidence(*time, *cause, group, stratum, options);
  if (!result.ok()) return AnalysisFailed(result.error());
  const auto& r = *result;
  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> {
    Json curves = Json::array();
    for (const auto& c : r.curves) {
      curves.push_back({{"name", c.name},
                        {"cause", c.cause},
                        {"raw",
                         {{"time", JsonNumbers(c.raw_time)},
                          {"est", JsonNumbers(c.raw_est)},
                          {"var", JsonNumbers(c.raw_var)}}},
                        {"step",
                         {{"time", JsonNumbers(c.time)},
                          {"est", JsonNumbers(c.est)},
                          {"var", JsonNumbers(c.var)}}}});
    }
    Json tests = Json::array();
    for (const auto& t : r.tests)
      tests.push_back(
          {{"cause", t.cause}, {"stat", JsonNumber(t.stat)}, {"df", t.df}, {"p", JsonNumber(t.p)}});
    Json out = {{"type", "cuminc"},
                {"input", args.input},
                {"n", static_cast<int64_t>(time->size())},
                {"n_dropped_missing", complete->dropped},
                {"curves", curves},
                {"gray_test", tests}};
    if (!times->empty()) {
      const auto tp = stats::Timepoints(r, *times);
      Json est = Json::array(), var = Json::array();
      for (const auto& row : tp.est) est.push_back(JsonNumbers(row));
      for (const auto& row : tp.var) var.push_back(JsonNumbers(row));
      out["timepoints"] = {{"times", JsonNumbers(tp.times)}, {"est", est}, {"var", var}};
    }
    return JsonText(out);
  };
  renderers.csv = [&]() -> Result<std::string> {
    CsvTable csv({"curve", "cause", "time", "est", "var"});
    for (const auto& c : r.curves) {
      for (size_t i = 0; i < c.time.size(); ++i) {
        csv.AddRow({c.name, std::to_string(c.cause), CsvNumber(c.time[i]), CsvNumber(c.est[i]),
                    CsvNumber(c.var[i])});
      }
    }
    return csv.text();
  };
  return EmitAnalysis(args.output, renderers);
}

}  // namespace

void AddAnalyzeCif(CLI::App& analyze, int& exit_code) {
  auto args = std::make_shared<CifArgs>();
  auto* cmd = analyze.add_subcommand(
      "cif", "Cumulative incidence with competing risks, Gray's test (R: cmprsk::cuminc)");
  cmd->add_option("--input", args->input, "CSV file with a header row (- for stdin)")->required();
  cmd->add_option("--time", args->time, "Follow-up time column")->capture_default_str();
  cmd->add_option("--status", args->status,
                  "Status column: censor code, or the cause of the event (1, 2, …)")
      ->capture_default_str();
  cmd->add_option("--group", args->group, "Compare the groups of this column (Gray's test)");
  cmd->add_option("--strata", args->strata, "Stratify Gray's test by this column");
  cmd->add_option("--censor-code", args->censor_code, "Status code of censored rows")
      ->capture_default_str();
  cmd->add_option("--times", args->times,
                  "Estimates at these times, comma-separated (cmprsk::timepoints)");
  AddOutputOptions(cmd, args->output, /*svg=*/false);
  cmd->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stream::cli
