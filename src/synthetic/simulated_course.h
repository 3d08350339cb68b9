// The treatment course of a synthetic patient after the diagnosis: treatment lines,
// response assessments, adverse events, transplant and GVHD, relapses and death, with
// the response and relapse rates docs/synthetic-registry.md states.
//
// Internal to src/synthetic. Randomness comes from the timeline's RandomSource.
#pragma once

#include <string_view>

#include "synthetic/patient_timeline.h"

namespace stream::synthetic {

// Where the simulated course put the patient in the registry.
struct SimulatedCourse {
  int registration_day = 0;  // the relapse or refractoriness the registry takes them for
  std::string_view status;   // status_at_registration; empty when never registered
  int last_day = 0;          // the last day of follow-up the course reaches
  bool dead = false;
};

// Simulates the course from the genetics already on `b` (FLT3 and IDH1 variants choose
// targeted lines) until death or lasting remission after registration.
SimulatedCourse SimulateCourse(PatientTimeline& b);

}  // namespace stream::synthetic
