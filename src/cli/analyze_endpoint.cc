// stream analyze endpoint: an endpoint of a protocol derived from the registry (ELN 2022
// definitions, clinical/endpoints.h) for every enrolled patient, and its analysis by arm:
// Kaplan–Meier and log-rank for OS, EFS and RFS; cumulative incidence and Gray's test for
// CIR (non-relapse mortality as the competing risk). --format csv writes the derived data
// set itself, one row per patient, for checking in R or with `stream analyze km`.
#include <algorithm>
#include <map>

#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "service/endpoint_dataset.h"
#include "service/protocol_catalogue.h"
#include "stats/cumulative_incidence.h"
#include "stats/kaplan_meier.h"
#include "stats/log_rank.h"

namespace stream::cli {
namespace {

struct EndpointArgs {
  std::string protocol;
  std::string endpoint = "efs";
  std::string by = "arm";
  std::string cutoff;
  OutputOptions output;
};

Json Summary(const EndpointArgs& args, const service::EndpointDataset& data,
             const std::vector<std::string>& arms, const service::EndpointSettings& settings) {
  stats::SurvivalData survival;
  std::vector<int> cause;
  for (const auto& row : data.rows) {
    survival.time.push_back(row.time);
    survival.event.push_back(row.event == 1 ? 1 : 0);
    cause.push_back(row.event);
    survival.group.push_back(
        static_cast<int>(std::find(arms.begin(), arms.end(), row.arm) - arms.begin()));
  }
  survival.group_labels = arms;
  Json out = {{"type", "endpoint"},
              {"protocol_id", args.protocol},
              {"endpoint", args.endpoint},
              {"by", args.by},
              {"time_unit", "days"},
              {"landmark_days", settings.landmark_days ? Json(*settings.landmark_days) : Json()},
              {"crh_counts", settings.report_crh},
              {"n", static_cast<int64_t>(data.rows.size())},
              {"n_not_applicable", data.not_applicable}};
  Json groups = Json::array();
  for (size_t a = 0; a < arms.size(); ++a) {
    int64_t n = 0, events = 0, competing = 0;
    for (const auto& row : data.rows) {
      if (row.arm != arms[a]) continue;
      ++n;
      events += row.event == 1;
      competing += row.event == 2;
    }
    groups.push_back(
        {{"arm", arms[a]}, {"n", n}, {"events", events}, {"competing_events", competing}});
  }
  if (args.endpoint == "cir") {
    std::vector<int> group(survival.group.begin(), survival.group.end());
    stats::CumincOptions options;
    options.group_labels = arms;
    auto cif = stats::CumulativeIncidence(survival.time, cause, group, {}, options);
    if (cif.ok()) {
      const auto at = stats::Timepoints(*cif, {365.0, 730.0});
      Json curves = Json::array();
      for (size_t i = 0; i < cif->curves.size(); ++i) {
        const auto& c = cif->curves[i];
        curves.push_back({{"name", c.name},
                          {"cause", c.cause == 1 ? "relapse" : "non-relapse mortality"},
                          {"at_1_year", JsonNumber(at.est[i][0])},
                          {"at_2_years", JsonNumber(at.est[i][1])},
                          {"time", JsonNumbers(c.time)},
                          {"est", JsonNumbers(c.est)}});
      }
      out["cumulative_incidence"] = curves;
      Json tests = Json::array();
      for (const auto& t : cif->tests)
        tests.push_back({{"cause", t.cause},
                         {"stat", JsonNumber(t.stat)},
                         {"df", t.df},
                         {"p", JsonNumber(t.p)}});
      out["gray_test"] = tests;
    } else {
      out["analysis_error"] = cif.error().ToString();
    }
  } else {
    auto km = stats::KaplanMeier(survival);
    if (km.ok()) {
      for (size_t a = 0; a < km->curves.size() && a < groups.size(); ++a) {
        const auto& c = km->curves[a];
        groups[a]["median"] = JsonNumber(c.median.quantile);
        groups[a]["median_lower95"] = JsonNumber(c.median.lower);
        groups[a]["median_upper95"] = JsonNumber(c.median.upper);
        groups[a]["time"] = JsonNumbers(c.time);
        groups[a]["surv"] = JsonNumbers(c.surv);
        groups[a]["lower"] = JsonNumbers(c.lower);
        groups[a]["upper"] = JsonNumbers(c.upper);
      }
    } else {
      out["analysis_error"] = km.error().ToString();
    }
    if (arms.size() > 1) {
      auto lr = stats::LogRank(survival);
      if (lr.ok()) {
        out["logrank"] = {{"chisq", JsonNumber(lr->chisq)},
                          {"df", lr->df},
                          {"p", JsonNumber(lr->p)},
                          {"observed", JsonNumbers(lr->observed)},
                          {"expected", JsonNumbers(lr->expected)}};
      } else {
        out["logrank_error"] = lr.error().ToString();
      }
    }
  }
  out["groups"] = groups;
  return out;
}

int Run(CliContext& ctx, EndpointArgs& args) {
  auto kind = service::ParseEndpointKind(args.endpoint);
  if (!kind.ok()) return AnalysisFailed(kind.error());
  if (args.by != "arm")
    return AnalysisFailed(Fail(ErrorCode::kInvalidArgument, "only 'arm' is supported", "--by"));
  auto catalogue = service::ProtocolCatalogue::Load(ctx.protocols_dir);
  if (!catalogue.ok()) return AnalysisFailed(catalogue.error());
  const protocol::Protocol* protocol = catalogue->Find(args.protocol);
  if (!protocol)
    return AnalysisFailed(
        Fail(ErrorCode::kNotFound, "no protocol '" + args.protocol + "'", "--protocol"));
  auto settings = service::SettingsFor(*protocol, args.endpoint);
  if (!args.cutoff.empty()) {
    settings.data_cutoff = Date::Parse(args.cutoff);
    if (!settings.data_cutoff)
      return AnalysisFailed(Fail(ErrorCode::kInvalidArgument, "expected YYYY-MM-DD", "--cutoff"));
  }
  auto store = ctx.OpenedStore();
  if (!store.ok()) return AnalysisFailed(store.error());
  auto data =
      service::DeriveEndpointDataset(**store, ctx.Operator(), protocol->id, *kind, settings);
  if (!data.ok()) return AnalysisFailed(data.error());
  if (data->rows.empty()) {
    return AnalysisFailed(Fail(ErrorCode::kInvalidArgument,
                               "no enrolled patient has this endpoint yet", "--protocol"));
  }
  std::vector<std::string> arms;
  for (const auto& arm : protocol->arms) {
    if (std::any_of(data->rows.begin(), data->rows.end(),
                    [&](const auto& r) { return r.arm == arm.id; }))
      arms.push_back(arm.id);
  }
  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> {
    return JsonText(Summary(args, *data, arms, settings));
  };
  renderers.csv = [&]() -> Result<std::string> {
    CsvTable table({"patient", "arm", "time", "event"});
    for (const auto& row : data->rows)
      table.AddRow({row.pseudonym, row.arm, CsvNumber(row.time), std::to_string(row.event)});
    return table.text();
  };
  return EmitAnalysis(args.output, renderers);
}

}  // namespace

void AddAnalyzeEndpoint(CLI::App& analyze, CliContext& ctx, int& exit_code) {
  auto args = std::make_shared<EndpointArgs>();
  auto* cmd = analyze.add_subcommand(
      "endpoint", "An endpoint of a protocol derived from the registry, analysed by arm");
  cmd->add_option("--protocol", args->protocol, "Protocol id")->required();
  cmd->add_option("--endpoint", args->endpoint, "os, efs, rfs or cir")
      ->check(CLI::IsMember({"os", "efs", "rfs", "cir"}))
      ->capture_default_str();
  cmd->add_option("--by", args->by, "Grouping (arm)")->capture_default_str();
  cmd->add_option("--cutoff", args->cutoff, "Data cut-off date: nothing after it counts");
  AddOutputOptions(cmd, args->output, /*svg=*/false);
  cmd->callback([&ctx, args, &exit_code] { exit_code = Run(ctx, *args); });
}

}  // namespace stream::cli
