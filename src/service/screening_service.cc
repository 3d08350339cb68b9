#include "service/screening_service.h"

namespace stream::service {

Result<ProtocolScreening> ScreenAgainst(const protocol::Protocol& protocol,
                                        const PatientHistory& patient, Date on,
                                        const rules::Attestations& attestations,
                                        rules::Evaluator& evaluator) {
  ProtocolScreening out;
  out.protocol_id = protocol.id;
  out.protocol_title = protocol.title;
  STREAM_ASSIGN_OR_RETURN(protocol::Screening s,
                          protocol::Screen(protocol, patient, on, attestations, evaluator));
  out.eligible = s.eligible;
  out.criteria.reserve(s.criteria.size());
  for (auto& c : s.criteria) {
    out.criteria.push_back({c.criterion->id, c.criterion->kind, c.criterion->wording, c.qualifies,
                            std::move(c.evaluation.missing), std::move(c.evaluation.explanation)});
  }
  if (out.eligible == rules::Verdict::kNotMet) return out;  // no arm for an ineligible patient
  STREAM_ASSIGN_OR_RETURN(protocol::AssignmentOutcome a,
                          protocol::Assign(protocol, patient, on, attestations, evaluator));
  if (a.assignment != nullptr) {
    out.assignment_entry = a.assignment->id;
    if (!a.assignment->arm.empty()) {
      out.assignment = AssignmentState::kArm;
      out.arms = {a.assignment->arm};
    } else {
      out.assignment = AssignmentState::kRandomise;
      out.arms = a.assignment->randomise;
    }
    for (const auto& arm : out.arms) {
      const protocol::Arm* declared = protocol.FindArm(arm);
      out.arm_status.push_back(declared ? declared->status : protocol::ArmStatus::kOpen);
    }
    if (out.assignment == AssignmentState::kRandomise && protocol.randomisation) {
      const auto& r = *protocol.randomisation;
      for (const auto* list : {&r.strata, &r.factors}) {
        for (const auto& factor : *list) {
          STREAM_ASSIGN_OR_RETURN(
              protocol::FactorOutcome f,
              protocol::ClassifyFactor(factor, patient, on, attestations, evaluator));
          std::string level = f.verdict == rules::Verdict::kMet      ? f.level
                              : f.verdict == rules::Verdict::kNotMet ? "none"
                                                                     : "unknown";
          out.factors.push_back({factor.name, std::move(level), std::move(f.missing)});
        }
      }
    }
  } else if (!a.undecided.empty()) {
    out.assignment = AssignmentState::kWaiting;
    out.assignment_entry = a.undecided.front()->id;
    out.assignment_missing = std::move(a.missing);
  }
  return out;
}

Result<PatientScreening> ScreeningService::ScreenPatient(const Actor& actor, int64_t patient_id,
                                                         const rules::Attestations& attestations) {
  STREAM_ASSIGN_OR_RETURN(PatientHistory history, registry_.GetHistory(actor, patient_id));
  PatientScreening out{history.id, history.pseudonym, history.site, {}};
  Date today = clock_.Today();
  for (const auto& entry : catalogue_.protocols()) {
    STREAM_ASSIGN_OR_RETURN(ProtocolScreening s, ScreenAgainst(entry->protocol, history, today,
                                                               attestations, evaluator_));
    out.protocols.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<PatientScreening>> ScreeningService::ScreenRegistry(
    const Actor& actor, const std::string& protocol_id, VerdictFilter filter, int64_t page_size) {
  const protocol::Protocol* protocol = catalogue_.Find(protocol_id);
  if (protocol == nullptr) {
    return Fail(ErrorCode::kNotFound, "no protocol '" + protocol_id + "' in the catalogue");
  }
  std::vector<PatientScreening> out;
  Date today = clock_.Today();
  RecordFilter page;
  page.limit = page_size;
  if (!actor.IsCentral()) page.site = actor.site;
  while (true) {
    STREAM_ASSIGN_OR_RETURN(std::vector<Record> patients, registry_.ListPatients(actor, page));
    for (const auto& record : patients) {
      STREAM_ASSIGN_OR_RETURN(PatientHistory history, registry_.GetHistory(actor, record.id));
      STREAM_ASSIGN_OR_RETURN(ProtocolScreening s,
                              ScreenAgainst(*protocol, history, today, {}, evaluator_));
      bool keep = filter == VerdictFilter::kAll ||
                  (filter == VerdictFilter::kEligible && s.eligible == rules::Verdict::kMet) ||
                  (filter == VerdictFilter::kUnknown && s.eligible == rules::Verdict::kUnknown);
      if (!keep) continue;
      PatientScreening p{history.id, history.pseudonym, history.site, {}};
      p.protocols.push_back(std::move(s));
      out.push_back(std::move(p));
    }
    if (static_cast<int64_t>(patients.size()) < page_size) break;
    page.after_id = patients.back().id;
  }
  return out;
}

}  // namespace stream::service
