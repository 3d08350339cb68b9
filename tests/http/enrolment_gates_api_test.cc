// Issue #23 through the API: the gates before enrolment cannot be bypassed — not by a
// replayed idempotency key, not by concurrent requests, not by records that arrive by
// import — and the site activation, recruitment, off-study and attestation routes work
// with their permissions.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "http/api_fixture.h"
#include "support/two_arm_protocol.h"

namespace stream::testing {
namespace {

// A single-arm trial that excludes two-arm while the patient is on study in it.
constexpr char kSolo[] = R"yaml(
id: solo
title: Single-arm salvage
version: "1.0"
criteria:
  inclusion:
    - id: aml
      wording: Acute myeloid leukaemia
      rule: disease == "aml"
arms:
  - id: only
    name: The one arm
assignment:
  - id: all
    rule: "true"
    arm: only
co_enrolment:
  excludes: [two-arm]
)yaml";

class EnrolmentGatesApiTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    dm_ = TokenFor("data_manager");
    for (const char* yaml : {kTwoArmProtocol, kSolo}) {
      auto loaded = WithToken(dm_, "POST", "/api/v1/protocols", {{"yaml", yaml}});
      ASSERT_EQ(loaded.status, 201) << loaded.body;
    }
  }
  int64_t Patient(const std::string& pseudonym) {
    const int64_t id = AddPatient(pseudonym, RegistryFixture::kSiteA);
    auto r = WithToken(
        dm_, "POST", "/api/v1/patients/" + std::to_string(id) + "/records/consent",
        {{"form_version", "1"}, {"consent_date", "2024-01-10"}, {"scope", {"registry", "trial"}}});
    EXPECT_EQ(r.status, 201) << r.body;
    return id;
  }
  ApiCall Enrol(const std::string& protocol, int64_t patient, const std::string& key) {
    return WithToken(dm_, "POST", "/api/v1/protocols/" + protocol + "/enrolments",
                     {{"patient_id", patient}, {"idempotency_key", key}});
  }
  ApiCall SiteStatus(const std::string& token, const std::string& protocol,
                     const nlohmann::json& body) {
    return WithToken(token, "POST",
                     "/api/v1/protocols/" + protocol + "/sites/" +
                         std::string(RegistryFixture::kSiteA) + "/status",
                     body);
  }
  std::string dm_;
};

TEST_F(EnrolmentGatesApiTest, NoEnrolmentBeforeActivationAndOnlyTheTrialOfficeActivates) {
  const int64_t p = Patient("G-1");
  auto refused = Enrol("two-arm", p, "g1");
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_EQ(refused.json["status"], "refused");
  EXPECT_EQ(refused.json["reasons"][0],
            "two-arm at site IT-FO-01 is not activated (no approval recorded): enrolment opens "
            "when the site is activated");
  const std::string investigator = TokenFor("investigator", RegistryFixture::kSiteA);
  const nlohmann::json activation = {
      {"status", "active"}, {"effective_on", "2024-01-01"}, {"approval_reference", "EC-17"}};
  EXPECT_EQ(SiteStatus(investigator, "two-arm", activation).status, 403);
  auto bad_date = SiteStatus(dm_, "two-arm", {{"status", "active"}, {"effective_on", "soon"}});
  EXPECT_EQ(bad_date.status, 422) << bad_date.body;
  EXPECT_EQ(bad_date.json["error"]["where"], "effective_on");
  auto no_site =
      WithToken(dm_, "POST", "/api/v1/protocols/two-arm/sites/XX-00-00/status", activation);
  EXPECT_EQ(no_site.status, 404) << no_site.body;
  ASSERT_EQ(SiteStatus(dm_, "two-arm", activation).status, 201);
  // The refused key was not used up: the same key now enrols.
  auto enrolled = Enrol("two-arm", p, "g1");
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  EXPECT_EQ(enrolled.json["enrolment"]["protocol_version"], "1.0");

  auto recruitment = WithToken(investigator, "GET", "/api/v1/protocols/two-arm/recruitment");
  ASSERT_EQ(recruitment.status, 200) << recruitment.body;
  ASSERT_EQ(recruitment.json["sites"].size(), 1u) << "a site user sees its own site";
  EXPECT_EQ(recruitment.json["sites"][0]["standing"]["state"], "active");
  EXPECT_EQ(recruitment.json["sites"][0]["standing"]["approval_reference"], "EC-17");
  EXPECT_EQ(recruitment.json["sites"][0]["enrolled_by_version"]["1.0"], 1);
  auto history = WithToken(dm_, "GET", "/api/v1/protocols/two-arm/sites");
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(history.json["items"].size(), 1u);

  auto suspended = SiteStatus(
      dm_, "two-arm",
      {{"status", "suspended"}, {"effective_on", "2026-11-21"}, {"reason", "monitoring visit"}});
  ASSERT_EQ(suspended.status, 201) << suspended.body;
  auto after = Enrol("two-arm", Patient("G-2"), "g2");
  EXPECT_EQ(after.json["status"], "refused");
  EXPECT_EQ(after.json["reasons"][0],
            "two-arm at site IT-FO-01 is suspended since 2026-11-21 (monitoring visit)");
}

