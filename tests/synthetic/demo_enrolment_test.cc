// The demo's trial offers: made on a day the patient is alive, consented to trials and
// registered, never after the reference date; children carry the relapse panel that
// HEM-iSMART's groups are decided on. Whether the offer is taken is the enrolment
// service's answer (tests/cli/demo_replay_test.cc).
#include "synthetic/demo_enrolment.h"

#include <gtest/gtest.h>

#include <map>

#include "core/patient_history.h"

namespace stream::synthetic {
namespace {

TEST(DemoEnrolmentTest, OffersAreMadeOnDaysThePatientCouldBeEnrolled) {
  const Date reference = *Date::Parse("2026-06-30");
  SeededRandom data(29);
  SeededRandom offers(30);
  const auto registry = GenerateRegistry({600, 6, reference}, data);
  std::map<std::string, int> offered;
  for (const auto& p : registry.patients) {
    auto plan = PlanEnrolment(p, reference, offers);
    if (!plan) continue;
    ++offered[plan->protocol_id];
    const PatientHistory h = BuildHistory(p.patient, p.records);
    EXPECT_GE(plan->date, h.registered_on);
    EXPECT_LE(plan->date, reference);
    for (const auto& d : h.deaths) EXPECT_GT(d.death_date, plan->date);
    bool consent = false;
    for (const auto& c : h.consents) {
      consent |= c.consent_date <= plan->date &&
                 std::find(c.scope.begin(), c.scope.end(), "trial") != c.scope.end();
    }
    EXPECT_TRUE(consent) << plan->protocol_id;
    // What is known that day is complete: nothing begun by then ends after it.
    for (const auto& r : p.records) {
      const auto begun = r.record.DateOf(*r.kind, r.kind->dates.date_field);
      if (begun && *begun <= plan->date && plan->protocol_id != "nct03597321") {
        EXPECT_TRUE(KnownOn(r, plan->date)) << r.kind->name;
      }
    }
  }
  EXPECT_GE(offered.size(), 4u);
  for (const char* id : {"impact-aml-rpct", "rr-aml-platform", "intreall-2020", "hem-ismart"})
    EXPECT_GE(offered[id], 10) << id;
}

TEST(DemoEnrolmentTest, ChildrenAreProfiledForTheTargetedGroupsAtRegistration) {
  SeededRandom data(5);
  const Date reference = *Date::Parse("2026-06-30");
  const auto registry = GenerateRegistry({300, 4, reference}, data);
  int children = 0;
  for (const auto& p : registry.patients) {
    const PatientHistory h = BuildHistory(p.patient, p.records);
    if (AgeInYears(h.birth_year, h.birth_month, h.diagnoses.front().diagnosis_date) >= 18) continue;
    ++children;
    int panel = 0;
    for (const auto& t : h.gene_tests) {
      if (t.sample_date != h.registered_on) continue;
      ++panel;
      bool altered = false;
      for (const auto& v : h.variants) altered |= v.gene == t.gene;
      for (const auto& f : h.fusions) altered |= f.fusion.find(t.gene) != std::string::npos;
      EXPECT_EQ(t.result, altered ? "positive" : "negative") << t.gene;
    }
    EXPECT_GE(panel, 18);
  }
  EXPECT_GT(children, 50);
}

}  // namespace
}  // namespace stream::synthetic
