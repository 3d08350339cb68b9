// The disease course of one patient: a dated sequence of disease states derived from the
// registry's records, each naming the records that establish it, and the state as of any
// date. Screening, assignment, endpoints, dashboards and exports all read it, so that
// "where does this patient's disease stand?" has one answer (docs/clinical-rules.md).
//
// Rules by disease:
//   - AML (and any disease that is not ALL): ELN 2022 (Döhner et al., Blood 2022;140:1345,
//     table 6 for the response of one assessment; table 7 for relapse, MRD relapse and
//     refractory disease).
//   - Childhood ALL: I-BFM / IntReALL conventions: marrow M1 < 5 %, M2 5-< 25 %,
//     M3 >= 25 % blasts; CR = M1 marrow without CNS (CNS2/CNS3) or other extramedullary
//     disease, no count recovery needed; relapse isolated (marrow, CNS, testis, other) or
//     combined (marrow and another site). ELN rules are never applied to ALL.
//
// The state machine (one step per clinical date, oldest first):
//   diagnosis                       -> active at diagnosis
//   status at registration          -> primary refractory / relapse (weak evidence: any
//                                      assessment or relapse record of the same day wins)
//   assessment in CR / CRh / CRi    -> that remission (a new remission starts its date)
//   assessment in MLFS / PR         -> that category
//   assessment with disease (marrow blasts >= 5 %, blood blasts, extramedullary disease)
//                                   -> relapse after a remission (extramedullary relapse
//                                      when only extramedullary disease), else primary
//                                      refractory once treatment has started, else active
//                                      at diagnosis
//   relapse record                  -> relapse / extramedullary relapse; an MRD relapse
//                                      record keeps the haematological remission and sets
//                                      the MRD-relapse flag (ELN 2022 lists it separately)
//   treatment line stopped for refractory disease or relapse
//                                   -> failure of that line: relapse after a remission,
//                                      else primary refractory
//   MRD in remission: conversion negative -> positive, or a rise of >= 1 log10 between two
//                     positive values, is an MRD relapse; a later negative result clears it
//   transplant, death, lost to follow-up: dated events beside the disease state
// Two records of the same day that give different states make the state "conflicting",
// naming both: never a silent pick. Assessments that cannot decide (no marrow, counts
// missing) do not change the state.
//
// Pure functions over PatientHistory; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clinical/eln2022_response.h"
#include "core/date.h"
#include "core/patient_history.h"

