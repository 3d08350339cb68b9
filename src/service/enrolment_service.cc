#include "service/enrolment_service.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "core/field_reader.h"
#include "protocol/enrolment_gates.h"
#include "randomisation/minimisation.h"
#include "service/access_policy.h"
#include "service/attestation_records.h"
#include "service/audit_trail.h"
#include "service/history_loader.h"
#include "service/keyed_random.h"
#include "service/transaction_runner.h"

namespace stream::service {
namespace {

using protocol::Protocol;

EnrolmentOutcome Refused(std::vector<std::string> reasons) {
  EnrolmentOutcome out;
  out.status = EnrolmentStatus::kRefused;
  out.reasons = std::move(reasons);
  return out;
}

bool HasTrialConsent(const PatientHistory& h, Date today) {
  for (const auto& c : h.consents) {
    const bool trial = std::find(c.scope.begin(), c.scope.end(), "trial") != c.scope.end();
    const bool withdrawn = c.withdrawal_date && *c.withdrawal_date <= today;
    if (trial && !withdrawn && c.consent_date <= today) return true;
  }
  return false;
}

randomisation::BlockDesign Design(const protocol::Randomisation& r) {
  randomisation::BlockDesign design;
  for (const auto& [arm, weight] : r.ratio) design.arms.push_back({arm, weight});
  design.block_sizes = r.block_sizes;
  return design;
}

std::string ListLabel(const Protocol& p, const std::string& stratum) {
  return p.id + "|" + stratum;
}

int64_t CountInArm(const std::vector<EnrolmentTally>& tally, const std::string& arm) {
  int64_t n = 0;
  for (const auto& t : tally) n += t.arm == arm ? t.count : 0;
  return n;
}

// Why an arm cannot take a patient now; empty when it can.
std::string ArmUnavailable(const Protocol& p, const std::string& arm_id,
                           const std::vector<EnrolmentTally>& enrolments) {
  const protocol::Arm* arm = p.FindArm(arm_id);
  if (!arm) return "arm '" + arm_id + "' is not in the protocol";
  if (arm->status == protocol::ArmStatus::kClosed) return "arm '" + arm_id + "' is closed";
  if (arm->status == protocol::ArmStatus::kSuspended) return "arm '" + arm_id + "' is suspended";
  if (arm->cap && CountInArm(enrolments, arm_id) >= *arm->cap) {
    return "arm '" + arm_id + "' is full (" + std::to_string(*arm->cap) + " patients): closed";
  }
  return {};
}

std::map<std::string, std::string> ParseLevels(const std::string& text) {
  std::map<std::string, std::string> levels;
  std::istringstream in(text);
  std::string pair;
  while (std::getline(in, pair, ';')) {
    const auto eq = pair.find('=');
    if (eq != std::string::npos) levels[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return levels;
}

std::string JoinLevels(const std::vector<std::pair<std::string, std::string>>& levels) {
  std::string out;
  for (const auto& [factor, level] : levels) out += (out.empty() ? "" : ";") + factor + "=" + level;
  return out;
}

}  // namespace

bool HidesArms(const Actor& actor, const Protocol& protocol) {
  return protocol.randomisation && protocol.randomisation->blinded && IsBlinded(actor.role);
}

Result<std::vector<AllocationView>> EnrolmentService::ListAllocations(
    const Actor& actor, const Protocol& protocol,
    const std::function<std::string(const std::string&)>& study_pseudonym) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadAllocations));
  const bool hide_arms = HidesArms(actor, protocol);
  const bool pseudonymise = SeesStudyPseudonyms(actor.role);
  return RunInTransaction<std::vector<AllocationView>>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<std::vector<AllocationView>> {
        STREAM_ASSIGN_OR_RETURN(auto enrolments, tx.ListEnrolments(protocol.id));
        std::vector<AllocationView> out;
        for (auto& e : enrolments) {
          STREAM_ASSIGN_OR_RETURN(auto patient, tx.FindRecord(PatientKind(), e.patient_id));
          if (!patient || !actor.CanSee(SiteOf(*patient))) continue;
          AllocationView view{std::move(e), PseudonymOf(*patient)};
          if (hide_arms) view.enrolment.arm = kBlindedArm;
          if (pseudonymise) {
            view.patient = study_pseudonym(view.patient);
            view.enrolment.patient_id = 0;
            view.enrolment.id = 0;
            view.enrolment.idempotency_key.clear();
          }
          out.push_back(std::move(view));
        }
        return out;
      });
}

