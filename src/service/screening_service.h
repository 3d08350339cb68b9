// Screening: one patient against every protocol of the catalogue, or one protocol against
// the whole registry ("who could enter this trial"). Each criterion answers met / not met /
// unknown with the facts that would decide it; the verdict and the arm the assignment
// list would give follow protocol::Screen and protocol::Assign.
//
// Site isolation: patients are read through RegistryService (GetHistory, ListPatients),
// so an actor of one site screens only that site's patients. Screening writes nothing.
// Thread safety: a ScreeningService holds a rules::Evaluator; use one per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/patient_history.h"
#include "core/result.h"
#include "protocol/protocol.h"
#include "rules/criteria.h"
#include "service/actor.h"
#include "service/enrolment_service.h"
#include "service/protocol_catalogue.h"
#include "service/registry_service.h"

namespace stream::service {

struct CriterionResult {
  std::string id;
  protocol::CriterionKind kind = protocol::CriterionKind::kInclusion;
  std::string wording;
  // Whether the criterion keeps the patient eligible (an exclusion's answer inverted).
  rules::Verdict qualifies = rules::Verdict::kUnknown;
  std::vector<std::string> missing;  // when unknown: what would decide it
  std::string explanation;
};

// What the assignment list gives: an arm, a randomisation among arms, a wait for missing
// facts (an earlier entry is unknown), or nothing (no entry is met).
enum class AssignmentState { kArm, kRandomise, kWaiting, kNone };

struct ProtocolScreening {
  std::string protocol_id;
  std::string protocol_title;
  rules::Verdict eligible = rules::Verdict::kUnknown;
  std::vector<CriterionResult> criteria;
  AssignmentState assignment = AssignmentState::kNone;
  std::string assignment_entry;                 // the entry that decides, when one does
  std::vector<std::string> arms;                // the arm, or the arms randomised among
  std::vector<protocol::ArmStatus> arm_status;  // per arm: as written in the protocol
  std::vector<std::string> assignment_missing;  // kWaiting: what would decide it
  // kRandomise: the patient's level of each stratification / minimisation factor, in the
  // protocol's order ("unknown" with the missing facts when a level cannot be decided).
  struct FactorLevel {
    std::string factor;
    std::string level;  // "unknown" or "none" when undecided or no level applies
    std::vector<std::string> missing;
  };
  std::vector<FactorLevel> factors;
  // With the enrolment context (issue #23, #13): the version screened (in force at the
  // patient's site), the protocol's state at the site, every gate that refuses the
  // patient now (and an existing enrolment), a note per arm ("full (26 patients)") for
  // readers who may know the arms, and the stored attestations that were used.
  std::string version;
  std::string site_state;
  std::vector<std::string> refusals;
  std::vector<std::string> arm_notes;
  std::vector<Attestation> attestations;
};

struct PatientScreening {
  int64_t patient_id = 0;
  std::string pseudonym;
  std::string site;
  std::vector<ProtocolScreening> protocols;
  Date on;  // the date the patient was screened on (today, or the `as_of` asked for)
};

// The pure step: one patient, one protocol (also used by the benchmark). Errors: only the
// evaluator's limit errors.
[[nodiscard]] Result<ProtocolScreening> ScreenAgainst(const protocol::Protocol& protocol,
                                                      const PatientHistory& patient, Date on,
                                                      const rules::Attestations& attestations,
                                                      rules::Evaluator& evaluator);

// Which patients the registry-wide screening returns.
enum class VerdictFilter { kEligible, kUnknown, kAll };

class ScreeningService {
 public:
  // With `enrolments`, screening also applies the gates, the version in force at each
  // site, stored attestations and arm state (issue #23, #13.5, #13.6); without it, the
  // criteria and assignment only.
  ScreeningService(RegistryService& registry, const ProtocolCatalogue& catalogue,
                   const Clock& clock, EnrolmentService* enrolments = nullptr)
      : registry_(registry), catalogue_(catalogue), clock_(clock), enrolments_(enrolments) {}

  // One patient (by id) against every protocol, on today's date or on `as_of` (records
  // dated after it are not read; kInvalidArgument for a date after today). kNotFound when
  // the actor may not see the patient.
  [[nodiscard]] Result<PatientScreening> ScreenPatient(const Actor& actor, int64_t patient_id,
                                                       const rules::Attestations& attestations,
                                                       std::optional<Date> as_of = std::nullopt);

  // Every patient the actor can see against one protocol; `filter` keeps the eligible,
  // the unknown, or every patient (ineligible ones included). kNotFound for an unknown
  // protocol id. Pages through the registry `page_size` patients at a time.
  [[nodiscard]] Result<std::vector<PatientScreening>> ScreenRegistry(
      const Actor& actor, const std::string& protocol_id, VerdictFilter filter,
      int64_t page_size = 500, std::optional<Date> as_of = std::nullopt);

 private:
  RegistryService& registry_;
  const ProtocolCatalogue& catalogue_;
  const Clock& clock_;
  EnrolmentService* enrolments_;
  rules::Evaluator evaluator_;

  // `as_of`, or today; kInvalidArgument ("as_of") for a date after today.
  Result<Date> ScreeningDate(std::optional<Date> as_of) const;

  // One protocol for one patient, with the context when there is one.
  Result<ProtocolScreening> ScreenOne(const Actor& actor, const protocol::Protocol& protocol,
                                      const PatientHistory& history, Date on,
                                      const rules::Attestations& given,
                                      const EnrolmentContext* context);
};

}  // namespace stream::service