namespace stream::clinical {

enum class DiseaseState {
  kActiveAtDiagnosis,      // diagnosed, no treatment outcome yet
  kPrimaryRefractory,      // never in remission after treatment
  kRelapse,                // marrow (haematological) relapse, isolated or combined
  kExtramedullaryRelapse,  // isolated extramedullary relapse (CNS, testis, other)
  kCr,
  kCrh,
  kCri,
  kMlfs,
  kPr,
  kConflicting,  // records of the same day disagree
};

// "active_at_diagnosis", "primary_refractory", "relapse", "extramedullary_relapse", "cr",
// "crh", "cri", "mlfs", "pr", "conflicting".
std::string_view ToCode(DiseaseState state);
// In words for clinicians: "complete remission (CR)", "relapse", ...
std::string_view Describe(DiseaseState state);
// CR, CRh or CRi: the remissions of ELN 2022's CRc (ALL: CR).
bool IsRemission(DiseaseState state);
// Active disease: at diagnosis, primary refractory, relapse (either kind).
bool IsActiveDisease(DiseaseState state);

struct DiseaseSnapshot;
// Relapsed or refractory on the snapshot's date: relapse (either kind), primary refractory,
// or a PR / MLFS reached from active disease after treatment (still short of remission).
// An MLFS after a remission (counts not recovered) is not relapsed or refractory.
bool IsRelapsedOrRefractory(const DiseaseSnapshot& snapshot, bool treated);

enum class CourseRules { kAmlEln2022, kAllIbfm };
std::string_view ToCode(CourseRules rules);  // "aml_eln2022", "all_ibfm"
// ALL rules for a latest diagnosis of ALL (or MPAL of lymphoid lineage); ELN 2022 otherwise.
CourseRules RulesFor(const PatientHistory& history);

// A record that establishes a step of the course.
struct Evidence {
  std::string kind;  // record kind: "response", "relapse", "treatment_line", ...
  int64_t record_id = 0;
  Date date;
  std::string summary;  // e.g. "marrow blasts 14 % (M2)"
};

enum class CourseEventKind {
  kState,       // the disease state changed or was confirmed
  kMrdRelapse,  // MRD relapse within a haematological remission
  kMrdNegativeAgain,
  kTransplant,
  kDeath,
  kLostToFollowUp,
};
std::string_view ToCode(CourseEventKind kind);

struct CourseEvent {
  Date date;
  CourseEventKind kind = CourseEventKind::kState;
  std::optional<DiseaseState> state;  // kState: the state from this date
  std::string description;            // in words, e.g. "relapse after CR of 2024-03-01"
  std::vector<Evidence> evidence;
};

struct CourseOptions {
  ResponseOptions response;  // ELN 2022 thresholds; report_crh
  // MRD relapse by a rise of at least this many log10 between two positive values.
  double mrd_log_rise = 1.0;
};

// The state as of one date.
struct DiseaseSnapshot {
  Date as_of;
  CourseRules rules = CourseRules::kAmlEln2022;
  std::optional<DiseaseState> state;     // nullopt: nothing recorded establishes one
  std::optional<Date> since;             // the date the state began
  std::optional<DiseaseState> previous;  // the state before it, when there was one
  std::optional<Date> confirmed_on;      // the latest record that established or confirmed it
  std::vector<Evidence> evidence;        // the records behind the state
  std::optional<Date> remission_date;    // start of the current (or last) remission
  bool ever_in_remission = false;
  // The current remission's latest MRD result ("negative", "positive",
  // "positive_below_lloq"); empty when none in this remission.
  std::string mrd_status;
  bool mrd_relapse = false;  // MRD relapse since the remission began, not cleared since
  std::optional<Date> mrd_relapse_date;
  std::optional<Date> last_transplant;
  std::optional<Date> death_date;
  bool lost_to_follow_up = false;
  std::vector<std::string> notes;  // assessments that could not be read, and why
};

struct DiseaseCourse {
  CourseRules rules = CourseRules::kAmlEln2022;
  std::vector<CourseEvent> events;  // in date order
};

// The whole course.
DiseaseCourse BuildDiseaseCourse(const PatientHistory& history, const CourseOptions& options = {});

// The state on `on`, from records dated on or before it.
DiseaseSnapshot DiseaseStateAsOf(const PatientHistory& history, Date on,
                                 const CourseOptions& options = {});

// What one assessment shows on its own under the patient's rules: a remission category,
// MLFS / PR, or disease (nullopt state with `has_disease`); undecided when it cannot tell.
struct AssessmentReading {
  std::optional<DiseaseState> state;  // kCr.. kPr, or a relapse/active marker (see below)
  bool has_disease = false;           // blasts >= 5 %, blood blasts or extramedullary disease
  bool extramedullary_only = false;   // disease outside the marrow only
  // ALL: an M2 marrow (5-< 25 %) alone, which in remission is a relapse only when a second
  // M2 (or an M3) confirms it (I-BFM).
  bool needs_confirmation = false;
  std::string summary;    // the values that decided it
  std::string undecided;  // why it decides nothing, when it does not
};
AssessmentReading ReadAssessment(const ResponseAssessment& assessment, CourseRules rules,
                                 const ResponseOptions& options = {});

// ALL marrow status by blast percentage: "M1" (< 5), "M2" (5-< 25), "M3" (>= 25).
std::string_view MarrowStatus(double marrow_blasts_percent);

}  // namespace stream::clinical
