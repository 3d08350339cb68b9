// The synthetic registry: valid against the data model, reproducible from its seed,
// and close to the case mix and mutation frequencies docs/synthetic-registry.md states.
#include "synthetic/demo_registry.h"

#include <gtest/gtest.h>

#include <map>

#include "core/validation.h"

namespace stream::synthetic {
namespace {

SyntheticRegistry Make(int patients, uint64_t seed) {
  SeededRandom random(seed);
  return GenerateRegistry({patients, 6, *Date::Parse("2026-06-30")}, random);
}

TEST(DemoRegistryTest, EveryRecordIsValidAndDatedBeforeTheReferenceDate) {
  const auto registry = Make(400, 11);
  const Date reference = *Date::Parse("2026-06-30");
  for (const auto& p : registry.patients) {
    EXPECT_TRUE(ValidateRecord(PatientKind(), p.patient.values).empty());
    for (const auto& r : p.records) {
      const auto errors = ValidateRecord(*r.kind, r.record.values);
      EXPECT_TRUE(errors.empty()) << r.kind->name << ": " << errors.front().ToString();
      for (const auto& v : r.record.values) {
        if (const auto* d = std::get_if<Date>(&v)) {
          EXPECT_LE(*d, reference) << r.kind->name;
        }
      }
    }
  }
}

TEST(DemoRegistryTest, TheSameSeedGivesTheSameRegistry) {
  const auto a = Make(50, 3);
  const auto b = Make(50, 3);
  ASSERT_EQ(a.patients.size(), b.patients.size());
  for (size_t i = 0; i < a.patients.size(); ++i) {
    EXPECT_EQ(a.patients[i].patient.values, b.patients[i].patient.values);
    ASSERT_EQ(a.patients[i].records.size(), b.patients[i].records.size());
  }
  EXPECT_NE(Make(50, 4).patients[0].patient.values, a.patients[0].patient.values);
}

TEST(DemoRegistryTest, CaseMixAndMutationFrequenciesArePlausible) {
  const auto registry = Make(4000, 17);
  std::map<std::string, int> disease;
  int aml = 0, flt3_itd = 0, npm1 = 0, idh1 = 0, tp53 = 0, children = 0, transplanted = 0, dead = 0;
  for (const auto& p : registry.patients) {
    std::string d;
    bool itd = false, has_npm1 = false, has_idh1 = false, has_tp53 = false;
    for (const auto& r : p.records) {
      const auto& k = r.kind->name;
      if (k == "diagnosis") d = *r.record.Text(*r.kind, "disease");
      if (k == "transplant") ++transplanted;
      if (k == "death") ++dead;
      if (k == "variant") {
        const auto gene = *r.record.Text(*r.kind, "gene");
        itd |= gene == "FLT3" && r.record.Text(*r.kind, "variant_type") == "itd";
        has_npm1 |= gene == "NPM1";
        has_idh1 |= gene == "IDH1";
        has_tp53 |= gene == "TP53";
      }
    }
    ++disease[d];
    if (d == "aml") {
      ++aml;
      flt3_itd += itd;
      npm1 += has_npm1;
      idh1 += has_idh1;
      tp53 += has_tp53;
    }
    const auto birth = *p.patient.Integer(PatientKind(), "birth_year");
    const auto registered = *p.patient.DateOf(PatientKind(), "registered_on");
    if (registered.year() - birth < 18) ++children;
  }
  const double n = static_cast<double>(registry.patients.size());
  EXPECT_NEAR(disease["aml"] / n, 0.75, 0.04);
  EXPECT_NEAR(disease["all"] / n, 0.25, 0.04);
  EXPECT_NEAR(static_cast<double>(flt3_itd) / aml, 0.25, 0.04);
  EXPECT_NEAR(static_cast<double>(npm1) / aml, 0.25, 0.04);
  EXPECT_NEAR(static_cast<double>(idh1) / aml, 0.08 * 0.92, 0.03);
  EXPECT_NEAR(static_cast<double>(tp53) / aml, 0.12, 0.03);
  EXPECT_GT(children / n, 0.3);
  EXPECT_GT(transplanted / n, 0.1);
  EXPECT_GT(dead / n, 0.3);
  EXPECT_LT(dead / n, 0.95);
}

}  // namespace
}  // namespace stream::synthetic
