#include "service/survival_report.h"

#include <algorithm>
#include <cmath>

#include "service/access_policy.h"
#include "service/enrolment_service.h"
#include "stats/aalen_johansen.h"
#include "stats/cumulative_incidence.h"
#include "stats/kaplan_meier.h"
#include "stats/log_rank.h"

namespace stream::service {
namespace {

std::optional<double> Defined(double v) {
  return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

// The rows of the arms analysed, as stats columns; `group` codes 0..k−1 number the arms
// that have rows, in the order given.
struct Columns {
  std::vector<double> time;
  std::vector<int> event;  // 0 censored, 1 event, 2 competing event
  std::vector<int> group;
  std::vector<size_t> arm_of_group;  // code -> index into the report's arms
};

CurvePoint Origin(const ArmCurve& arm, double estimate) {
  return {0, estimate, estimate, estimate, arm.n, 0, 0, 0};
}

Status KaplanMeierCurves(const Columns& c, SurvivalReport& out) {
  stats::SurvivalData data;
  data.time = c.time;
  data.group = c.group;
  for (int e : c.event) data.event.push_back(e == 1 ? 1 : 0);
  for (size_t a : c.arm_of_group) data.group_labels.push_back(out.arms[a].arm);
  stats::KaplanMeierOptions options;
  options.conf_level = out.conf_level;
  options.conf_type = stats::ConfType::kLog;
  STREAM_ASSIGN_OR_RETURN(auto fit, stats::KaplanMeier(data, options));
  for (size_t g = 0; g < fit.curves.size(); ++g) {
    const auto& k = fit.curves[g];
    ArmCurve& arm = out.arms[c.arm_of_group[g]];
    arm.median = Defined(k.median.quantile);
    arm.median_lower = Defined(k.median.lower);
    arm.median_upper = Defined(k.median.upper);
    arm.curve.push_back(Origin(arm, 1));
    for (size_t i = 0; i < k.time.size(); ++i) {
      arm.curve.push_back({k.time[i], k.surv[i], Defined(k.lower[i]), Defined(k.upper[i]),
                           k.n_risk[i], k.n_event[i], k.n_censor[i], 0});
    }
  }
  if (fit.curves.size() < 2) return Ok();
  STREAM_ASSIGN_OR_RETURN(auto lr, stats::LogRank(data));
  out.test = GroupTest{lr.chisq, lr.df, lr.p};
  return Ok();
}

// Cause 1 = relapse, cause 2 = death without relapse.
Status IncidenceCurves(const Columns& c, SurvivalReport& out) {
  stats::AalenJohansenOptions options;
  options.causes = {1, 2};
  options.conf_level = out.conf_level;
  STREAM_ASSIGN_OR_RETURN(auto fit, stats::AalenJohansen(c.time, c.event, c.group, options));
  for (const auto& k : fit.curves) {
    ArmCurve& arm = out.arms[c.arm_of_group[static_cast<size_t>(k.group)]];
    arm.curve.push_back(Origin(arm, 0));
    for (size_t i = 0; i < k.time.size(); ++i) {
      arm.curve.push_back(
          {k.time[i], k.pstate[i][1], Defined(k.lower[i][1]), Defined(k.upper[i][1]),
           static_cast<int64_t>(k.n_risk[i][0]), static_cast<int64_t>(k.n_event[i][1]),
           static_cast<int64_t>(k.n_censor[i]), static_cast<int64_t>(k.n_event[i][2])});
    }
  }
  const bool any_event = std::any_of(c.event.begin(), c.event.end(), [](int e) { return e != 0; });
  if (c.arm_of_group.size() < 2 || !any_event) return Ok();
  // Gray's (1988) test of the relapse incidence, as cmprsk::cuminc computes it.
  STREAM_ASSIGN_OR_RETURN(auto cuminc, stats::CumulativeIncidence(c.time, c.event, c.group, {}));
  for (const auto& t : cuminc.tests) {
    if (t.cause == 1 && t.stat >= 0) out.test = GroupTest{t.stat, t.df, t.p};
  }
  return Ok();
}

}  // namespace

double AtRiskStep(double longest) {
  for (double step : {30.0, 90.0, 180.0, 365.0, 730.0, 1095.0}) {
    if (std::ceil(longest / step) <= 8) return step;
  }
  return 1825;
}

Result<SurvivalReport> AnalyseEndpoint(
    const EndpointDataset& data, EndpointKind kind,
    const std::vector<std::pair<std::string, std::string>>& arms) {
  SurvivalReport out;
  out.kind = kind;
  out.not_applicable = data.not_applicable;
  out.analysed = static_cast<int64_t>(data.rows.size());
  out.excluded = data.excluded;
  for (const auto& [id, name] : arms) out.arms.push_back({id, name});
  // Rows by arm, in the arms' order.
  std::vector<std::vector<const EndpointRow*>> rows(arms.size());
  double longest = 0;
  for (const auto& r : data.rows) {
    for (size_t a = 0; a < arms.size(); ++a) {
      if (arms[a].first != r.arm) continue;
      rows[a].push_back(&r);
      longest = std::max(longest, r.time);
      ++out.arms[a].n;
      out.arms[a].events += r.event == 1;
      out.arms[a].competing += r.event == 2;
    }
  }
  Columns columns;
  for (size_t a = 0; a < arms.size(); ++a) {
    if (rows[a].empty()) continue;
    const int code = static_cast<int>(columns.arm_of_group.size());
    columns.arm_of_group.push_back(a);
    for (const auto* r : rows[a]) {
      columns.time.push_back(r->time);
      columns.event.push_back(r->event);
      columns.group.push_back(code);
    }
  }
  if (!columns.time.empty()) {
    STREAM_RETURN_IF_ERROR(kind == EndpointKind::kCir ? IncidenceCurves(columns, out)
                                                      : KaplanMeierCurves(columns, out));
  }
  const double step = AtRiskStep(longest);
  for (double t = 0;; t += step) {
    out.at_risk.times.push_back(t);
    if (t >= longest) break;
  }
  for (const auto& arm_rows : rows) {
    std::vector<int64_t> counts;
    for (double t : out.at_risk.times) {
      counts.push_back(std::count_if(arm_rows.begin(), arm_rows.end(),
                                     [&](const EndpointRow* r) { return r->time >= t; }));
    }
    out.at_risk.counts.push_back(std::move(counts));
  }
  return out;
}

Result<const protocol::Endpoint*> FindTimeToEventEndpoint(const protocol::Protocol& protocol,
                                                          const std::string& endpoint_id) {
  for (const auto& e : protocol.endpoints) {
    const bool time_to_event = TimeToEventKind(e.definition).has_value();
    if (endpoint_id.empty() && time_to_event) return &e;
    if (e.id != endpoint_id) continue;
    if (time_to_event) return &e;
    return Fail(ErrorCode::kInvalidArgument,
                "endpoint '" + e.id + "' is a rate (" +
                    std::string(protocol::ToString(e.definition)) +
                    "), not a time to event: see the protocol dashboard's responses",
                "endpoint");
  }
  if (endpoint_id.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "protocol '" + protocol.id + "' has no time-to-event endpoint", "endpoint");
  }
  std::string ids;
  for (const auto& e : protocol.endpoints) {
    if (TimeToEventKind(e.definition)) ids += (ids.empty() ? "" : ", ") + e.id;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "protocol '" + protocol.id + "' has no endpoint '" + endpoint_id + "'" +
                  (ids.empty() ? std::string() : "; its time-to-event endpoints: " + ids),
              "endpoint");
}

Result<SurvivalReport> BuildSurvivalReport(Store& store, const Actor& actor,
                                           const protocol::Protocol& protocol,
                                           const std::string& endpoint_id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadAllocations));
  STREAM_ASSIGN_OR_RETURN(const protocol::Endpoint* endpoint,
                          FindTimeToEventEndpoint(protocol, endpoint_id));
  const EndpointKind kind = *TimeToEventKind(endpoint->definition);
  STREAM_ASSIGN_OR_RETURN(
      auto data, DeriveEndpointDataset(store, actor, protocol.id, kind, SettingsFor(*endpoint)));
  std::vector<std::pair<std::string, std::string>> arms;
  const bool blinded = HidesArms(actor, protocol);
  if (blinded) {
    arms.emplace_back(kBlindedArm, kAllArmsName);
    for (auto& row : data.rows) row.arm = kBlindedArm;
  } else {
    for (const auto& a : protocol.arms) arms.emplace_back(a.id, a.name);
  }
  STREAM_ASSIGN_OR_RETURN(auto report, AnalyseEndpoint(data, kind, arms));
  report.endpoint = endpoint;
  report.blinded = blinded;
  return report;
}

}  // namespace stream::service
