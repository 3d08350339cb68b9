#include "service/protocol_dashboard.h"

#include <algorithm>
#include <map>
#include <set>

#include "rules/criteria.h"
#include "service/access_policy.h"
#include "service/endpoint_dataset.h"
#include "service/enrolment_service.h"
#include "service/history_batch.h"
#include "service/patient_status.h"
#include "service/transaction_runner.h"

namespace stream::service {
namespace {

using protocol::Protocol;

// An enrolment the reader may see, with the patient's history.
struct Enrolled {
  const Enrolment* enrolment;
  const PatientHistory* history;
  std::string arm;  // as the reader sees it
};

std::vector<CriterionCount> Ranked(const Protocol& p, const std::map<std::string, int64_t>& n) {
  std::vector<CriterionCount> out;
  for (const auto& c : p.criteria) {
    if (auto it = n.find(c.id); it != n.end()) out.push_back({c.id, c.wording, it->second});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.patients > b.patients; });
  return out;
}

Status CountScreening(const Protocol& p, const std::vector<PatientHistory>& registry,
                      const std::set<int64_t>& enrolled, Date today, Consort& consort) {
  rules::Evaluator evaluator;
  std::map<std::string, int64_t> failing, unknown;
  for (const auto& h : registry) {
    ++consort.assessed;
    if (enrolled.count(h.id)) {
      ++consort.enrolled;
      continue;
    }
    STREAM_ASSIGN_OR_RETURN(protocol::Screening s, protocol::Screen(p, h, today, {}, evaluator));
    if (s.eligible == rules::Verdict::kMet) {
      ++consort.eligible_not_enrolled;
      continue;
    }
    // Not eligible: the criteria that fail; unknown: the criteria left unknown.
    const bool not_eligible = s.eligible == rules::Verdict::kNotMet;
    ++(not_eligible ? consort.not_eligible : consort.unknown);
    auto& tally = not_eligible ? failing : unknown;
    for (const auto& c : s.criteria) {
      if (c.qualifies == s.eligible) ++tally[c.criterion->id];
    }
  }
  consort.not_eligible_reasons = Ranked(p, failing);
  consort.missing_data = Ranked(p, unknown);
  return Ok();
}

// Whether the primary endpoint's dataset has a row for this patient.
bool Analysed(const Protocol& p, const Enrolled& e) {
  if (p.endpoints.empty()) return true;
  const auto& primary = p.endpoints.front();
  const Date start = e.enrolment->enrolled_at.date();
  const auto settings = SettingsFor(primary);
  if (auto kind = TimeToEventKind(primary.definition))
    return TimeToEventOf(*e.history, start, *kind, settings).applicable;
  if (primary.definition == protocol::EndpointDefinition::kRemissionSpan) return true;
  return ResponseOutcomeOf(*e.history, start, primary.definition, settings).evaluable;
}

ConsortArm FollowUp(const Protocol& p, const std::string& arm,
                    const std::vector<Enrolled>& enrolled) {
  ConsortArm out{arm};
  for (const auto& e : enrolled) {
    if (e.arm != arm) continue;
    const PatientHistory& h = *e.history;
    const Date start = e.enrolment->enrolled_at.date();
    ++out.allocated;
    const VitalStatus vital = VitalStatusOf(h);
    out.died += vital == VitalStatus::kDead;
    out.lost_to_follow_up += vital == VitalStatus::kLostToFollowUp;
    out.relapsed += std::any_of(h.relapses.begin(), h.relapses.end(),
                                [&](const Relapse& r) { return r.relapse_date >= start; });
    out.consent_withdrawn += TrialConsentWithdrawn(h);
    out.analysed += Analysed(p, e);
  }
  return out;
}

Result<EndpointRates> Rates(const protocol::Endpoint& endpoint,
                            const std::vector<std::string>& arms,
                            const std::vector<Enrolled>& enrolled) {
  EndpointRates out{&endpoint, {}};
  const auto settings = SettingsFor(endpoint);
  for (const auto& arm : arms) {
    int64_t responders = 0, evaluable = 0;
    for (const auto& e : enrolled) {
      if (e.arm != arm) continue;
      const auto r = ResponseOutcomeOf(*e.history, e.enrolment->enrolled_at.date(),
                                       endpoint.definition, settings);
      evaluable += r.evaluable;
      responders += r.evaluable && r.responder;
    }
    STREAM_ASSIGN_OR_RETURN(auto estimate, EstimateRate(responders, evaluable));
    out.arms.push_back({arm, estimate});
  }
  return out;
}

}  // namespace

