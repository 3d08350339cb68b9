// A master protocol loaded from its YAML file: identity, eligibility criteria (wording
// shown to sites plus a rule in the criteria language), arms and the ordered assignment
// list, randomisation, endpoints. The file format is described in docs/protocol-files.md.
//
// Contract: LoadProtocol either returns a fully checked Protocol (every rule compiled,
// every id unique, every arm referenced by the assignment list declared and every
// declared arm reachable from it, the randomisation consistent with the `randomise`
// entries) or a
// kInvalidArgument error whose `where` is "file:line:column" of the fault, pointing into
// the YAML file even for errors inside a rule. Unknown keys are errors, so a misspelt key
// never silently drops a criterion.
//
// Thread safety: a loaded Protocol is immutable and may be screened from many threads,
// each with its own rules::Evaluator.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/patient_history.h"
#include "core/result.h"
#include "protocol/operations.h"
#include "rules/criteria.h"

namespace stream::protocol {

enum class CriterionKind { kInclusion, kExclusion };

struct Criterion {
  std::string id;
  CriterionKind kind = CriterionKind::kInclusion;
  std::string wording;  // as in the protocol document, shown to sites
  // Inclusion: met means the patient qualifies. Exclusion: met means the patient is
  // excluded.
  rules::CompiledCriterion rule;
  // The disease-state facts need evidence at most this many days old (the file's
  // `evidence_within_days`); older evidence makes the criterion unknown.
  rules::EvaluationOptions options;
};

enum class ArmStatus { kOpen, kClosed, kSuspended };

struct Arm {
  std::string id;
  std::string name;
  std::string description;
  std::optional<int> cap;               // maximum enrolment, when the protocol sets one
  ArmStatus status = ArmStatus::kOpen;  // as written in the file; closing when full is automatic
};

// A stratification or minimisation factor: the patient's level is the first level whose
// rule is met (unknown when a rule before it is unknown). A factor `by_site` takes the
// patient's site code as its level and has no rules.
struct FactorLevel {
  std::string level;
  rules::CompiledCriterion rule;
};

struct Factor {
  std::string name;
  double weight = 1.0;  // minimisation only
  bool by_site = false;
  std::vector<FactorLevel> levels;
};

enum class RandomisationMethod { kPermutedBlocks, kMinimisation };

// How the `randomise` entries of the assignment list draw an arm.
struct Randomisation {
  RandomisationMethod method = RandomisationMethod::kPermutedBlocks;
  std::vector<std::pair<std::string, int>> ratio;  // arm -> weight, for every randomised arm
  std::vector<int> block_sizes;                    // permuted blocks: multiples of the ratio sum
  std::vector<Factor> strata;                      // permuted blocks: one list per combination
  std::vector<Factor> factors;                     // minimisation factors with weights
  double probability = 0.8;                        // minimisation: chance of the best arm
  bool blinded = false;                            // allocations hidden from blinded roles
};

// An endpoint with its definition from docs/analysis.md (ELN 2022 time-to-event and
// response endpoints) and the protocol's parameters.
enum class EndpointRole { kPrimary, kSecondary };

enum class EndpointDefinition {
  kOs,                 // overall survival
  kEfs,                // event-free survival (ELN 2022: failure to reach CR counts at day 1)
  kRfs,                // relapse-free survival, responders only
  kCir,                // cumulative incidence of relapse (death without relapse competing)
  kCrcRate,            // composite complete remission rate (CR + CRi, + CRh when counted)
  kOrr,                // overall response rate (CRc + MLFS + PR)
  kMrdNegativeCrRate,  // CR with MRD negative
  kEarlyDeath30,       // death within 30 days of treatment start
  kEarlyDeath60,       // death within 60 days of treatment start
  kRemissionSpan,      // seed 001: days from the first enrolled subject's remission to the last's
};

// Day 0 of a time-to-event endpoint.
enum class EndpointOrigin {
  kEnrolment,     // "randomisation" or "enrolment": the enrolment date
  kRegistration,  // registration in the registry
  kDiagnosis,     // the latest diagnosis
  kRemission,     // the first CR/CRh/CRi after enrolment (only those who reach one)
};

// Who a time-to-event endpoint counts.
enum class EndpointPopulation {
  kAll,
  kReachedRemission,     // "reached_remission": CR/CRh/CRi after the origin
  kInRemissionAtOrigin,  // "in_remission_at_origin": e.g. seed 004, randomised in CR
};

struct Endpoint {
  std::string id;
  EndpointRole role = EndpointRole::kPrimary;
  EndpointDefinition definition = EndpointDefinition::kOs;
  std::string wording;                // as in the protocol document
  std::optional<int> landmark_days;   // response landmark (response must be reached by then)
  bool crh_counts = true;             // CRh counts as a complete remission (ELN 2022 CRc)
  std::optional<int> follow_up_days;  // follow-up horizon, e.g. 730: administrative censoring
  EndpointOrigin origin = EndpointOrigin::kEnrolment;
  EndpointPopulation population = EndpointPopulation::kAll;
  bool mrd_relapse_counts = false;  // an MRD relapse ends remission (EFS, RFS, CIR)
};

// The endpoint definition names of the file format ("os", "efs", ...), in enum order.
std::string_view ToString(EndpointDefinition definition);
std::string_view ToString(EndpointOrigin origin);
std::string_view ToString(EndpointPopulation population);
std::string_view ToString(ArmStatus status);
std::string_view ToString(RandomisationMethod method);

// One entry of the ordered assignment list: the first entry whose rule is met decides.
// Exactly one of `arm` (rule-assigned) or `randomise` (randomised among arms) is set.
struct Assignment {
  std::string id;
  rules::CompiledCriterion rule;
  std::string arm;
  std::vector<std::string> randomise;
};

// The planned accrual: how many patients the protocol means to enrol, from when to when.
struct Accrual {
  int target = 0;  // planned number of patients, >= 1
  Date start;
  Date end;  // after `start`
};

struct Protocol {
  std::string id;  // e.g. "nct03597321"
  std::string title;
  std::string version;
  std::string nct_id;      // ClinicalTrials.gov, "NCT" + 8 digits, when registered
  std::string eudract_id;  // EudraCT / CTIS number, when registered
  std::string sponsor;
  std::string phase;                // "1", "1/2", "2", "2/3", "3", "4"
  std::string population;           // free text: who the protocol is for
  std::string part_of;              // the master protocol's id, for a sub-study
  std::vector<Criterion> criteria;  // inclusion first, then exclusion, in file order
  std::vector<Arm> arms;
  std::vector<Assignment> assignment;
  std::optional<Randomisation> randomisation;  // required when any entry randomises
  std::vector<Endpoint> endpoints;             // primary first, then secondary
  std::optional<Accrual> accrual;              // the planned accrual, when the file gives it
  Operations operations;  // co-enrolment, amendment, attestation validity (operations.h)

