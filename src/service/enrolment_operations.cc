// EnrolmentService beyond allocation (issue #23, #13.5): ending an enrolment, storing
// and listing attestations, and the context screening reads.
#include <algorithm>

#include "protocol/enrolment_gates.h"
#include "service/access_policy.h"
#include "service/attestation_records.h"
#include "service/audit_trail.h"
#include "service/enrolment_service.h"
#include "service/history_loader.h"
#include "service/transaction_runner.h"

namespace stream::service {

Status StoreAttestations(Transaction& tx, const Actor& actor, const protocol::Protocol& protocol,
                         const PatientHistory& patient, const rules::Attestations& given,
                         Timestamp now) {
  if (given.empty()) return Ok();
  std::string facts;
  for (const auto& [name, value] : given) {
    if (name.empty() || name.size() > 100) {
      return Fail(ErrorCode::kInvalidArgument, "an attestation name of 1 to 100 characters",
                  "attestations");
    }
    Attestation a;
    a.patient_id = patient.id;
    a.protocol_id = protocol.id;
    a.protocol_version = protocol.version;
    a.criterion = protocol::CriterionAttesting(protocol, name);
    a.name = name;
    a.value = value;
    a.attested_on = now.date();
    a.attested_at = now;
    a.attested_by = actor.username;
    a.site = patient.site;
    STREAM_ASSIGN_OR_RETURN(int64_t id, tx.InsertAttestation(a));
    (void)id;
    facts += (facts.empty() ? "" : "; ") + name + "=" + (value ? "true" : "false") +
             (a.criterion.empty() ? "" : " (" + a.criterion + ")");
  }
  AuditWriter audit(tx);
  AuditEntry e;
  e.at = now;
  e.actor = actor.username;
  e.site = patient.site;
  e.entity = "attestation";
  e.patient_id = patient.id;
  e.action = "create";
  e.new_value = "protocol=" + protocol.id + "; version=" + protocol.version + "; " + facts;
  e.request_id = actor.request_id;
  return audit.Append(std::move(e));
}

Result<Enrolment> EnrolmentService::EndEnrolment(const Actor& actor,
                                                 const protocol::Protocol& protocol,
                                                 const EndEnrolmentRequest& request) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kEnrol));
  const bool known_reason = std::any_of(std::begin(kOffStudyReasons), std::end(kOffStudyReasons),
                                        [&](const char* r) { return request.reason == r; });
  if (!known_reason) {
    return Fail(ErrorCode::kInvalidArgument,
                "expected completed, toxicity, progression, withdrawal, death or "
                "investigator_decision",
                "reason");
  }
  if (request.note.size() > 2000)
    return Fail(ErrorCode::kInvalidArgument, "at most 2000 characters", "note");
  const Date today = clock_.Today();
  if (request.off_study_date > today) {
    return Fail(ErrorCode::kInvalidArgument,
                "the off-study date " + request.off_study_date.ToString() + " is after today",
                "off_study_date");
  }
  Enrolment out;
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    STREAM_ASSIGN_OR_RETURN(PatientHistory history, LoadHistory(tx, actor, request.patient_id));
    STREAM_ASSIGN_OR_RETURN(auto enrolment, tx.FindEnrolment(protocol.id, request.patient_id));
    if (!enrolment) {
      return Fail(ErrorCode::kNotFound, "patient " + std::to_string(request.patient_id) +
                                            " is not enrolled in " + protocol.id);
    }
    if (enrolment->off_study_date) {
      return Fail(ErrorCode::kConflict, "the enrolment already ended on " +
                                            enrolment->off_study_date->ToString() + " (" +
                                            enrolment->off_study_reason + ")");
    }
    if (request.off_study_date < enrolment->enrolled_at.date()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the off-study date " + request.off_study_date.ToString() +
                      " is before the enrolment of " + enrolment->enrolled_at.date().ToString(),
                  "off_study_date");
    }
    EnrolmentEnding ending{enrolment->id, request.off_study_date, request.reason,
                           request.note,  clock_.Now(),           actor.username};
    STREAM_RETURN_IF_ERROR(tx.InsertEnrolmentEnding(ending));
    AuditWriter audit(tx);
    AuditEntry a;
    a.at = ending.ended_at;
    a.actor = actor.username;
    a.site = history.site;
    a.entity = "enrolment";
    a.entity_id = enrolment->id;
    a.patient_id = request.patient_id;
    a.action = "update";
    a.field = "off_study";
    a.new_value = request.off_study_date.ToString() + "; reason=" + request.reason;
    a.reason = request.note;
    a.request_id = actor.request_id;
    STREAM_RETURN_IF_ERROR(audit.Append(std::move(a)));
    out = *enrolment;
    out.off_study_date = request.off_study_date;
    out.off_study_reason = request.reason;
    return Ok();
  });
  if (!s.ok()) return s.error();
  if (HidesArms(actor, protocol)) out.arm = kBlindedArm;
  return out;
}

Result<std::vector<Attestation>> EnrolmentService::RecordAttestations(
    const Actor& actor, const protocol::Protocol& protocol, int64_t patient_id,
    const rules::Attestations& attestations) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kScreen));
  if (attestations.empty())
    return Fail(ErrorCode::kInvalidArgument, "give at least one attestation", "attestations");
  return RunInTransaction<std::vector<Attestation>>(
      store_, TransactionMode::kWrite, [&](Transaction& tx) -> Result<std::vector<Attestation>> {
        STREAM_ASSIGN_OR_RETURN(PatientHistory history, LoadHistory(tx, actor, patient_id));
        STREAM_RETURN_IF_ERROR(
            StoreAttestations(tx, actor, protocol, history, attestations, clock_.Now()));
        return tx.ListAttestations(patient_id);
      });
}

Result<std::vector<Attestation>> EnrolmentService::ListAttestations(const Actor& actor,
                                                                    int64_t patient_id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kScreen));
  return RunInTransaction<std::vector<Attestation>>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<std::vector<Attestation>> {
        STREAM_ASSIGN_OR_RETURN(PatientHistory history, LoadHistory(tx, actor, patient_id));
        (void)history;
        return tx.ListAttestations(patient_id);
      });
}

Result<EnrolmentContext> EnrolmentService::LoadContext(
    const Actor& actor, int64_t patient_id, const std::vector<std::string>& protocol_ids) {
  return RunInTransaction<EnrolmentContext>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<EnrolmentContext> {
        EnrolmentContext out;
        if (patient_id != 0) {
          STREAM_ASSIGN_OR_RETURN(PatientHistory history, LoadHistory(tx, actor, patient_id));
          (void)history;
          STREAM_ASSIGN_OR_RETURN(out.enrolments, tx.ListPatientEnrolments(patient_id));
          STREAM_ASSIGN_OR_RETURN(out.attestations, tx.ListAttestations(patient_id));
        }
        if (protocol_ids.empty()) return out;
        STREAM_ASSIGN_OR_RETURN(out.activations, tx.ListSiteActivations(""));
        for (const auto& id : protocol_ids) {
          STREAM_ASSIGN_OR_RETURN(out.tallies[id], tx.TallyEnrolments(id));
        }
        return out;
      });
}

}  // namespace stream::service
