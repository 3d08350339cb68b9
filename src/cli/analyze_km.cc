// stream analyze km: Kaplan–Meier curves per group (R's survfit) as JSON, CSV or an
// SVG plot.
#include <map>

#include "cli/analysis_input.h"
#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "cli/survival_plot_svg.h"
#include "stats/kaplan_meier.h"

namespace stream::cli {
namespace {

struct KmArgs {
  std::string input;
  SurvivalColumns columns;
  std::string group_levels;
  std::string conf_type = "log";
  double conf_level = 0.95;
  std::string times;
  double rmean = -1;
  std::string title;
  OutputOptions output;
};

const std::map<std::string, stats::ConfType> kConfTypes = {{"plain", stats::ConfType::kPlain},
                                                           {"log", stats::ConfType::kLog},
                                                           {"log-log", stats::ConfType::kLogLog}};

// survfit(~ group + strata) fits a curve per combination present: fold the strata into
// the group codes, labelled "group=a, strata=b" as R labels them.
void FoldStrataIntoGroups(SurvivalInput& input) {
  auto& data = input.data;
  if (data.stratum.empty()) return;
  const size_t num_strata = data.stratum_labels.size();
  std::map<int, int> code_of;  // group × stratum → new code, in R's order
  for (size_t i = 0; i < data.stratum.size(); ++i) {
    const int group = data.group.empty() ? 0 : data.group[i];
    code_of.emplace(group * static_cast<int>(num_strata) + data.stratum[i], 0);
  }
  std::vector<std::string> labels;
  for (auto& [combined, code] : code_of) {
    code = static_cast<int>(labels.size());
    const size_t group = static_cast<size_t>(combined) / num_strata;
    const std::string& stratum = data.stratum_labels[static_cast<size_t>(combined) % num_strata];
    labels.push_back(data.group_labels.empty() ? stratum
                                               : data.group_labels[group] + ", " + stratum);
  }
  std::vector<int> codes(data.stratum.size());
  for (size_t i = 0; i < codes.size(); ++i) {
    const int group = data.group.empty() ? 0 : data.group[i];
    codes[i] = code_of[group * static_cast<int>(num_strata) + data.stratum[i]];
  }
  data.group = std::move(codes);
  data.group_labels = std::move(labels);
  data.stratum.clear();
  data.stratum_labels.clear();
}

Json QuantileJson(const stats::SurvivalQuantile& q) {
  return {{"median", JsonNumber(q.quantile)},
          {"lower", JsonNumber(q.lower)},
          {"upper", JsonNumber(q.upper)}};
}

std::string RenderJson(const KmArgs& args, const SurvivalInput& input,
                       const stats::KaplanMeierFit& fit) {
  Json out = {{"type", "kaplan_meier"},
              {"input", args.input},
              {"time", args.columns.time},
              {"event", args.columns.event},
              {"n", input.n},
              {"n_dropped_missing", input.n_dropped_missing},
              {"conf_type", args.conf_type},
              {"conf_level", fit.conf_level}};
  if (!args.columns.group.empty()) out["group"] = args.columns.group;
  if (!args.columns.strata.empty()) out["strata_column"] = args.columns.strata;
  auto strata = Json::array();
  for (const auto& c : fit.curves) {
    Json s = {{"stratum", c.label},
              {"n", c.n},
              {"time", JsonNumbers(c.time)},
              {"n_risk", JsonCounts(c.n_risk)},
              {"n_event", JsonCounts(c.n_event)},
              {"n_censor", JsonCounts(c.n_censor)},
              {"surv", JsonNumbers(c.surv)},
              {"std_err", JsonNumbers(c.std_err)},
              {"se_surv", JsonNumbers(c.se_surv)},
              {"cumhaz", JsonNumbers(c.cumhaz)},
              {"std_chaz", JsonNumbers(c.std_chaz)},
              {"lower", JsonNumbers(c.lower)},
              {"upper", JsonNumbers(c.upper)},
              {"median", QuantileJson(c.median)}};
    Json q = {{"probs", Json::array()},
              {"quantile", Json::array()},
              {"lower", Json::array()},
              {"upper", Json::array()}};
    for (const auto& quantile : c.quantiles) {
      q["probs"].push_back(quantile.prob);
      q["quantile"].push_back(JsonNumber(quantile.quantile));
      q["lower"].push_back(JsonNumber(quantile.lower));
      q["upper"].push_back(JsonNumber(quantile.upper));
    }
    s["quantiles"] = q;
    if (c.rmean) {
      s["rmean"] = {{"tau", c.rmean->tau},
                    {"rmean", JsonNumber(c.rmean->rmean)},
                    {"se", JsonNumber(c.rmean->se)}};
    }
    if (c.at_times) {
      const auto& a = *c.at_times;
      s["at_times"] = {{"times", JsonNumbers(a.times)},
                       {"n_risk", JsonCounts(a.n_risk)},
                       {"n_event_cum_since_prev", JsonCounts(a.n_event_cum_since_prev)},
                       {"surv", JsonNumbers(a.surv)},
                       {"std_err", JsonNumbers(a.std_err)},
                       {"se_surv", JsonNumbers(a.se_surv)},
                       {"cumhaz", JsonNumbers(a.cumhaz)},
                       {"std_chaz", JsonNumbers(a.std_chaz)},
                       {"lower", JsonNumbers(a.lower)},
                       {"upper", JsonNumbers(a.upper)}};
    }
    strata.push_back(std::move(s));
  }
  out["strata"] = std::move(strata);
  return JsonText(out);
}

// The curves as one long table; with --times, survival at those times instead.
std::string RenderCsv(const stats::KaplanMeierFit& fit) {
  const bool at_times = !fit.curves.empty() && fit.curves.front().at_times.has_value();
  CsvTable table({"stratum", "time", "n_risk", at_times ? "n_event_cum_since_prev" : "n_event",
                  "n_censor", "surv", "std_err", "lower", "upper"});
  for (const auto& c : fit.curves) {
    if (at_times) {
      const auto& a = *c.at_times;
      for (size_t i = 0; i < a.times.size(); ++i) {
        table.AddRow({c.label, CsvNumber(a.times[i]), std::to_string(a.n_risk[i]),
                      std::to_string(a.n_event_cum_since_prev[i]), "", CsvNumber(a.surv[i]),
                      CsvNumber(a.std_err[i]), CsvNumber(a.lower[i]), CsvNumber(a.upper[i])});
      }
      continue;
    }
    for (size_t i = 0; i < c.time.size(); ++i) {
      table.AddRow({c.label, CsvNumber(c.time[i]), std::to_string(c.n_risk[i]),
                    std::to_string(c.n_event[i]), std::to_string(c.n_censor[i]),
                    CsvNumber(c.surv[i]), CsvNumber(c.std_err[i]), CsvNumber(c.lower[i]),
                    CsvNumber(c.upper[i])});
    }
  }
  return table.text();
}

std::string RenderSvg(const KmArgs& args, const stats::KaplanMeierFit& fit) {
  std::vector<PlotCurve> curves;
  for (const auto& c : fit.curves) {
    PlotCurve curve;
    curve.label = c.label == "0" && fit.curves.size() == 1 ? "All" : c.label;
    curve.n = c.n;
    curve.time = c.time;
    curve.value = c.surv;
    curve.lower = c.lower;
    curve.upper = c.upper;
    curve.n_risk = c.n_risk;
    curve.n_censor = c.n_censor;
    curves.push_back(std::move(curve));
  }
  SurvivalPlotOptions options;
  options.title = args.title;
  options.x_label = "Time (" + args.columns.time + ")";
  options.y_label = "Survival probability";
  return SurvivalPlotSvg(curves, options);
}

int Run(KmArgs& args) {
  args.columns.group_levels = SplitList(args.group_levels);
  auto table = AnalysisTable::Read(args.input);
  if (!table.ok()) return AnalysisFailed(table.error());
  auto input = ReadSurvivalInput(*table, args.columns);
  if (!input.ok()) return AnalysisFailed(input.error());
  FoldStrataIntoGroups(*input);
  stats::KaplanMeierOptions options;
  options.conf_level = args.conf_level;
  options.conf_type = kConfTypes.at(args.conf_type);
  if (!args.times.empty()) {
    auto times = ParseNumberList("--times", args.times);
    if (!times.ok()) return AnalysisFailed(times.error());
    options.at_times = *times;
  }
  if (args.rmean >= 0) options.rmean_tau = args.rmean;
  auto fit = stats::KaplanMeier(input->data, options);
  if (!fit.ok()) return AnalysisFailed(fit.error());
  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> { return RenderJson(args, *input, *fit); };
  renderers.csv = [&]() -> Result<std::string> { return RenderCsv(*fit); };
  renderers.svg = [&]() -> Result<std::string> { return RenderSvg(args, *fit); };
  return EmitAnalysis(args.output, renderers);
}

}  // namespace

void AddAnalyzeKm(CLI::App& analyze, int& exit_code) {
  auto args = std::make_shared<KmArgs>();
  auto* cmd = analyze.add_subcommand("km", "Kaplan–Meier survival curves per group (R: survfit)");
  cmd->add_option("--input", args->input, "CSV file with a header row (- for stdin)")->required();
  AddSurvivalColumnOptions(cmd, args->columns, args->group_levels);
  cmd->add_option("--conf-type", args->conf_type, "Confidence interval: plain, log or log-log")
      ->check(CLI::IsMember({"plain", "log", "log-log"}))
      ->capture_default_str();
  cmd->add_option("--conf-level", args->conf_level, "Confidence level")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--times", args->times, "Survival at these times, e.g. 12,24 (increasing)");
  cmd->add_option("--rmean", args->rmean, "Restricted mean survival time up to this time");
  cmd->add_option("--title", args->title, "Plot title (svg)");
  AddOutputOptions(cmd, args->output, /*svg=*/true);
  cmd->callback([args, &exit_code] { exit_code = Run(*args); });
}

}  // namespace stream::cli
