// stream analyze cif: cumulative incidence of each cause by group with cmprsk's variance,
// and Gray's test between groups (R: cmprsk::cuminc, timepoints).
#include <algorithm>
#include <cmath>

#include "cli/analysis_input.h"
#include "cli/analysis_model.h"
#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "cli/survival_plot_svg.h"
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
  int plot_cause = 1;
  OutputOptions output;
};

// One plotted curve per group for `cause`, at every distinct follow-up time of the group
// (so the at-risk table and censoring marks are right): the step estimate, a pointwise
// 95 % band on the log(−log) scale from cmprsk's variance, the number at risk (time ≥ t)
// and the censorings at each time.
std::vector<PlotCurve> PlotCurves(const stats::CumincResult& r, int cause,
                                  const std::vector<double>& time, const std::vector<int>& status,
                                  const std::vector<int>& group, int censor_code) {
  std::vector<PlotCurve> curves;
  for (const auto& c : r.curves) {
    if (c.cause != cause) continue;
    PlotCurve p;
    p.label = c.name;
    p.start_value = 0.0;
    std::vector<double> times;
    for (size_t i = 0; i < time.size(); ++i) {
      if (group[i] == c.group) times.push_back(time[i]);
    }
    p.n = static_cast<int64_t>(times.size());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    size_t k = 0;  // first step time after t
    for (double t : times) {
      while (k < c.time.size() && c.time[k] <= t) ++k;
      const double f = k ? c.est[k - 1] : 0.0;
      const double se = k ? std::sqrt(std::max(0.0, c.var[k - 1])) : 0.0;
      double lo = f, hi = f;
      if (f > 0 && f < 1 && se > 0) {
        const double w = 1.96 * se / (f * std::log(f));
        lo = std::pow(f, std::exp(-w));
        hi = std::pow(f, std::exp(w));
      }
      int64_t at_risk = 0, censored = 0;
      for (size_t i = 0; i < time.size(); ++i) {
        if (group[i] != c.group) continue;
        at_risk += time[i] >= t;
        censored += time[i] == t && status[i] == censor_code;
      }
      p.time.push_back(t);
      p.value.push_back(f);
      p.lower.push_back(std::min(lo, hi));
      p.upper.push_back(std::max(lo, hi));
      p.n_risk.push_back(at_risk);
      p.n_censor.push_back(censored);
    }
    curves.push_back(std::move(p));
  }
  return curves;
}

int Run(CifArgs& args) {
  auto table = AnalysisTable::Read(args.input);
  if (!table.ok()) return AnalysisFailed(table.error());
  std::vector<std::string> others;
  if (!args.group.empty()) others.push_back(args.group);
  if (!args.strata.empty()) others.push_back(args.strata);
  auto input = ReadCompetingRiskInput(*table, args.time, args.status, others);
  if (!input.ok()) return AnalysisFailed(input.error());
  const auto& complete = input->complete;
  const auto& time = input->time;
  const auto& cause = input->cause;
  std::vector<int> group(time.size(), 0), stratum;
  stats::CumincOptions options;
  options.censor_code = args.censor_code;
  if (!args.group.empty()) {
    auto factor =
        table->Factorize(args.group, complete.rows,
                         table->MetaLevels(args.group).value_or(std::vector<std::string>{}));
    if (!factor.ok()) return AnalysisFailed(factor.error());
    group = factor->codes;
    options.group_labels = factor->levels;
  }
  if (!args.strata.empty()) {
    auto factor = table->Factorize(args.strata, complete.rows);
    if (!factor.ok()) return AnalysisFailed(factor.error());
    stratum = factor->codes;
  }
  auto times = ParseNumberList("--times", args.times);
  if (!times.ok()) return AnalysisFailed(times.error());
  auto result = stats::CumulativeIncidence(time, cause, group, stratum, options);
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
                {"n", static_cast<int64_t>(time.size())},
                {"n_dropped_missing", complete.dropped},
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
  renderers.svg = [&]() -> Result<std::string> {
    auto curves = PlotCurves(r, args.plot_cause, time, cause, group, args.censor_code);
    if (curves.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "no events of cause " + std::to_string(args.plot_cause), "--plot-cause");
    }
    SurvivalPlotOptions options;
    options.x_label = "Time (" + args.time + ")";
    options.y_label = "Cumulative incidence of cause " + std::to_string(args.plot_cause);
    return SurvivalPlotSvg(curves, options);
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
  cmd->add_option("--plot-cause", args->plot_cause, "The cause drawn by --format svg")
      ->capture_default_str();
  AddOutputOptions(cmd, args->output, /*svg=*/true);
  cmd->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stream::cli
