// stream analyze endpoint: an endpoint of a protocol derived from the registry (ELN 2022
// definitions, clinical/endpoints.h) for every enrolled patient, and its analysis by arm:
// Kaplan–Meier and log-rank for OS, EFS and RFS; cumulative incidence and Gray's test for
// CIR (non-relapse mortality as the competing risk). --format csv writes the derived data
// set itself, one row per patient, for checking in R or with `stream analyze km`.
// The numbers are the service's (service/survival_report.h), the same the survival
// dashboard shows: this command only renders them.
#include <optional>
#include <utility>

#include "cli/analysis_output.h"
#include "cli/analyze_subcommands.h"
#include "service/endpoint_dataset.h"
#include "service/protocol_catalogue.h"
#include "service/survival_report.h"

namespace stream::cli {
namespace {

struct EndpointArgs {
  std::string protocol;
  std::string endpoint = "efs";
  std::string by = "arm";
  std::string cutoff;
  OutputOptions output;
};

// The estimate of a step curve at `t`: the last point at or before it.
Json EstimateAt(const service::ArmCurve& arm, double t) {
  const service::CurvePoint* last = nullptr;
  for (const auto& p : arm.curve) {
    if (p.time > t) break;
    last = &p;
  }
  return last ? JsonNumber(last->estimate) : Json();
}

Json Optional(const std::optional<double>& v) { return v ? JsonNumber(*v) : Json(); }

// The service's survival report (service/survival_report.h, the numbers the dashboards
// show) as the command's JSON.
Json Summary(const EndpointArgs& args, const service::SurvivalReport& report,
             const service::EndpointSettings& settings) {
  const bool cir = report.kind == service::EndpointKind::kCir;
  Json out = {{"type", "endpoint"},
              {"protocol_id", args.protocol},
              {"endpoint", args.endpoint},
              {"by", args.by},
              {"time_unit", "days"},
              {"landmark_days", settings.landmark_days ? Json(*settings.landmark_days) : Json()},
              {"crh_counts", settings.report_crh},
              {"n", report.analysed},
              {"n_not_applicable", report.not_applicable}};
  Json excluded = Json::array();
  for (const auto& [why, n] : report.excluded) excluded.push_back({{"reason", why}, {"n", n}});
  out["excluded"] = std::move(excluded);
  Json groups = Json::array();
  for (const auto& arm : report.arms) {
    if (arm.n == 0) continue;
    Json g = {{"arm", arm.arm},
              {"name", arm.name},
              {"n", arm.n},
              {"events", arm.events},
              {"competing_events", arm.competing}};
    if (cir) {
      g["at_1_year"] = EstimateAt(arm, 365.0);
      g["at_2_years"] = EstimateAt(arm, 730.0);
    } else {
      g["median"] = Optional(arm.median);
      g["median_lower95"] = Optional(arm.median_lower);
      g["median_upper95"] = Optional(arm.median_upper);
    }
    std::vector<double> time, estimate;
    Json lower = Json::array(), upper = Json::array();
    for (const auto& p : arm.curve) {
      time.push_back(p.time);
      estimate.push_back(p.estimate);
      lower.push_back(Optional(p.lower));
      upper.push_back(Optional(p.upper));
    }
    g["time"] = JsonNumbers(time);
    g[cir ? "incidence" : "surv"] = JsonNumbers(estimate);
    g["lower"] = std::move(lower);
    g["upper"] = std::move(upper);
    groups.push_back(std::move(g));
  }
  out["groups"] = std::move(groups);
  if (report.test) {
    out[cir ? "gray_test" : "logrank"] = {{"chisq", JsonNumber(report.test->chisq)},
                                          {"df", report.test->df},
                                          {"p", JsonNumber(report.test->p)}};
  }
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
  std::vector<std::pair<std::string, std::string>> arms;
  for (const auto& arm : protocol->arms) arms.emplace_back(arm.id, arm.name);
  auto report = service::AnalyseEndpoint(*data, *kind, arms);
  if (!report.ok()) return AnalysisFailed(report.error());
  Renderers renderers;
  renderers.json = [&]() -> Result<std::string> {
    return JsonText(Summary(args, *report, settings));
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
