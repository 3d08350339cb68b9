// Outcome endpoints of ELN 2022 (Döhner et al., Blood 2022;140:1345, table 11) derived
// from one patient's history, and the response rates trialists report.
//
// Times are in days from the protocol's start date (randomisation, or registration when
// not randomised). Protocol choices are parameters, not constants: the response landmark,
// whether CRh counts as remission, where responders without an event are censored.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "clinical/eln2022_response.h"
#include "core/date.h"
#include "core/patient_history.h"

namespace stream::clinical {

// Who an endpoint counts (the protocol file's `population`).
enum class Population {
  kAll,                  // everyone from the origin
  kReachedRemission,     // those who reach CR/CRh/CRi after the origin (seed 001's EFS)
  kInRemissionAtOrigin,  // those in remission at the origin (seed 004: RFS from randomisation)
};

struct EndpointParameters {
  Date start;                        // day 0: the origin (randomisation, diagnosis, ...)
  std::optional<int> landmark_days;  // remission must be reached by then (EFS); none = any time
  ResponseOptions response;          // report_crh: whether CRh counts as remission
  bool efs_censor_at_last_assessment = true;  // ELN 2022; false censors at last contact
  std::optional<Date> data_cutoff;            // nothing after it is counted
  Population population = Population::kAll;
  // Administrative censoring: follow-up ends this many days after the origin (seed 001:
  // 730); an event after it is censored at the horizon.
  std::optional<int> horizon_days;
  // Whether an MRD relapse (ELN 2022 table 7) ends remission for EFS, RFS and CIR; by
  // default only a haematological or extramedullary relapse does.
  bool mrd_relapse_is_event = false;
};

// One patient's time to event. `event`: 0 censored, 1 the event, 2 the competing event
// (CIR only). `applicable` is false when the endpoint does not apply (RFS and CIR for
// patients who never reached remission; any endpoint whose start is after the last
// information); `note` says why in words.
struct TimeToEvent {
  bool applicable = false;
  double time = 0;  // days
  int event = 0;
  std::string note;
  // Not applicable because the records contradict the definition (an event dated before
  // the origin): listed as a data problem, never a negative time.
  bool data_problem = false;
};

// OS: start → death from any cause; alive patients censored at last contact.
TimeToEvent OverallSurvival(const PatientHistory& h, const EndpointParameters& p);
// EFS: start → refractory disease, relapse from CR/CRh/CRi, or death. Failure to reach
// CR/CRh/CRi (by the landmark, when set), and death before the landmark without an
// assessment, are events on day 1.
TimeToEvent EventFreeSurvival(const PatientHistory& h, const EndpointParameters& p);
// RFS (patients reaching CR/CRh/CRi): remission date → relapse or death.
TimeToEvent RelapseFreeSurvival(const PatientHistory& h, const EndpointParameters& p);
// CIR (patients reaching CR/CRh/CRi): remission date → relapse (1); death without
// relapse is the competing event (2), whose incidence is non-relapse mortality.
TimeToEvent CumulativeIncidenceOfRelapse(const PatientHistory& h, const EndpointParameters& p);

// Whether the patient is counted by `p.population`; `why` says why not.
bool InPopulation(const PatientHistory& h, const EndpointParameters& p, std::string* why = nullptr);

// The best response reached after the start (by the landmark, when set), with the ELN
// 2022 category derived from the counts, or taken as entered when they cannot decide.
struct BestResponse {
  std::optional<ResponseCategory> category;  // none: no evaluable assessment
  std::optional<Date> remission_date;        // first CR/CRh/CRi (CRh only when reported)
  bool mrd_negative_remission = false;
};
BestResponse BestResponseOf(const PatientHistory& h, const EndpointParameters& p);

// The category of one assessment as the endpoints read it: derived from the counts when
// they decide it, else as the site entered it (CRh read as CRi when CRh is not reported);
// nullopt when neither gives one. `mrd_negative`, when given, receives the MRD-negative
// qualifier of a CR/CRh/CRi.
std::optional<ResponseCategory> AssessedCategory(const ResponseAssessment& assessment,
                                                 const ResponseOptions& options,
                                                 bool* mrd_negative = nullptr);

// What each patient contributes to the rates of seed 001: CR, CRh, CRi, CRc (CR + CRi,
// + CRh when reported), ORR (CRc + PR, as seed 001 defines it), MRD-negative CR.
struct ResponseFlags {
  bool cr = false, crh = false, cri = false, crc = false, orr = false, mrd_negative_cr = false;
};
ResponseFlags ResponseFlagsOf(const PatientHistory& h, const EndpointParameters& p);

// Death within `days` days of the start of treatment (30- and 60-day mortality).
bool EarlyDeath(const PatientHistory& h, Date treatment_start, int days);

// The last date the patient is known to be alive or dead: death, last follow-up contact,
// or the latest clinical record, whichever is latest (capped at the data cut-off).
Date LastInformation(const PatientHistory& h, const std::optional<Date>& cutoff);

}  // namespace stream::clinical