  const Arm* FindArm(std::string_view arm_id) const;
};

// Parses and checks a protocol file's text; `file_name` is used in error positions.
[[nodiscard]] Result<Protocol> LoadProtocol(std::string_view yaml_text, std::string_view file_name);

// The screening of one patient: each criterion's evaluation and the overall verdict
// (met = eligible: every inclusion met and no exclusion met; not met when any inclusion
// is not met or any exclusion is met; otherwise unknown).
struct CriterionOutcome {
  const Criterion* criterion = nullptr;
  rules::Evaluation evaluation;
  // Whether this criterion keeps the patient eligible: the inclusion's verdict, or the
  // exclusion's verdict inverted.
  rules::Verdict qualifies = rules::Verdict::kUnknown;
};

struct Screening {
  rules::Verdict eligible = rules::Verdict::kUnknown;
  std::vector<CriterionOutcome> criteria;
};

// Errors: only the rules evaluator's limit errors.
[[nodiscard]] Result<Screening> Screen(const Protocol& protocol, const PatientHistory& patient,
                                       Date on, const rules::Attestations& attestations,
                                       rules::Evaluator& evaluator);

// The first assignment entry whose rule is met. nullptr when none is met; `undecided`
// lists the entries before it whose rule was unknown (the assignment must then wait for
// the missing facts), in order.
struct AssignmentOutcome {
  const Assignment* assignment = nullptr;
  std::vector<const Assignment*> undecided;
  std::vector<std::string> missing;
};

[[nodiscard]] Result<AssignmentOutcome> Assign(const Protocol& protocol,
                                               const PatientHistory& patient, Date on,
                                               const rules::Attestations& attestations,
                                               rules::Evaluator& evaluator);

// The patient's level of a stratification or minimisation factor: the first level whose
// rule is met, or the patient's site for a `by_site` factor. Met with `level` set; not met
// when no level's rule is met; unknown when a rule before the first met one is unknown
// (`missing` says what would decide it). Errors: only the evaluator's limit errors.
struct FactorOutcome {
  rules::Verdict verdict = rules::Verdict::kUnknown;
  std::string level;
  std::vector<std::string> missing;
};

[[nodiscard]] Result<FactorOutcome> ClassifyFactor(const Factor& factor,
                                                   const PatientHistory& patient, Date on,
                                                   const rules::Attestations& attestations,
                                                   rules::Evaluator& evaluator);

}  // namespace stream::protocol