std::string ListText(const std::vector<randomisation::ListEntry>& entries) {
  std::string text;
  for (const auto& e : entries) {
    text += std::to_string(e.position) + "," + std::to_string(e.block) + "," +
            std::to_string(e.block_size) + "," + e.arm + "\n";
  }
  return text;
}

Result<EnrolmentOutcome> EnrolmentService::Enrol(const Actor& actor, const Protocol& protocol,
                                                 const EnrolmentRequest& request) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kEnrol));
  if (request.protocol_id != protocol.id) {
    return Fail(ErrorCode::kInvalidArgument,
                "the request names protocol '" + request.protocol_id + "'", "protocol_id");
  }
  if (request.idempotency_key.empty() || request.idempotency_key.size() > 200) {
    return Fail(ErrorCode::kInvalidArgument,
                "an idempotency key of 1 to 200 characters is required", "idempotency_key");
  }
  EnrolmentOutcome outcome;
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    outcome = EnrolmentOutcome{};
    // 1. A replay returns the original allocation, whatever happened since.
    STREAM_ASSIGN_OR_RETURN(auto replay, tx.FindEnrolmentByKey(request.idempotency_key));
    if (replay) {
      if (replay->protocol_id != protocol.id || replay->patient_id != request.patient_id) {
        return Fail(ErrorCode::kConflict, "this idempotency key was used for another enrolment",
                    "idempotency_key");
      }
      STREAM_ASSIGN_OR_RETURN(auto visible, LoadHistory(tx, actor, request.patient_id));
      outcome.pseudonym = visible.pseudonym;
      outcome.status = EnrolmentStatus::kReplayed;
      outcome.enrolment = *replay;
      return Ok();
    }
    STREAM_ASSIGN_OR_RETURN(PatientHistory history, LoadHistory(tx, actor, request.patient_id));
    outcome.pseudonym = history.pseudonym;
    const Date today = clock_.Today();
    // Every refusal is audited as an attempted enrolment (issue #23): who, when, why.
    std::string version_used = protocol.version;
    auto refuse = [&](std::vector<std::string> reasons) -> Status {
      const std::string pseudonym = outcome.pseudonym;
      outcome = Refused(std::move(reasons));
      outcome.pseudonym = pseudonym;
      AuditWriter refusal(tx);
      AuditEntry a;
      a.at = clock_.Now();
      a.actor = actor.username;
      a.site = history.site;
      a.entity = "enrolment_attempt";
      a.patient_id = request.patient_id;
      a.action = "refuse";
      std::string why;
      for (const auto& r : outcome.reasons) why += (why.empty() ? "" : " | ") + r;
      a.new_value = "protocol=" + protocol.id + "; version=" + version_used +
                    "; key=" + request.idempotency_key + "; reasons=" + why;
      a.request_id = actor.request_id;
      return refusal.Append(std::move(a));
    };
    STREAM_ASSIGN_OR_RETURN(auto existing, tx.FindEnrolment(protocol.id, request.patient_id));
    if (existing) {
      const std::string arm = HidesArms(actor, protocol) ? kBlindedArm : existing->arm;
      return refuse({"already enrolled in " + protocol.id + " (arm " + arm + ", enrolment " +
                     std::to_string(existing->id) + ")"});
    }
    // 2. The gates (issue #23): the version in force at the patient's site, vital status,
    // withdrawn consent, co-enrolment, site activation.
    STREAM_ASSIGN_OR_RETURN(auto activations, tx.ListSiteActivations(protocol.id));
    const protocol::SiteStanding standing =
        protocol::StandingOn(activations, protocol.id, history.site, today);
    const protocol::VersionInForce version =
        protocol::InForceAt(protocol, standing, history.site, request.find_version);
    if (!version.protocol) return refuse({version.refusal});
    const Protocol* in_force = version.protocol;
    version_used = in_force->version;
    STREAM_ASSIGN_OR_RETURN(auto patient_enrolments, tx.ListPatientEnrolments(request.patient_id));
    std::vector<std::string> reasons;
    for (const auto& g :
         protocol::CheckGates(*in_force, {history, today, patient_enrolments, standing,
                                          Allows(actor.role, Permission::kReadAllocations)})) {
      reasons.push_back(g.reason);
    }
    // The site's attestations become dated, attributed records (issue #13.5), also when
    // the enrolment is refused; stored ones still valid count too.
    STREAM_ASSIGN_OR_RETURN(auto stored, tx.ListAttestations(request.patient_id));
    const rules::Attestations attestations =
        protocol::ValidAttestations(*in_force, stored, today, request.attestations);
    STREAM_RETURN_IF_ERROR(
        StoreAttestations(tx, actor, *in_force, history, request.attestations, clock_.Now()));
    // 3. Consent, then every criterion met and none unknown.
    if (!HasTrialConsent(history, today))
      reasons.push_back("no consent to trial participation recorded");
    rules::Evaluator evaluator;
    STREAM_ASSIGN_OR_RETURN(auto screening,
                            protocol::Screen(*in_force, history, today, attestations, evaluator));
    for (const auto& c : screening.criteria) {
      if (c.qualifies == rules::Verdict::kMet) continue;
      std::string reason = c.criterion->id + " (" + c.criterion->wording + "): ";
      if (c.qualifies == rules::Verdict::kNotMet) {
        // An exclusion that is met blocks; the evaluator explains the rule, not the block.
        const bool exclusion = c.criterion->kind == protocol::CriterionKind::kExclusion;
        reason += exclusion ? "exclusion applies" : "not met";
        if (!c.evaluation.explanation.empty()) reason += " (" + c.evaluation.explanation + ")";
      } else {
        reason += "unknown";
        for (size_t i = 0; i < c.evaluation.missing.size(); ++i)
          reason += (i ? "; " : " — ") + c.evaluation.missing[i];
      }
      reasons.push_back(std::move(reason));
    }
    if (!reasons.empty()) return refuse(std::move(reasons));
    // 4. The assignment list decides.
    STREAM_ASSIGN_OR_RETURN(auto assignment,
                            protocol::Assign(*in_force, history, today, attestations, evaluator));
    if (!assignment.assignment || !assignment.undecided.empty()) {
      std::vector<std::string> why;
      for (const auto* a : assignment.undecided)
        why.push_back("assignment '" + a->id + "' is undecided");
      for (const auto& m : assignment.missing) why.push_back(m);
      if (why.empty()) why.push_back("no assignment rule of the protocol applies to this patient");
      return refuse(std::move(why));
    }
    STREAM_ASSIGN_OR_RETURN(auto enrolments, tx.TallyEnrolments(protocol.id));
    // A closed or full arm is named only to readers who may know the arms (issue #13.6).
    const bool blinded_protocol = protocol.randomisation && protocol.randomisation->blinded;
    auto arm_refusal = [&](std::string why) -> Status {
      if (blinded_protocol) why = kArmsUnavailableBlinded;
      return refuse({std::move(why)});
    };
    Enrolment e;
    e.protocol_id = protocol.id;
    e.protocol_version = in_force->version;
    e.patient_id = request.patient_id;
    e.idempotency_key = request.idempotency_key;
    e.enrolled_at = clock_.Now();
    e.enrolled_by = actor.username;
    const auto& entry = *assignment.assignment;
    AuditWriter audit(tx);
    if (!entry.arm.empty()) {
      if (auto why = ArmUnavailable(*in_force, entry.arm, enrolments); !why.empty())
        return arm_refusal(why);
      e.arm = entry.arm;
      e.method = "rule";
      e.algorithm_version = "assignment '" + entry.id + "'";
    } else {
      if (!in_force->randomisation)
        return Fail(ErrorCode::kInternal, "protocol randomises without a randomisation section");
      const auto& r = *in_force->randomisation;
      for (const auto& arm : entry.randomise) {
        if (auto why = ArmUnavailable(*in_force, arm, enrolments); !why.empty())
          return arm_refusal("randomisation is closed: " + why);
      }
      const auto& factors =
          r.method == protocol::RandomisationMethod::kPermutedBlocks ? r.strata : r.factors;
      std::vector<std::pair<std::string, std::string>> levels;
      std::vector<std::string> missing;
      for (const auto& f : factors) {
        STREAM_ASSIGN_OR_RETURN(
            auto level, protocol::ClassifyFactor(f, history, today, attestations, evaluator));
        if (level.verdict != rules::Verdict::kMet) {
          if (level.missing.empty())
            level.missing.push_back("no level of factor '" + f.name + "' applies");
          missing.insert(missing.end(), level.missing.begin(), level.missing.end());
        }
        levels.emplace_back(f.name, level.level);
      }
      if (!missing.empty()) return refuse(std::move(missing));
      e.factor_levels = JoinLevels(levels);
      if (r.method == protocol::RandomisationMethod::kPermutedBlocks) {
        e.method = "blocks";
        e.algorithm_version = kBlocksAlgorithm;
        e.stratum = e.factor_levels;
        STREAM_ASSIGN_OR_RETURN(int64_t last, tx.LastSequencePosition(protocol.id, e.stratum));
        e.sequence_position = last + 1;
        STREAM_ASSIGN_OR_RETURN(auto activated, tx.FindRandomisationList(protocol.id, e.stratum));
        const int length = static_cast<int>(std::max<int64_t>(kListLength, e.sequence_position));
        KeyedRandom random(key_, ListLabel(protocol, e.stratum));
        STREAM_ASSIGN_OR_RETURN(auto list,
                                randomisation::GenerateBlockList(Design(r), length, random));
        if (!activated) {
          // Activating a stratum's list records its hash, so it can be shown later that
          // the allocations followed a list fixed in advance.
          const std::vector<randomisation::ListEntry> head(list.begin(),
                                                           list.begin() + kListLength);
          RandomisationList record{
              protocol.id,  e.stratum,     kBlocksAlgorithm, kListLength, Sha256Hex(ListText(head)),
              clock_.Now(), actor.username};
          STREAM_ASSIGN_OR_RETURN(int64_t list_id, tx.InsertRandomisationList(record));
          AuditEntry a;
          a.at = clock_.Now();
          a.actor = actor.username;
          a.entity = "randomisation_list";
          a.entity_id = list_id;
          a.action = "create";
          a.new_value = "protocol=" + protocol.id + "; stratum=" + e.stratum +
                        "; algorithm=" + kBlocksAlgorithm +
                        "; length=" + std::to_string(kListLength) + "; sha256=" + record.list_hash;
          a.request_id = actor.request_id;
          STREAM_RETURN_IF_ERROR(audit.Append(std::move(a)));
        }
        e.arm = list[static_cast<size_t>(e.sequence_position - 1)].arm;
      } else {
        e.method = "minimisation";
        e.algorithm_version = kMinimisationAlgorithm;
        randomisation::MinimisationDesign design;
        for (const auto& [arm, weight] : r.ratio) {
          design.arms.push_back(arm);
          design.arm_weights.push_back(weight);
        }
        for (const auto& f : r.factors) design.factors.push_back({f.name, f.weight});
        design.p_best = r.probability;
        randomisation::MarginCounts counts;
        int64_t total = 0;
        for (const auto& group : enrolments) {
          total += group.count;
          if (group.method != "minimisation") continue;
          const auto arm = std::find(design.arms.begin(), design.arms.end(), group.arm);
          if (arm == design.arms.end()) continue;
          for (const auto& [factor, level] : ParseLevels(group.factor_levels)) {
            auto& c = counts[factor][level];
            c.resize(design.arms.size(), 0);
            c[static_cast<size_t>(arm - design.arms.begin())] += static_cast<int>(group.count);
          }
        }
        // Each draw has its own keyed stream, so the sequence of decisions is reproducible.
        KeyedRandom random(key_, ListLabel(protocol, "minimisation#" + std::to_string(total + 1)));
        std::map<std::string, std::string> level_map(levels.begin(), levels.end());
        STREAM_ASSIGN_OR_RETURN(auto decision,
                                randomisation::Minimise(design, counts, level_map, random));
        e.arm = decision.arm;
      }
    }
    STREAM_ASSIGN_OR_RETURN(e.id, tx.InsertEnrolment(e));
    AuditEntry a;
    a.at = e.enrolled_at;
    a.actor = actor.username;
    a.site = history.site;
    a.entity = "enrolment";
    a.entity_id = e.id;
    a.patient_id = e.patient_id;
    a.action = "create";
    a.new_value = "protocol=" + e.protocol_id + "; version=" + e.protocol_version +
                  "; arm=" + e.arm + "; method=" + e.method + "; algorithm=" + e.algorithm_version +
                  "; stratum=" + e.stratum + "; position=" + std::to_string(e.sequence_position) +
                  "; factors=" + e.factor_levels;
    a.request_id = actor.request_id;
    STREAM_RETURN_IF_ERROR(audit.Append(std::move(a)));
    outcome.status = EnrolmentStatus::kEnrolled;
    outcome.enrolment = e;
    return Ok();
  });
  if (!s.ok()) return s.error();
  if (HidesArms(actor, protocol) && outcome.status != EnrolmentStatus::kRefused)
    outcome.enrolment.arm = kBlindedArm;
  return outcome;
}