TEST_F(EnrolmentGatesApiTest, ADeathThatArrivesByImportBlocksEnrolmentAndEveryAttemptIsAudited) {
  ActivateProtocol("two-arm");
  const int64_t p = Patient("D-1");
  service::ImportBatch batch;
  batch.rows.push_back({1, "D-1", {*Date::Parse("2026-11-19"), std::string("infection")}});
  auto imported =
      registry_->registry().Import(RegistryFixture::Central(), *FindKind("death"), batch);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  ASSERT_EQ(imported->imported, 1);
  for (int attempt = 0; attempt < 2; ++attempt) {  // a replayed key is refused again
    auto r = Enrol("two-arm", p, "d1");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json["status"], "refused");
    EXPECT_EQ(r.json["reasons"][0],
              "the patient died on 2026-11-19 (death record of 2026-11-19, cause infection)");
  }
  auto screening = WithToken(dm_, "GET", "/api/v1/patients/" + std::to_string(p) + "/screening");
  ASSERT_EQ(screening.status, 200);
  for (const auto& s : screening.json["protocols"]) {
    EXPECT_FALSE(s["can_enrol_now"].get<bool>()) << s["protocol"];
    if (s["protocol"] == "two-arm") {
      EXPECT_EQ(s["site_state"], "active");
    }
  }
  auto audit = WithToken(dm_, "GET", "/api/v1/audit?entity=enrolment_attempt");
  ASSERT_EQ(audit.status, 200) << audit.body;
  ASSERT_EQ(audit.json["items"].size(), 2u);
  EXPECT_EQ(audit.json["items"][0]["action"], "refuse");
  EXPECT_EQ(audit.json["items"][0]["patient_id"], p);
  EXPECT_NE(audit.json["items"][0]["new_value"].get<std::string>().find("died on 2026-11-19"),
            std::string::npos);
}

TEST_F(EnrolmentGatesApiTest, ConcurrentRequestsIntoExclusiveTrialsAndEndingTheEnrolment) {
  ActivateProtocol("two-arm");
  ActivateProtocol("solo");
  const int64_t p = Patient("C-1");
  std::atomic<int> enrolled{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t) {
    clients.emplace_back([&, t] {
      auto r = Enrol(t % 2 ? "solo" : "two-arm", p, "race-" + std::to_string(t));
      if (r.status == 201) ++enrolled;
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(enrolled.load(), 1) << "one enrolment among the two exclusive trials";
  auto list = WithToken(dm_, "GET", "/api/v1/protocols/two-arm/enrolments");
  const std::string held = list.json["items"].empty() ? "solo" : "two-arm";
  const std::string other = held == "solo" ? "two-arm" : "solo";
  auto blocked = Enrol(other, p, "after-race");
  EXPECT_EQ(blocked.json["status"], "refused");
  EXPECT_NE(blocked.json["reasons"][0].get<std::string>().find("enrolled in " + held),
            std::string::npos)
      << blocked.body;

  const std::string end = "/api/v1/protocols/" + held + "/enrolments/" + std::to_string(p) + "/end";
  auto bad = WithToken(dm_, "POST", end, {{"off_study_date", "2026-11-21"}, {"reason", "bored"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json["error"]["where"], "reason");
  auto ended = WithToken(
      dm_, "POST", end, {{"off_study_date", "2026-11-21"}, {"reason", "completed"}, {"note", "x"}});
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(ended.json["off_study_reason"], "completed");
  EXPECT_EQ(WithToken(dm_, "POST", end, {{"off_study_date", "2026-11-21"}, {"reason", "completed"}})
                .status,
            409);
  auto freed = Enrol(other, p, "after-end");
  EXPECT_EQ(freed.status, 201) << freed.body;
}

TEST_F(EnrolmentGatesApiTest, AttestationsAreRecordedListedAndShownOnTheEligibilityCard) {
  const int64_t p = Patient("T-1");
  const std::string investigator = TokenFor("investigator", RegistryFixture::kSiteA);
  const std::string path = "/api/v1/patients/" + std::to_string(p) + "/attestations";
  auto bad = WithToken(investigator, "POST", path,
                       {{"protocol", "two-arm"}, {"attestations", {{"fit", "yes"}}}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json["error"]["where"], "/attestations/fit");
  auto recorded = WithToken(investigator, "POST", path,
                            {{"protocol", "two-arm"}, {"attestations", {{"fit", true}}}});
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  auto listed = WithToken(dm_, "GET", path);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json["items"].size(), 1u);
  EXPECT_EQ(listed.json["items"][0]["name"], "fit");
  EXPECT_EQ(listed.json["items"][0]["attested_on"], "2026-11-21");
  EXPECT_EQ(listed.json["items"][0]["protocol_version"], "1.0");
  EXPECT_NE(listed.json["items"][0]["attested_by"].get<std::string>(), "");
  auto card = WithToken(dm_, "GET", "/api/v1/patients/" + std::to_string(p) + "/screening");
  for (const auto& s : card.json["protocols"]) {
    if (s["protocol"] != "two-arm") continue;
    ASSERT_EQ(s["attestations"].size(), 1u);
    EXPECT_EQ(s["attestations"][0]["name"], "fit");
  }
  const std::string foreign = TokenFor("investigator", RegistryFixture::kSiteB);
  EXPECT_EQ(WithToken(foreign, "GET", path).status, 404);
}

}  // namespace
}  // namespace stream::testing
