// EnrolmentService: enrolment and allocation in one transaction (issue #3, reliability
// promise 6).
//
// Enrol re-checks eligibility (every criterion met, none unknown) and trial consent,
// then gives the arm the protocol's assignment list decides: a rule's arm, or a draw
// among arms from the concealed sequence (stratified permuted blocks, or Pocock–Simon
// minimisation). Arm caps are enforced and a full arm closes. A request replayed with
// the same idempotency key returns the original allocation; a patient is never
// randomised twice. Every allocation is audited with the algorithm version, stratum and
// sequence position. "Not eligible" and "arm full" are outcomes, not errors.
// Thread-safe if the Store is.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/store.h"
#include "protocol/protocol.h"
#include "randomisation/block_list.h"
#include "rules/criteria.h"
#include "service/actor.h"

namespace stream::service {

inline constexpr char kBlocksAlgorithm[] = "stream-permuted-blocks-1";
inline constexpr char kMinimisationAlgorithm[] = "stream-pocock-simon-1";
inline constexpr int kListLength = 1000;  // entries hashed when a stratum's list is activated

struct EnrolmentRequest {
  std::string protocol_id;  // must equal the protocol passed
  int64_t patient_id = 0;
  std::string idempotency_key;
  rules::Attestations attestations;  // site-attested facts the registry does not hold
  // Another loaded version of the protocol, by version string (ProtocolCatalogue::
  // FindVersion): the site's approved version is used when it differs from `protocol`'s.
  // Unset: only `protocol`'s own version can be enrolled under.
  std::function<const protocol::Protocol*(const std::string& version)> find_version;
};

// Why an enrolment ends (issue #23): the off-study reasons of the CONSORT flow.
inline constexpr const char* kOffStudyReasons[] = {
    "completed", "toxicity", "progression", "withdrawal", "death", "investigator_decision"};

struct EndEnrolmentRequest {
  int64_t patient_id = 0;
  Date off_study_date;
  std::string reason;  // one of kOffStudyReasons
  std::string note;
};

// What screening needs to know beyond the patient's records (issue #23, #13): the
// patient's enrolments, the protocols' standing at sites, the stored attestations, and
// how full each arm is. Read in one transaction.
struct EnrolmentContext {
  std::vector<Enrolment> enrolments;        // the patient's, in every protocol
  std::vector<SiteActivation> activations;  // of every protocol
  std::vector<Attestation> attestations;    // the patient's
  std::map<std::string, std::vector<EnrolmentTally>, std::less<>> tallies;  // by protocol
};

enum class EnrolmentStatus { kEnrolled, kReplayed, kRefused };

struct EnrolmentOutcome {
  EnrolmentStatus status = EnrolmentStatus::kRefused;
  Enrolment enrolment;               // enrolled or replayed
  std::string pseudonym;             // the patient's, as read in the same transaction
  std::vector<std::string> reasons;  // refused: each blocking criterion or missing fact
};

// Whether `actor` must not see the arms of `protocol` (a blinded role, a blinded protocol).
bool HidesArms(const Actor& actor, const protocol::Protocol& protocol);
// What a blinded reader is told when an arm cannot take the patient: nothing that
// reveals which arm, or how full it is (issue #13.6).
inline constexpr char kArmsUnavailableBlinded[] =
    "the patient cannot be enrolled now: the protocol cannot take new patients in the "
    "assignment that applies (ask the trial office when it reopens)";
inline constexpr char kBlindedArm[] = "(blinded)";
// The name of the one pooled arm that per-arm summaries show blinded readers.
inline constexpr char kAllArmsName[] = "All arms";

// One allocation as a reader may see it: the patient by pseudonym (a per-study pseudonym
// for statisticians, with ids removed) and the arm masked for blinded readers.
struct AllocationView {
  Enrolment enrolment;
  std::string patient;
};

class EnrolmentService {
 public:
  // `randomisation_key` is the secret seed of every list (the randomisation
  // administrator's key file); the service keeps its own copy.
  EnrolmentService(Store& store, const Clock& clock, std::string randomisation_key)
      : store_(store), clock_(clock), key_(std::move(randomisation_key)) {}

  // kEnrol. The arm of a blinded protocol is masked for blinded roles.
  Result<EnrolmentOutcome> Enrol(const Actor& actor, const protocol::Protocol& protocol,
                                 const EnrolmentRequest& request);

  // Ends the patient's enrolment in `protocol` (off study from a date, with a reason), so
  // co-enrolment rules no longer hold the patient after it. kEnrol; kNotFound when not
  // enrolled; kConflict when already ended; kInvalidArgument naming the field for a date
  // before the enrolment or after today, or an unknown reason. Audited.
  Result<Enrolment> EndEnrolment(const Actor& actor, const protocol::Protocol& protocol,
                                 const EndEnrolmentRequest& request);

  // Stores site attestations for a patient and protocol as dated, attributed records
  // (issue #13.5), without enrolling. kScreen; the patient must be visible. Audited.
  Result<std::vector<Attestation>> RecordAttestations(const Actor& actor,
                                                      const protocol::Protocol& protocol,
                                                      int64_t patient_id,
                                                      const rules::Attestations& attestations);
  // The patient's stored attestations (kScreen; site isolation).
  Result<std::vector<Attestation>> ListAttestations(const Actor& actor, int64_t patient_id);

  // What screening needs for one patient (site isolation: kNotFound when not visible):
  // with `patient_id` 0 no patient part; with no `protocol_ids` no protocol-wide part
  // (activations, tallies).
  Result<EnrolmentContext> LoadContext(const Actor& actor, int64_t patient_id,
                                       const std::vector<std::string>& protocol_ids);

  // Every allocation of a protocol the actor may see (kReadAllocations; site users: their
  // site's patients). `study_pseudonym` maps a registry pseudonym for statisticians.
  Result<std::vector<AllocationView>> ListAllocations(
      const Actor& actor, const protocol::Protocol& protocol,
      const std::function<std::string(const std::string&)>& study_pseudonym);

  // Emergency unblinding: reveals the allocation of one enrolled subject, with a reason
  // (kReasonRequired without one) and an audit row naming who, when and why.
  Result<Enrolment> Unblind(const Actor& actor, const protocol::Protocol& protocol,
                            int64_t patient_id, const std::string& reason);

  // The first `length` entries of a stratum's permuted-block list, regenerated from the
  // secret, with its hash and whether it matches the hash recorded at activation.
  // Randomisation administrators only.
  struct RegeneratedList {
    std::vector<randomisation::ListEntry> entries;
    std::string hash;
    std::string recorded_hash;  // empty when the stratum's list was never activated
  };
  Result<RegeneratedList> RegenerateList(const Actor& actor, const protocol::Protocol& protocol,
                                         const std::string& stratum, int length);

 private:
  Store& store_;
  const Clock& clock_;
  std::string key_;
};

// The canonical text of a list ("position,block,block_size,arm" lines) whose SHA-256 is
// recorded at activation.
std::string ListText(const std::vector<randomisation::ListEntry>& entries);

}  // namespace stream::service