Result<Enrolment> EnrolmentService::Unblind(const Actor& actor, const Protocol& protocol,
                                            int64_t patient_id, const std::string& reason) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kUnblind));
  if (reason.empty())
    return Fail(ErrorCode::kReasonRequired, "emergency unblinding needs a reason", "reason");
  Enrolment out;
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    STREAM_ASSIGN_OR_RETURN(PatientHistory history, LoadHistory(tx, actor, patient_id));
    STREAM_ASSIGN_OR_RETURN(auto enrolment, tx.FindEnrolment(protocol.id, patient_id));
    if (!enrolment)
      return Fail(ErrorCode::kNotFound,
                  "patient " + std::to_string(patient_id) + " is not enrolled in " + protocol.id);
    out = *enrolment;
    AuditWriter audit(tx);
    AuditEntry a;
    a.at = clock_.Now();
    a.actor = actor.username;
    a.site = history.site;
    a.entity = "enrolment";
    a.entity_id = enrolment->id;
    a.patient_id = patient_id;
    a.action = "unblind";
    a.field = "arm";
    a.new_value = enrolment->arm;
    a.reason = reason;
    a.request_id = actor.request_id;
    return audit.Append(std::move(a));
  });
  if (!s.ok()) return s.error();
  return out;
}

Result<EnrolmentService::RegeneratedList> EnrolmentService::RegenerateList(
    const Actor& actor, const Protocol& protocol, const std::string& stratum, int length) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kManageRandomisation));
  if (!protocol.randomisation ||
      protocol.randomisation->method != protocol::RandomisationMethod::kPermutedBlocks) {
    return Fail(ErrorCode::kInvalidArgument,
                "protocol " + protocol.id + " has no permuted-block list", "protocol");
  }
  if (length < 1 || length > 1'000'000)
    return Fail(ErrorCode::kInvalidArgument, "length must be 1 to 1000000", "length");
  RegeneratedList out;
  KeyedRandom random(key_, ListLabel(protocol, stratum));
  STREAM_ASSIGN_OR_RETURN(auto list,
                          randomisation::GenerateBlockList(Design(*protocol.randomisation),
                                                           std::max(length, kListLength), random));
  out.hash = Sha256Hex(ListText({list.begin(), list.begin() + kListLength}));
  list.resize(static_cast<size_t>(length));
  out.entries = std::move(list);
  Status s = RunInTransaction(store_, TransactionMode::kRead, [&](Transaction& tx) -> Status {
    STREAM_ASSIGN_OR_RETURN(auto recorded, tx.FindRandomisationList(protocol.id, stratum));
    if (recorded) out.recorded_hash = recorded->list_hash;
    return Ok();
  });
  if (!s.ok()) return s.error();
  return out;
}

}  // namespace stream::service