Result<ProtocolDashboard> BuildProtocolDashboard(Store& store, const Actor& actor,
                                                 const Protocol& protocol, Date today) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadAllocations));
  const bool blinded = HidesArms(actor, protocol);
  return RunInTransaction<ProtocolDashboard>(
      store, TransactionMode::kRead, [&](Transaction& tx) -> Result<ProtocolDashboard> {
        ProtocolDashboard out;
        out.blinded = blinded;
        STREAM_ASSIGN_OR_RETURN(auto enrolments, tx.ListEnrolments(protocol.id));
        STREAM_ASSIGN_OR_RETURN(auto tally, tx.TallyEnrolments(protocol.id));
        STREAM_ASSIGN_OR_RETURN(auto registry, LoadVisibleHistories(tx, actor));
        std::map<int64_t, const PatientHistory*> by_id;
        for (const auto& h : registry) by_id.emplace(h.id, &h);

        std::vector<Enrolled> enrolled;
        std::set<int64_t> enrolled_ids;
        for (const auto& e : enrolments) {
          auto found = by_id.find(e.patient_id);
          if (found == by_id.end()) continue;  // another site's patient
          enrolled.push_back({&e, found->second, blinded ? kBlindedArm : e.arm});
          enrolled_ids.insert(e.patient_id);
        }
        std::stable_sort(enrolled.begin(), enrolled.end(), [](const auto& a, const auto& b) {
          return a.enrolment->enrolled_at.date() < b.enrolment->enrolled_at.date();
        });
        for (const auto& e : enrolled)
          out.enrolments.push_back({e.enrolment->enrolled_at.date(), e.history->site, e.arm});

        std::vector<std::string> arms;
        if (blinded) {
          arms = {kBlindedArm};
          out.arms.push_back({kBlindedArm, kAllArmsName, protocol::ArmStatus::kOpen, std::nullopt,
                              static_cast<int64_t>(enrolled.size())});
        } else {
          for (const auto& a : protocol.arms) {
            arms.push_back(a.id);
            int64_t all = 0;  // every site's: the cap is the trial's
            for (const auto& t : tally) all += t.arm == a.id ? t.count : 0;
            DashboardArm arm{a.id, a.name, a.status, a.cap, 0};
            if (a.cap && all >= *a.cap) arm.status = protocol::ArmStatus::kClosed;
            arm.enrolled = std::count_if(enrolled.begin(), enrolled.end(),
                                         [&](const Enrolled& e) { return e.arm == a.id; });
            out.arms.push_back(arm);
          }
        }

        STREAM_RETURN_IF_ERROR(
            CountScreening(protocol, registry, enrolled_ids, today, out.consort));
        for (const auto& arm : arms) out.consort.arms.push_back(FollowUp(protocol, arm, enrolled));
        for (const auto& endpoint : protocol.endpoints) {
          if (endpoint.definition == protocol::EndpointDefinition::kRemissionSpan) {
            std::vector<std::pair<Date, const PatientHistory*>> dated;
            for (const auto& e : enrolled)
              dated.emplace_back(e.enrolment->enrolled_at.date(), e.history);
            out.remission_spans.push_back(RemissionSpanOf(endpoint, dated));
            continue;
          }
          if (!IsRateEndpoint(endpoint.definition)) continue;
          STREAM_ASSIGN_OR_RETURN(auto rates, Rates(endpoint, arms, enrolled));
          out.responses.push_back(std::move(rates));
        }
        return out;
      });
}

}  // namespace stream::service
