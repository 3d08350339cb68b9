// Patients in protocols, as the store keeps them: enrolments with the arm each was given
// and how, their endings, the activated randomisation lists, and the attestations sites
// gave at screening. One of the repositories a store Transaction (core/store.h) offers.
//
// Every method runs inside the Transaction it belongs to and sees that transaction's
// own writes; nothing is durable before Transaction::Commit. Failures are typed
// (core/error.h) as in core/account_repository.h. Used by one thread, like its
// Transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace stream {

// One patient's enrolment in a protocol, with how the arm was given (reliability
// promise 6). Allocations are never edited, only voided with a reason.
struct Enrolment {
  int64_t id = 0;
  std::string protocol_id;
  std::string protocol_version;
  int64_t patient_id = 0;
  std::string arm;
  std::string method;             // rule | blocks | minimisation
  std::string stratum;            // "" when not stratified
  int64_t sequence_position = 0;  // position in the stratum's list (blocks); 0 otherwise
  std::string factor_levels;      // "factor=level;…" used by minimisation and strata
  std::string algorithm_version;
  std::string idempotency_key;  // unique: a replayed request finds the original
  Timestamp enrolled_at;
  std::string enrolled_by;
  bool voided = false;
  // Set when the patient went off study (issue #23): the enrolment no longer holds the
  // patient for co-enrolment rules from that date.
  std::optional<Date> off_study_date;
  std::string off_study_reason;  // completed | toxicity | progression | withdrawal | death |
                                 // investigator_decision
};

// The end of an enrolment: off-study date and reason, recorded once.
struct EnrolmentEnding {
  int64_t enrolment_id = 0;
  Date off_study_date;
  std::string reason;  // see Enrolment::off_study_reason
  std::string note;
  Timestamp ended_at;
  std::string ended_by;
};

// How many patients a protocol has per arm, method and factor levels: what caps and
// minimisation need, without reading every enrolment.
struct EnrolmentTally {
  std::string arm;
  std::string method;
  std::string factor_levels;
  int64_t count = 0;
};

// The record that a stratum's concealed list was activated, with the list's hash.
struct RandomisationList {
  std::string protocol_id;
  std::string stratum;
  std::string algorithm;
  int64_t length = 0;
  std::string list_hash;  // hex SHA-256 of the list's first `length` entries
  Timestamp activated_at;
  std::string activated_by;
};

// A site's answer to an `attested("name")` fact, kept as a dated, attributed record
// (issue #13.5): who attested what for which protocol version and criterion, and when.
struct Attestation {
  int64_t id = 0;
  int64_t patient_id = 0;
  std::string protocol_id;
  std::string protocol_version;
  std::string criterion;  // the criterion whose rule asks for it; "" when several or none
  std::string name;       // the attested fact
  bool value = false;
  Date attested_on;  // the clinical date the attestation is about
  Timestamp attested_at;
  std::string attested_by;
  std::string site;
};

class EnrolmentRepository {
 public:
  virtual ~EnrolmentRepository() = default;

  // Enrolments and randomisation. InsertEnrolment gives kAlreadyExists when the
  // idempotency key, the (protocol, patient) pair or the (protocol, stratum, position)
  // is taken.
  virtual Result<int64_t> InsertEnrolment(const Enrolment& enrolment) = 0;
  virtual Result<std::optional<Enrolment>> FindEnrolmentByKey(std::string_view idempotency_key) = 0;
  virtual Result<std::optional<Enrolment>> FindEnrolment(std::string_view protocol_id,
                                                         int64_t patient_id) = 0;
  // Every non-voided enrolment of a protocol, in id order.
  virtual Result<std::vector<Enrolment>> ListEnrolments(std::string_view protocol_id) = 0;
  virtual Result<std::vector<EnrolmentTally>> TallyEnrolments(std::string_view protocol_id) = 0;
  // The highest sequence position used in a stratum (0 when none).
  virtual Result<int64_t> LastSequencePosition(std::string_view protocol_id,
                                               std::string_view stratum) = 0;
  virtual Result<std::optional<RandomisationList>> FindRandomisationList(
      std::string_view protocol_id, std::string_view stratum) = 0;
  virtual Result<int64_t> InsertRandomisationList(const RandomisationList& list) = 0;
  // Every non-voided enrolment of one patient in any protocol, with its ending, in id order.
  virtual Result<std::vector<Enrolment>> ListPatientEnrolments(int64_t patient_id) = 0;
  // kAlreadyExists when the enrolment has already ended.
  [[nodiscard]] virtual Status InsertEnrolmentEnding(const EnrolmentEnding& ending) = 0;

  // Attestations (issue #13.5), of one patient, in id order.
  virtual Result<int64_t> InsertAttestation(const Attestation& attestation) = 0;
  virtual Result<std::vector<Attestation>> ListAttestations(int64_t patient_id) = 0;
};

}  // namespace stream
