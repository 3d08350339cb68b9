// The genetics of a synthetic patient: the karyotype, fusions and gene panel of the
// diagnostic sample, and children's profiling again at registration for HEM-iSMART.
// Frequencies are those docs/synthetic-registry.md states.
//
// Internal to src/synthetic. Records go on the patient's timeline at day 0 (diagnosis)
// or on the day given; randomness comes from the timeline's RandomSource.
#pragma once

#include "synthetic/patient_timeline.h"

namespace stream::synthetic {

// Adult or childhood AML: karyotype, fusion when the karyotype makes one, and the
// myeloid panel (a result for every gene, IDH1/IDH2 sometimes untested).
void AmlGenetics(PatientTimeline& b);

// Childhood B-ALL: karyotype, fusions, and the genes that decide HEM-iSMART groups.
void AllGenetics(PatientTimeline& b);

// Children's profiling at registration (`day`): every gene a HEM-iSMART group is decided
// on, positive when the timeline already holds a variant in it or a fusion with it.
// Takes no draws.
void RelapsePanel(PatientTimeline& b, int day);

}  // namespace stream::synthetic
