// Screening benchmark (issue #3): the synthetic registry scaled to N patients (default
// 100,000), generated in memory, each screened against every shipped protocol (criteria,
// verdict and assignment, as `stream screen` does) on one thread. Reports
// patient-protocol evaluations per second per core.
//   screening_bench [PROTOCOL_DIR] [PATIENTS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "core/patient_history.h"
#include "core/random_source.h"
#include "service/protocol_catalogue.h"
#include "service/screening_service.h"
#include "synthetic/demo_registry.h"

namespace {

using SteadyClock = std::chrono::steady_clock;

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace stream;
  std::string dir = argc > 1 ? argv[1] : "protocols";
  int patients = argc > 2 ? std::atoi(argv[2]) : 100000;
  if (patients < 1) {
    std::fprintf(stderr, "usage: screening_bench [PROTOCOL_DIR] [PATIENTS >= 1]\n");
    return 2;
  }
  auto catalogue = service::ProtocolCatalogue::Load(dir);
  if (!catalogue.ok()) {
    std::fprintf(stderr, "screening_bench: %s\n", catalogue.error().ToString().c_str());
    return 1;
  }

  // 1. The synthetic registry, in memory (not timed as screening).
  auto start = SteadyClock::now();
  Date reference = *Date::Parse("2026-01-01");
  SeededRandom random(1);
  std::vector<Site> sites = synthetic::DemoSites(12);
  std::vector<PatientHistory> histories;
  histories.reserve(static_cast<size_t>(patients));
  for (int i = 0; i < patients; ++i) {
    synthetic::SyntheticPatient p = synthetic::GeneratePatient(i, sites, reference, random);
    histories.push_back(BuildHistory(p.patient, p.records));
  }
  double generate_s = Seconds(start);

  // 2. Every patient against every protocol, one thread, one evaluator. The site answers
  // the usual attestations so that the assignment lists run to the end.
  const rules::Attestations attestations = {{"new_drug_trial_available", false},
                                            {"fit_for_intensive_chemotherapy", true},
                                            {"fit_for_low_intensity_therapy", true},
                                            {"able_to_comply", true},
                                            {"cyclosporin_prophylaxis_ongoing", true},
                                            {"not_pregnant_or_breast_feeding", true},
                                            {"uncontrolled_concomitant_disease", false},
                                            {"socially_or_psychologically_unable_to_comply", false},
                                            {"graft_failure", false},
                                            {"previous_solid_organ_transplant", false}};
  rules::Evaluator evaluator;
  std::map<std::string, std::map<std::string, int64_t>> verdicts;
  int64_t evaluations = 0, criteria = 0;
  start = SteadyClock::now();
  for (const auto& history : histories) {
    for (const auto& entry : catalogue->protocols()) {
      auto s = service::ScreenAgainst(entry->protocol, history, reference, attestations, evaluator);
      if (!s.ok()) {
        std::fprintf(stderr, "screening_bench: %s\n", s.error().ToString().c_str());
        return 1;
      }
      ++evaluations;
      criteria += static_cast<int64_t>(s->criteria.size());
      ++verdicts[entry->protocol.id][std::string(rules::ToString(s->eligible))];
    }
  }
  double screen_s = Seconds(start);

  std::printf("patients generated:           %d (%.1f s)\n", patients, generate_s);
  std::printf("protocols:                    %zu\n", catalogue->protocols().size());
  for (const auto& [id, counts] : verdicts) {
    std::printf("  %-20s", id.c_str());
    for (const auto& [verdict, n] : counts) std::printf("  %s %lld", verdict.c_str(), (long long)n);
    std::printf("\n");
  }
  std::printf("patient-protocol evaluations: %lld (%lld criteria)\n", (long long)evaluations,
              (long long)criteria);
  std::printf("screening time (1 thread):    %.3f s\n", screen_s);
  std::printf("evaluations per second per core: %.0f\n", evaluations / screen_s);
  return 0;
}
