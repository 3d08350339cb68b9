// Response and early-death endpoints of a protocol (crc_rate, orr, mrd_negative_cr_rate,
// early_death_30, early_death_60) for one enrolled patient, counted from the enrolment
// date with the protocol's landmark and CRh choice (clinical/endpoints.h), and their rates
// by arm with exact Clopper–Pearson intervals (stats/binomial_interval.h).
//
// Who is evaluable (the denominator), a reading to be confirmed by each trial's
// statistical plan:
//   - response rates: every enrolled patient whose response window has closed — a
//     responder, a patient who died, one followed past the landmark, or (no landmark) one
//     with an evaluable assessment since enrolment. Patients still inside the window are
//     left out, so an interim rate is not diluted by patients too early to respond.
//   - early death within N days: the N days count from the first treatment line started
//     on or after enrolment (the enrolment date when none is recorded); evaluable when the
//     patient died within them or was followed for N days.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/patient_history.h"
#include "core/result.h"
#include "protocol/protocol.h"
#include "service/endpoint_dataset.h"

namespace stream::service {

// True for crc_rate, orr, mrd_negative_cr_rate, early_death_30 and early_death_60.
bool IsRateEndpoint(protocol::EndpointDefinition definition);

struct ResponseOutcome {
  bool evaluable = false;
  bool responder = false;  // early death: died within the window
};

// Precondition: IsRateEndpoint(definition).
ResponseOutcome ResponseOutcomeOf(const PatientHistory& history, Date start,
                                  protocol::EndpointDefinition definition,
                                  const EndpointSettings& settings);

// A rate with its exact 95 % interval; rate and limits are absent when nobody is
// evaluable.
struct RateEstimate {
  int64_t responders = 0;
  int64_t evaluable = 0;
  std::optional<double> rate, lower, upper;
};

// Errors: only ClopperPearsonInterval's (none for 0 <= responders <= evaluable).
Result<RateEstimate> EstimateRate(int64_t responders, int64_t evaluable, double conf_level = 0.95);

}  // namespace stream::service
