#include "service/endpoint_dataset.h"

#include <algorithm>

#include "core/consent_scope.h"
#include "service/history_batch.h"
#include "service/transaction_runner.h"

namespace stream::service {

Result<EndpointKind> ParseEndpointKind(const std::string& name) {
  if (name == "os") return EndpointKind::kOs;
  if (name == "efs") return EndpointKind::kEfs;
  if (name == "rfs") return EndpointKind::kRfs;
  if (name == "cir") return EndpointKind::kCir;
  return Fail(ErrorCode::kInvalidArgument,
              "unknown endpoint '" + name + "'; one of os, efs, rfs, cir", "endpoint");
}

std::optional<EndpointKind> TimeToEventKind(protocol::EndpointDefinition definition) {
  using D = protocol::EndpointDefinition;
  switch (definition) {
    case D::kOs:
      return EndpointKind::kOs;
    case D::kEfs:
      return EndpointKind::kEfs;
    case D::kRfs:
      return EndpointKind::kRfs;
    case D::kCir:
      return EndpointKind::kCir;
    default:
      return std::nullopt;
  }
}

EndpointSettings SettingsFor(const protocol::Endpoint& endpoint) {
  EndpointSettings settings;
  settings.landmark_days = endpoint.landmark_days;
  settings.report_crh = endpoint.crh_counts;
  settings.origin = endpoint.origin;
  settings.population = endpoint.population;
  settings.horizon_days = endpoint.follow_up_days;
  settings.mrd_relapse_counts = endpoint.mrd_relapse_counts;
  return settings;
}

EndpointSettings SettingsFor(const protocol::Protocol& protocol, std::string_view definition) {
  for (const auto& e : protocol.endpoints) {
    if (protocol::ToString(e.definition) == definition) return SettingsFor(e);
  }
  return {};
}

clinical::TimeToEvent TimeToEventOf(const PatientHistory& history, Date enrolled, EndpointKind kind,
                                    const EndpointSettings& settings) {
  clinical::EndpointParameters p;
  p.landmark_days = settings.landmark_days;
  p.response.report_crh = settings.report_crh;
  p.data_cutoff = settings.data_cutoff;
  p.horizon_days = settings.horizon_days;
  p.mrd_relapse_is_event = settings.mrd_relapse_counts;
  switch (settings.population) {
    case protocol::EndpointPopulation::kAll:
      p.population = clinical::Population::kAll;
      break;
    case protocol::EndpointPopulation::kReachedRemission:
      p.population = clinical::Population::kReachedRemission;
      break;
    case protocol::EndpointPopulation::kInRemissionAtOrigin:
      p.population = clinical::Population::kInRemissionAtOrigin;
      break;
  }
  switch (settings.origin) {
    case protocol::EndpointOrigin::kEnrolment:
      p.start = enrolled;
      break;
    case protocol::EndpointOrigin::kRegistration:
      p.start = history.registered_on;
      break;
    case protocol::EndpointOrigin::kDiagnosis:
      if (history.diagnoses.empty()) return {false, 0, 0, "no diagnosis recorded"};
      p.start = history.diagnoses.back().diagnosis_date;
      break;
    case protocol::EndpointOrigin::kRemission: {
      p.start = enrolled;
      const auto best = clinical::BestResponseOf(history, p);
      if (!best.remission_date) return {false, 0, 0, "never reached CR/CRh/CRi"};
      p.start = *best.remission_date;
      p.landmark_days.reset();
      p.population = clinical::Population::kInRemissionAtOrigin;
      break;
    }
  }
  switch (kind) {
    case EndpointKind::kOs:
      return clinical::OverallSurvival(history, p);
    case EndpointKind::kEfs:
      return clinical::EventFreeSurvival(history, p);
    case EndpointKind::kRfs:
      return clinical::RelapseFreeSurvival(history, p);
    case EndpointKind::kCir:
      return clinical::CumulativeIncidenceOfRelapse(history, p);
  }
  return {};
}

EndpointDataset BuildEndpointDataset(const std::vector<Enrolment>& enrolments,
                                     const std::map<int64_t, const PatientHistory*>& histories,
                                     EndpointKind kind, const EndpointSettings& settings) {
  EndpointDataset data;
  for (const auto& e : enrolments) {
    const auto found = histories.find(e.patient_id);
    if (found == histories.end()) continue;  // another site's patient
    // Consent to the registry or the trial withdrawn: follow-up ends there (censored on
    // the withdrawal date), nothing recorded from then on is used.
    const auto withdrawn = EarliestWithdrawal(found->second->consents, {"registry", "trial"});
    if (withdrawn) ++data.censored_at_withdrawal;
    const PatientHistory history =
        withdrawn ? HistoryAtWithdrawal(*found->second, *withdrawn) : *found->second;
    const clinical::TimeToEvent t = TimeToEventOf(history, e.enrolled_at.date(), kind, settings);
    if (!t.applicable) {
      ++data.not_applicable;
      if (t.data_problem) ++data.data_problems;
      // A data problem names dates; count it under one heading so no date leaks.
      const std::string reason =
          t.data_problem ? "data problem: an event dated before the origin" : t.note;
      auto it = std::find_if(data.excluded.begin(), data.excluded.end(),
                             [&](const auto& r) { return r.first == reason; });
      if (it == data.excluded.end()) {
        data.excluded.emplace_back(reason, 1);
      } else {
        ++it->second;
      }
      continue;
    }
    data.rows.push_back({e.patient_id, history.pseudonym, e.arm, t.time, t.event});
  }
  return data;
}

Result<EndpointDataset> DeriveEndpointDataset(Store& store, const Actor& actor,
                                              const std::string& protocol_id, EndpointKind kind,
                                              const EndpointSettings& settings) {
  return RunInTransaction<EndpointDataset>(
      store, TransactionMode::kRead, [&](Transaction& tx) -> Result<EndpointDataset> {
        STREAM_ASSIGN_OR_RETURN(auto enrolments, tx.ListEnrolments(protocol_id));
        std::vector<int64_t> ids;
        for (const auto& e : enrolments) ids.push_back(e.patient_id);
        STREAM_ASSIGN_OR_RETURN(auto histories, LoadHistories(tx, actor, std::move(ids)));
        std::map<int64_t, const PatientHistory*> by_id;
        for (const auto& h : histories) by_id.emplace(h.id, &h);
        return BuildEndpointDataset(enrolments, by_id, kind, settings);
      });
}

}  // namespace stream::service
