#include "service/screening_service.h"

#include <algorithm>

#include "protocol/enrolment_gates.h"
#include "service/access_policy.h"

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

namespace {

int64_t Enrolled(const EnrolmentContext& context, const std::string& protocol_id,
                 const std::string& arm) {
  const auto it = context.tallies.find(protocol_id);
  if (it == context.tallies.end()) return 0;
  int64_t n = 0;
  for (const auto& t : it->second) n += t.arm == arm ? t.count : 0;
  return n;
}

// Arm state (issue #13.6): a closed or full arm shows as such to readers who may know the
// arms; a blinded reader of a blinded protocol learns only that the patient cannot be
// enrolled now.
void ArmState(const Actor& actor, const protocol::Protocol& p, const EnrolmentContext& context,
              ProtocolScreening& s) {
  s.arm_notes.assign(s.arms.size(), "");
  bool unavailable = false;
  for (size_t i = 0; i < s.arms.size(); ++i) {
    const protocol::Arm* arm = p.FindArm(s.arms[i]);
    if (!arm) continue;
    if (arm->cap && Enrolled(context, p.id, arm->id) >= *arm->cap) {
      s.arm_status[i] = protocol::ArmStatus::kClosed;
      s.arm_notes[i] = "full (" + std::to_string(*arm->cap) + " patients)";
    }
    unavailable |= s.arm_status[i] != protocol::ArmStatus::kOpen;
  }
  if (!HidesArms(actor, p)) {
    if (unavailable) {
      for (size_t i = 0; i < s.arms.size(); ++i) {
        if (s.arm_status[i] == protocol::ArmStatus::kOpen) continue;
        const std::string note = s.arm_notes[i].empty() ? "" : ", " + s.arm_notes[i];
        s.refusals.push_back("arm '" + s.arms[i] + "' is " +
                             std::string(protocol::ToString(s.arm_status[i])) + note);
      }
    }
    return;
  }
  std::fill(s.arm_status.begin(), s.arm_status.end(), protocol::ArmStatus::kOpen);
  s.arm_notes.assign(s.arms.size(), "");
  if (unavailable) s.refusals.push_back(kArmsUnavailableBlinded);
}

bool IsCandidate(const protocol::Protocol& p, const PatientHistory& history, Date on,
                 const EnrolmentContext& context) {
  for (const auto& e : context.enrolments)
    if (e.protocol_id == p.id) return false;
  const protocol::SiteStanding open{protocol::SiteState::kActive, on, "", "", ""};
  return protocol::CheckGates(p, {history, on, context.enrolments, open, false}).empty();
}

}  // namespace

Result<ProtocolScreening> ScreeningService::ScreenOne(const Actor& actor,
                                                      const protocol::Protocol& protocol,
                                                      const PatientHistory& history, Date on,
                                                      const rules::Attestations& given,
                                                      const EnrolmentContext* context) {
  if (context == nullptr) return ScreenAgainst(protocol, history, on, given, evaluator_);
  const protocol::SiteStanding standing =
      protocol::StandingOn(context->activations, protocol.id, history.site, on);
  const protocol::VersionInForce version = protocol::InForceAt(
      protocol, standing, history.site,
      [&](const std::string& v) { return catalogue_.FindVersion(protocol.id, v); });
  // A version not loaded: screened under the current text, and refused for enrolment.
  const protocol::Protocol* in_force = version.protocol ? version.protocol : &protocol;
  const rules::Attestations attestations =
      protocol::ValidAttestations(*in_force, context->attestations, on, given);
  STREAM_ASSIGN_OR_RETURN(ProtocolScreening s,
                          ScreenAgainst(*in_force, history, on, attestations, evaluator_));
  s.version = in_force->version;
  s.site_state = protocol::ToString(standing.state);
  if (!version.protocol) s.refusals.push_back(version.refusal);
  for (const auto& e : context->enrolments) {
    if (e.protocol_id != protocol.id) continue;
    s.refusals.push_back("already enrolled in " + protocol.id + " (enrolment " +
                         std::to_string(e.id) + " of " + e.enrolled_at.date().ToString() +
                         (e.off_study_date ? ", off study " + e.off_study_date->ToString() : "") +
                         ")");
  }
  const bool name_others = Allows(actor.role, Permission::kReadAllocations);
  for (const auto& g :
       protocol::CheckGates(*in_force, {history, on, context->enrolments, standing, name_others})) {
    s.refusals.push_back(g.reason);
  }
  ArmState(actor, *in_force, *context, s);
  for (const auto& a : context->attestations) {
    if (a.protocol_id == protocol.id && attestations.count(a.name)) s.attestations.push_back(a);
  }
  return s;
}

