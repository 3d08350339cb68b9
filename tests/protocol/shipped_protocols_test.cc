// The protocol files shipped in protocols/ load, and behave as their documents say on
// hand-built patients.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocol/protocol.h"
#include "support/patient_builder.h"

namespace stream::protocol {
namespace {

using ::stream::testing::CrAssessment;
using ::stream::testing::D;
using ::stream::testing::PatientBuilder;
using ::testing::ElementsAre;

std::string ProtocolsDir() { return std::string(STREAM_SOURCE_DIR) + "/protocols"; }

Result<Protocol> LoadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return LoadProtocol(text.str(), path);
}

TEST(ShippedProtocolsTest, EveryFileLoads) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(ProtocolsDir())) {
    if (entry.path().extension() != ".yaml") continue;
    auto p = LoadFile(entry.path().string());
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    EXPECT_TRUE(p->accrual.has_value()) << entry.path() << " plans no accrual";
    ++n;
  }
  EXPECT_GE(n, 2);
}

TEST(ShippedProtocolsTest, Nct03597321Screening) {
  auto p = LoadFile(ProtocolsDir() + "/nct03597321.yaml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  ResponseAssessment cr = CrAssessment("2023-09-01");
  cr.mrd_status = "positive";
  auto patient = PatientBuilder()
                     .Born(1975, 4)
                     .Diagnosis("aml", "first_relapse", "2022-11-01")
                     .Transplant("matched_unrelated", "2023-07-01")
                     .AcuteGvhd(1, "2023-07-20")
                     .Response(cr)
                     .Consent({"registry", "trial"}, "2023-09-10")
                     .Build();
  rules::Attestations att = {{"able_to_comply", true},
                             {"cyclosporin_prophylaxis_ongoing", true},
                             {"not_pregnant_or_breast_feeding", true},
                             {"uncontrolled_concomitant_disease", false},
                             {"socially_or_psychologically_unable_to_comply", false},
                             {"graft_failure", false},
                             {"previous_solid_organ_transplant", false}};
  rules::Evaluator evaluator;
  auto s = Screen(*p, patient, D("2023-09-15"), att, evaluator);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->eligible, rules::Verdict::kMet);
  auto a = Assign(*p, patient, D("2023-09-15"), att, evaluator);
  ASSERT_NE(a->assignment, nullptr);
  EXPECT_THAT(a->assignment->randomise, ElementsAre("dli", "control"));

  // Without the site's attestations the screening is unknown, and says what to attest.
  s = Screen(*p, patient, D("2023-09-15"), {}, evaluator);
  EXPECT_EQ(s->eligible, rules::Verdict::kUnknown);
  std::vector<std::string> unknown;
  for (const auto& c : s->criteria) {
    if (c.qualifies == rules::Verdict::kUnknown) unknown.push_back(c.criterion->id);
  }
  EXPECT_THAT(unknown, ElementsAre("compliance", "cyclosporin", "pregnancy", "unable_to_comply",
                                   "uncontrolled_disease", "graft_failure", "solid_organ"));
}

TEST(ShippedProtocolsTest, PlatformAssignmentOrder) {
  auto p = LoadFile(ProtocolsDir() + "/rr-aml-platform.yaml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  rules::Evaluator evaluator;
  auto arm_of = [&](const PatientHistory& patient, const rules::Attestations& att) {
    auto a = Assign(*p, patient, D("2024-02-01"), att, evaluator);
    EXPECT_TRUE(a.ok());
    if (a->assignment == nullptr) return std::string("undecided");
    return a->assignment->arm.empty() ? a->assignment->id : a->assignment->arm;
  };
  rules::Attestations fit = {{"fit_for_intensive_chemotherapy", true},
                             {"new_drug_trial_available", false}};
  rules::Attestations unfit = {{"fit_for_intensive_chemotherapy", false},
                               {"new_drug_trial_available", false}};
  EXPECT_EQ(arm_of(PatientBuilder().Build(), {{"new_drug_trial_available", true}}), "arm7");
  EXPECT_EQ(arm_of(PatientBuilder().Variant("FLT3", "tkd", 8).Build(), fit), "arm1");
  EXPECT_EQ(
      arm_of(PatientBuilder().Negative({"FLT3"}).Variant("IDH1", "missense", 30).Build(), fit),
      "arm2");
  auto no_target = PatientBuilder().Negative({"FLT3", "IDH1"});
  EXPECT_EQ(arm_of(no_target.Build(), fit), "fit");
  EXPECT_EQ(arm_of(no_target.Build(), unfit), "arm5");
  auto ven = PatientBuilder(no_target)
                 .Line({"venetoclax", "azacitidine"}, "2023-10-01", "2023-12-15")
                 .Response(CrAssessment("2023-12-20"))
                 .Relapse("2024-01-20")
                 .Build();
  EXPECT_EQ(arm_of(ven, fit), "arm6");
  EXPECT_EQ(arm_of(PatientBuilder().Build(), fit), "undecided");  // FLT3 not tested
}

}  // namespace
}  // namespace stream::protocol
