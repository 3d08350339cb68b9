// The synthetic registry entered as a registry would have lived it. The patients a
// trial takes are registered on the day they became eligible, with what was on record
// that day, and enrolled there and then through the real screening, enrolment and
// randomisation, in time order with the services' clock set to that day; what happened
// to them afterwards, and every other patient, is entered today. Allocations, concealed
// lists, audit rows and the hash chain are the services' own, and the audit trail's
// time stamps never go back.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "core/result.h"
#include "core/store.h"
#include "service/actor.h"
#include "service/protocol_catalogue.h"
#include "synthetic/demo_registry.h"

namespace stream::cli {

// Trials recruit among the first patients generated only, so that registries of millions
// of patients (benchmarks) are generated as fast as before.
inline constexpr int kTrialPool = 1000;

struct DemoReplay {
  Store& store;
  Timestamp now;                                // today: the reference date of the data
  const service::ProtocolCatalogue* protocols;  // nullptr: nobody is enrolled
  std::string randomisation_key;                // the secret seed of the lists
  uint64_t seed = 0;                            // decides the offers (synthetic::PlanEnrolment)
  service::Actor actor;                         // enters, screens and enrols everything
};

struct DemoReplayReport {
  int64_t records = 0;                      // patients and clinical records written
  std::map<std::string, int64_t> enrolled;  // per protocol offered to anyone
  std::map<std::string, int64_t> refused;   // offers the service turned down (same keys)
};

// Adds the `sites` not there yet and `patients` patients, patient i being generate(i)
// (called once per i, in order). Fails at the first error of a service; what was written
// before stays (each step is its own transaction). Refusals to enrol are outcomes.
Result<DemoReplayReport> ReplayDemoRegistry(
    const DemoReplay& replay, const std::vector<Site>& sites, int patients,
    const std::function<synthetic::SyntheticPatient(int)>& generate, Progress& progress);

}  // namespace stream::cli