Result<Date> ScreeningService::ScreeningDate(std::optional<Date> as_of) const {
  const Date today = clock_.Today();
  if (!as_of) return today;
  if (*as_of > today)
    return Fail(ErrorCode::kInvalidArgument,
                "screening on " + as_of->ToString() + " is after today (" + today.ToString() + ")",
                "as_of");
  return *as_of;
}

Result<PatientScreening> ScreeningService::ScreenPatient(const Actor& actor, int64_t patient_id,
                                                         const rules::Attestations& attestations,
                                                         std::optional<Date> as_of) {
  STREAM_ASSIGN_OR_RETURN(const Date today, ScreeningDate(as_of));
  STREAM_ASSIGN_OR_RETURN(PatientHistory history, registry_.GetHistory(actor, patient_id));
  PatientScreening out{history.id, history.pseudonym, history.site, {}, today};
  std::optional<EnrolmentContext> context;
  if (enrolments_ != nullptr) {
    std::vector<std::string> ids;
    for (const auto& entry : catalogue_.protocols()) ids.push_back(entry->protocol.id);
    STREAM_ASSIGN_OR_RETURN(context, enrolments_->LoadContext(actor, patient_id, ids));
  }
  for (const auto& entry : catalogue_.protocols()) {
    STREAM_ASSIGN_OR_RETURN(ProtocolScreening s,
                            ScreenOne(actor, entry->protocol, history, today, attestations,
                                      context ? &*context : nullptr));
    out.protocols.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<PatientScreening>> ScreeningService::ScreenRegistry(
    const Actor& actor, const std::string& protocol_id, VerdictFilter filter, int64_t page_size,
    std::optional<Date> as_of) {
  const protocol::Protocol* protocol = catalogue_.Find(protocol_id);
  if (protocol == nullptr) {
    return Fail(ErrorCode::kNotFound, "no protocol '" + protocol_id + "' in the catalogue");
  }
  std::vector<PatientScreening> out;
  STREAM_ASSIGN_OR_RETURN(const Date today, ScreeningDate(as_of));
  RecordFilter page;
  page.limit = page_size;
  if (!actor.IsCentral()) page.site = actor.site;
  std::optional<EnrolmentContext> shared;  // activations and tallies, read once
  if (enrolments_ != nullptr) {
    STREAM_ASSIGN_OR_RETURN(shared, enrolments_->LoadContext(actor, 0, {protocol_id}));
  }
  while (true) {
    STREAM_ASSIGN_OR_RETURN(std::vector<Record> patients, registry_.ListPatients(actor, page));
    for (const auto& record : patients) {
      STREAM_ASSIGN_OR_RETURN(PatientHistory history, registry_.GetHistory(actor, record.id));
      std::optional<EnrolmentContext> context;
      if (shared) {
        STREAM_ASSIGN_OR_RETURN(context, enrolments_->LoadContext(actor, record.id, {}));
        context->activations = shared->activations;
        context->tallies = shared->tallies;
      }
      STREAM_ASSIGN_OR_RETURN(ProtocolScreening s, ScreenOne(actor, *protocol, history, today, {},
                                                             context ? &*context : nullptr));
      // An eligible candidate is one the protocol could take: not one already enrolled
      // in it, dead, lost, without consent or held by another trial (those are listed
      // under every verdict only). A site not yet open does not remove a candidate.
      bool keep = filter == VerdictFilter::kAll ||
                  (filter == VerdictFilter::kEligible && s.eligible == rules::Verdict::kMet &&
                   (!context || IsCandidate(*protocol, history, today, *context))) ||
                  (filter == VerdictFilter::kUnknown && s.eligible == rules::Verdict::kUnknown);
      if (!keep) continue;
      PatientScreening p{history.id, history.pseudonym, history.site, {}, today};
      p.protocols.push_back(std::move(s));
      out.push_back(std::move(p));
    }
    if (static_cast<int64_t>(patients.size()) < page_size) break;
    page.after_id = patients.back().id;
  }
  return out;
}

}  // namespace stream::service
