// The synthetic registry: realistic, entirely invented patients with relapsed or
// refractory acute leukaemia, for the demo, the tests and the benchmarks alike.
//
// The assumptions (case mix, mutation frequencies, response and relapse rates) are
// written down in docs/synthetic-registry.md. The same options and seed always give
// the same registry. Pure: no I/O; randomness comes from the RandomSource passed in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/patient_history.h"
#include "core/random_source.h"
#include "core/record.h"
#include "core/store.h"

namespace stream::synthetic {

struct RegistryOptions {
  int patients = 200;
  int sites = 4;        // at most the number of built-in centres (12)
  Date reference_date;  // "today" of the registry: no event after it
};

struct SyntheticPatient {
  Record patient;                   // a record of PatientKind()
  std::vector<KindRecord> records;  // in chronological order; patient_id unset
};

struct SyntheticRegistry {
  std::vector<Site> sites;
  std::vector<SyntheticPatient> patients;
};

SyntheticRegistry GenerateRegistry(const RegistryOptions& options, RandomSource& random);

// One patient, for streaming generation of large registries; `index` makes the
// pseudonym unique. Precondition: `sites` is not empty.
SyntheticPatient GeneratePatient(int index, const std::vector<Site>& sites, Date reference_date,
                                 RandomSource& random);

// The built-in centres, first `count` of them.
std::vector<Site> DemoSites(int count);

}  // namespace stream::synthetic
