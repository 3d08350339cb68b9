// The dashboards' service code: bulk history loading equals patient-by-patient loading
// and keeps site isolation; who counts as evaluable for response and early-death rates;
// the survival analysis of arms without rows; vital status and consent withdrawal.
#include <gtest/gtest.h>

#include "service/history_batch.h"
#include "service/history_loader.h"
#include "service/patient_status.h"
#include "service/response_endpoints.h"
#include "service/survival_report.h"
#include "support/patient_builder.h"
#include "support/trial_fixture.h"

namespace stream::service {
namespace {

using testing::CrAssessment;
using testing::D;
using testing::PatientBuilder;
using testing::RegistryFixture;

std::string Summary(const PatientHistory& h) {
  return h.pseudonym + "|" + h.site + "|" + std::to_string(h.diagnoses.size()) + "|" +
         std::to_string(h.consents.size()) + "|" + std::to_string(h.deaths.size()) + "|" +
         (h.diagnoses.empty() ? "" : h.diagnoses[0].disease);
}

TEST(HistoryBatchTest, BulkLoadingEqualsLoadingEachPatientAndKeepsSitesApart) {
  RegistryFixture f;
  // Above kPerPatientBelow, so LoadHistories scans kind by kind too.
  const auto ids = testing::Register(f, static_cast<int>(kPerPatientBelow) + 10, "H-");
  const KindSpec& death = *FindKind("death");
  ASSERT_TRUE(f.registry()
                  .AddRecord(RegistryFixture::Central(), death, ids[4],
                             MakeRecord(death, {{"death_date", D("2024-06-01")},
                                                {"cause", std::string("infection")}})
                                 .values)
                  .ok());
  auto tx = f.store().Begin(TransactionMode::kRead);
  ASSERT_TRUE(tx.ok());
  for (const auto& actor :
       {RegistryFixture::Central(), RegistryFixture::AtSite(RegistryFixture::kSiteA)}) {
    auto all = LoadVisibleHistories(**tx, actor);
    ASSERT_TRUE(all.ok()) << all.error().ToString();
    auto some = LoadHistories(**tx, actor, ids);
    ASSERT_TRUE(some.ok());
    auto few = LoadHistories(**tx, actor, {ids[0], ids[1], ids[2], ids[4], 999999});
    ASSERT_TRUE(few.ok());
    std::vector<std::string> one_by_one, few_expected;
    for (int64_t id : ids) {
      auto h = LoadHistory(**tx, actor, id);
      if (!h.ok()) continue;  // another site's
      one_by_one.push_back(Summary(*h));
      if (id == ids[0] || id == ids[1] || id == ids[2] || id == ids[4])
        few_expected.push_back(Summary(*h));
    }
    std::vector<std::string> bulk, listed, picked;
    for (const auto& h : *all) bulk.push_back(Summary(h));
    for (const auto& h : *some) listed.push_back(Summary(h));
    for (const auto& h : *few) picked.push_back(Summary(h));
    EXPECT_EQ(bulk, one_by_one) << actor.role << actor.site;
    EXPECT_EQ(listed, one_by_one);
    EXPECT_EQ(picked, few_expected);
  }
  auto site_a = LoadVisibleHistories(**tx, RegistryFixture::AtSite(RegistryFixture::kSiteA));
  for (const auto& h : *site_a) EXPECT_EQ(h.site, RegistryFixture::kSiteA);
  auto central = LoadVisibleHistories(**tx, RegistryFixture::Central());
  EXPECT_GT(central->size(), site_a->size());
  EXPECT_EQ((*central)[4].deaths.size(), 1u);
}

TEST(ResponseEndpointsTest, WhoIsEvaluableForARate) {
  using Def = protocol::EndpointDefinition;
  const Date start = D("2024-03-01");
  EndpointSettings landmark;
  landmark.landmark_days = 60;
  auto outcome = [&](const PatientHistory& h, Def d, const EndpointSettings& s) {
    return ResponseOutcomeOf(h, start, d, s);
  };
  const auto base = PatientBuilder().Diagnosis().Consent({"trial"});
  // Inside the window, nothing yet: left out.
  auto fresh = PatientBuilder(base).Build();
  fresh.follow_ups.push_back({D("2024-03-20"), "alive"});
  EXPECT_FALSE(outcome(fresh, Def::kCrcRate, landmark).evaluable);
  // A CR by the landmark: a responder; one after it: evaluable, not a responder.
  auto early = PatientBuilder(base).Response(CrAssessment("2024-04-01")).Build();
  EXPECT_TRUE(outcome(early, Def::kCrcRate, landmark).responder);
  EXPECT_TRUE(outcome(early, Def::kOrr, landmark).responder);
  EXPECT_FALSE(outcome(early, Def::kMrdNegativeCrRate, landmark).responder);
  auto late = PatientBuilder(base).Response(CrAssessment("2024-06-01")).Build();
  EXPECT_TRUE(outcome(late, Def::kCrcRate, landmark).evaluable);
  EXPECT_FALSE(outcome(late, Def::kCrcRate, landmark).responder);
  // Death inside the window: evaluable, a failure — and an early death from the first line
  // started after enrolment.
  auto died = PatientBuilder(base)
                  .Line({"cytarabine"}, "2024-03-10", std::nullopt)
                  .Death("2024-04-05")
                  .Build();
  EXPECT_TRUE(outcome(died, Def::kCrcRate, landmark).evaluable);
  EXPECT_FALSE(outcome(died, Def::kCrcRate, landmark).responder);
  EXPECT_TRUE(outcome(died, Def::kEarlyDeath30, {}).responder) << "26 days after the line";
  EXPECT_TRUE(outcome(died, Def::kEarlyDeath60, {}).responder);
  // Followed for 40 days: evaluable for 30-day mortality, not yet for 60-day.
  auto alive = PatientBuilder(base).Build();
  alive.follow_ups.push_back({D("2024-04-10"), "alive"});
  EXPECT_TRUE(outcome(alive, Def::kEarlyDeath30, {}).evaluable);
  EXPECT_FALSE(outcome(alive, Def::kEarlyDeath30, {}).responder);
  EXPECT_FALSE(outcome(alive, Def::kEarlyDeath60, {}).evaluable);
  // No landmark: an evaluable assessment decides.
  EXPECT_TRUE(outcome(late, Def::kCrcRate, {}).responder);
  EXPECT_FALSE(outcome(fresh, Def::kCrcRate, {}).evaluable);

  auto rate = EstimateRate(0, 0);
  ASSERT_TRUE(rate.ok());
  EXPECT_FALSE(rate->rate.has_value());
  rate = EstimateRate(3, 9);
  EXPECT_DOUBLE_EQ(*rate->rate, 3.0 / 9.0);
  EXPECT_LT(*rate->lower, *rate->rate);
  EXPECT_TRUE(IsRateEndpoint(Def::kOrr));
  EXPECT_FALSE(IsRateEndpoint(Def::kEfs));
}

TEST(SurvivalReportTest, ArmsWithoutRowsAndTheAtRiskStep) {
  EXPECT_EQ(AtRiskStep(0), 30);
  EXPECT_EQ(AtRiskStep(240), 30);
  EXPECT_EQ(AtRiskStep(426), 90);
  EXPECT_EQ(AtRiskStep(1000), 180);
  EXPECT_EQ(AtRiskStep(100000), 1825);
  EndpointDataset data;
  data.rows = {{1, "a", "std", 10, 1}, {2, "b", "std", 40, 0}, {3, "c", "other", 5, 1}};
  auto report =
      AnalyseEndpoint(data, EndpointKind::kOs, {{"std", "Standard"}, {"exp", "Experimental"}});
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  ASSERT_EQ(report->arms.size(), 2u);
  EXPECT_EQ(report->arms[0].n, 2);
  EXPECT_EQ(report->arms[0].curve.size(), 3u);  // time 0, 10, 40
  EXPECT_EQ(report->arms[0].curve[1].estimate, 0.5);
  EXPECT_EQ(report->arms[1].n, 0);
  EXPECT_TRUE(report->arms[1].curve.empty());
  EXPECT_FALSE(report->test.has_value()) << "one arm with rows: no test";
  EXPECT_EQ(report->at_risk.times, (std::vector<double>{0, 30, 60}));
  EXPECT_EQ(report->at_risk.counts[0], (std::vector<int64_t>{2, 1, 0}));
  EXPECT_EQ(report->at_risk.counts[1], (std::vector<int64_t>{0, 0, 0}));
  auto empty = AnalyseEndpoint({}, EndpointKind::kCir, {{"std", "Standard"}});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->at_risk.times, std::vector<double>{0});
}

TEST(PatientStatusTest, VitalStatusAndWithdrawnConsent) {
  auto h = PatientBuilder().Diagnosis().Consent({"registry", "trial"}).Build();
  EXPECT_EQ(VitalStatusOf(h), VitalStatus::kAlive);
  EXPECT_FALSE(TrialConsentWithdrawn(h));
  h.follow_ups.push_back({D("2024-05-01"), "lost_to_follow_up"});
  EXPECT_EQ(VitalStatusOf(h), VitalStatus::kLostToFollowUp);
  h.follow_ups.push_back({D("2024-06-01"), "alive"});
  EXPECT_EQ(VitalStatusOf(h), VitalStatus::kAlive) << "the latest contact decides";
  h.deaths.push_back({D("2024-07-01"), "leukaemia"});
  EXPECT_EQ(VitalStatusOf(h), VitalStatus::kDead);
  EXPECT_EQ(ToString(VitalStatus::kLostToFollowUp), "lost_to_follow_up");
  auto w = PatientBuilder().Consent({"trial"}, "2024-01-10", "2024-03-01").Build();
  EXPECT_TRUE(TrialConsentWithdrawn(w));
  auto renewed = PatientBuilder()
                     .Consent({"trial"}, "2024-01-10", "2024-03-01")
                     .Consent({"trial"}, "2024-04-01")
                     .Build();
  EXPECT_FALSE(TrialConsentWithdrawn(renewed));
}

}  // namespace
}  // namespace stream::service
