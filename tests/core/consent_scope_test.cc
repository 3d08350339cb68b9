#include "core/consent_scope.h"

#include <gtest/gtest.h>

namespace stream {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Consent Signed(const char* on, CodeSet scope, std::optional<const char*> withdrawn = {}) {
  return {"2.1", D(on), std::move(scope), withdrawn ? std::optional(D(*withdrawn)) : std::nullopt};
}

TEST(ConsentScope, NoConsentRecordedIsNoWithdrawal) {
  EXPECT_FALSE(ConsentWithdrawnFrom({}, "registry"));
}

TEST(ConsentScope, AWithdrawnScopeEndsOnItsWithdrawalDate) {
  const std::vector<Consent> c = {Signed("2024-01-10", {"registry", "trial"}, "2024-03-01")};
  EXPECT_EQ(ConsentWithdrawnFrom(c, "registry"), D("2024-03-01"));
  EXPECT_EQ(ConsentWithdrawnFrom(c, "trial"), D("2024-03-01"));
  EXPECT_FALSE(ConsentWithdrawnFrom(c, "biobank")) << "a scope never consented is not withdrawn";
}

TEST(ConsentScope, AConsentInForceForTheScopeOutweighsAWithdrawnOne) {
  const std::vector<Consent> c = {Signed("2024-01-10", {"registry", "trial"}, "2024-03-01"),
                                  Signed("2024-04-01", {"registry"})};
  EXPECT_FALSE(ConsentWithdrawnFrom(c, "registry")) << "re-consented";
  EXPECT_EQ(ConsentWithdrawnFrom(c, "trial"), D("2024-03-01")) << "the trial scope is not back";
}

TEST(ConsentScope, EveryConsentWithdrawnEndsOnTheLatestWithdrawal) {
  const std::vector<Consent> c = {Signed("2024-01-10", {"registry"}, "2024-03-01"),
                                  Signed("2024-04-01", {"registry"}, "2024-05-01")};
  EXPECT_EQ(ConsentWithdrawnFrom(c, "registry"), D("2024-05-01"));
}

TEST(ConsentScope, ATrialAnalysisEndsAtTheEarlierOfRegistryAndTrialWithdrawal) {
  const std::vector<Consent> c = {Signed("2024-01-10", {"trial"}, "2024-02-01"),
                                  Signed("2024-01-10", {"registry"}, "2024-06-01")};
  EXPECT_EQ(EarliestWithdrawal(c, {"registry", "trial"}), D("2024-02-01"));
  EXPECT_FALSE(EarliestWithdrawal(c, {"biobank"}));
}

TEST(ConsentScope, TheHistoryBeforeAWithdrawalKeepsOnlyWhatWasDatedBefore) {
  PatientHistory h;
  h.responses.push_back({});
  h.responses.back().assessment_date = D("2024-02-01");
  h.responses.push_back({});
  h.responses.back().assessment_date = D("2024-03-01");  // on the withdrawal date: left out
  h.deaths.push_back({D("2024-05-01"), "leukaemia", 9});
  h.follow_ups.push_back({D("2024-02-20"), "alive", 3});
  h.treatment_lines.push_back({});
  h.treatment_lines.back().start_date = D("2024-01-15");
  h.treatment_lines.back().end_date = D("2024-04-01");
  h.treatment_lines.back().reason_stopped = "completed";
  h.consents.push_back(Signed("2024-01-10", {"registry"}, "2024-03-01"));

  const PatientHistory before = HistoryBefore(h, D("2024-03-01"));
  ASSERT_EQ(before.responses.size(), 1u);
  EXPECT_EQ(before.responses[0].assessment_date, D("2024-02-01"));
  EXPECT_TRUE(before.deaths.empty()) << "a death after the withdrawal is not used";
  EXPECT_EQ(before.follow_ups.size(), 1u);
  ASSERT_EQ(before.treatment_lines.size(), 1u) << "a line started before stays";
  EXPECT_FALSE(before.treatment_lines[0].end_date) << "its end after the withdrawal is unknown";
  EXPECT_FALSE(before.treatment_lines[0].reason_stopped);
  EXPECT_EQ(before.consents.size(), 1u) << "the consent documents the withdrawal";
}

TEST(ConsentScope, AnAnalysisCensorsOnTheWithdrawalDate) {
  PatientHistory h;
  h.follow_ups.push_back({D("2024-02-20"), "alive", 3});
  h.deaths.push_back({D("2024-05-01"), "leukaemia", 9});
  const PatientHistory at = HistoryAtWithdrawal(h, D("2024-03-01"));
  EXPECT_TRUE(at.deaths.empty());
  ASSERT_EQ(at.follow_ups.size(), 2u);
  EXPECT_EQ(at.follow_ups.back().contact_date, D("2024-03-01")) << "alive to withdraw";

  PatientHistory died = h;
  died.deaths[0].death_date = D("2024-02-25");
  const PatientHistory dead = HistoryAtWithdrawal(died, D("2024-03-01"));
  EXPECT_EQ(dead.deaths.size(), 1u);
  EXPECT_EQ(dead.follow_ups.size(), 1u) << "no contact after a recorded death";
}

}  // namespace
}  // namespace stream
