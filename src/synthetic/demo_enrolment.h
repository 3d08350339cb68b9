// Which shipped protocol a synthetic patient is offered, on which day and with which
// site attestations: the demo's stand-in for the investigator's decision, so that
// `stream demo generate` enrols patients through the real screening, enrolment and
// randomisation (docs/synthetic-registry.md, "Trial enrolments").
//
// A plan is an offer, not a verdict: the enrolment service still decides on the history
// known that day. Pure: no I/O; randomness comes from the RandomSource passed in.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/date.h"
#include "core/random_source.h"
#include "synthetic/demo_registry.h"

namespace stream::synthetic {

struct EnrolmentPlan {
  std::string protocol_id;  // a protocol of protocols/*.yaml
  // The day the patient became eligible (their relapse or refractoriness, or a month or
  // so after a transplant in remission); every record that is not KnownOn it is entered
  // after the enrolment.
  Date date;
  std::map<std::string, bool, std::less<>> attestations;  // the site's, as the protocol asks
};

// The plan for `patient`, or none (no consent to trials, dead or not yet eligible by
// `reference`, declined). The same patient and random state give the same plan.
std::optional<EnrolmentPlan> PlanEnrolment(const SyntheticPatient& patient, Date reference,
                                           RandomSource& random);

// Whether every date of `record` is on or before `day`: what the registry holds that day.
bool KnownOn(const KindRecord& record, Date day);

}  // namespace stream::synthetic
