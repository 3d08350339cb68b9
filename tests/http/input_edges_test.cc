// Issue #15.8: the input edge cases an attacker or a careless script tries, through the
// whole API in-process. Each is refused with invalid_argument (422, the error catalogue's
// status for bad input) naming the field or the body, never a 500 and never stored
// silently changed; a correction that changes nothing writes nothing; the audit trail
// conceals randomisation list positions from those who do not manage the lists.
#include <gtest/gtest.h>

#include "http/api_fixture.h"
#include "http/router.h"
#include "support/two_arm_protocol.h"

namespace stream::testing {
namespace {

class InputEdgesTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    dm_ = TokenFor("data_manager");
  }

  // A POST with a body exactly as given (not re-serialised by a JSON library).
  ApiCall PostRaw(const std::string& path, const std::string& body) {
    http::ApiRequest req;
    req.method = "POST";
    req.path = path;
    req.headers = {{"authorization", "Bearer " + dm_}, {"content-type", "application/json"}};
    req.body = body;
    auto res = stack_->router().Handle(req);
    ApiCall out;
    out.status = res.status;
    out.body = res.body;
    out.json = nlohmann::json::parse(res.body, nullptr, false);
    return out;
  }

  static nlohmann::json Patient(const std::string& pseudonym) {
    return {{"pseudonym", pseudonym}, {"site", RegistryFixture::kSiteA},
            {"sex", "female"},        {"birth_year", 1961},
            {"birth_month", 4},       {"registered_on", "2024-01-10"}};
  }

  void TrialConsent(int64_t patient) {
    auto r =
        WithToken(dm_, "POST", "/api/v1/patients/" + std::to_string(patient) + "/records/consent",
                  {{"form_version", "2.1"},
                   {"consent_date", "2024-01-10"},
                   {"scope", {"registry", "trial"}}});
    ASSERT_EQ(r.status, 201) << r.body;
  }

  std::string dm_;
};

TEST_F(InputEdgesTest, NumbersOutOfRangeAndDuplicateKeysAreRefusedNamingTheBody) {
  auto huge = PostRaw("/api/v1/patients",
                      R"({"pseudonym":"E-1","site":"IT-FO-01","sex":"female",)"
                      R"("birth_year":1e400,"birth_month":4,"registered_on":"2024-01-10"})");
  EXPECT_EQ(huge.status, 422) << huge.body;
  EXPECT_EQ(huge.json["error"]["where"], "body");
  EXPECT_NE(huge.body.find("out of range"), std::string::npos) << huge.body;

  auto twice =
      PostRaw("/api/v1/patients",
              R"({"pseudonym":"E-2","pseudonym":"E-3","site":"IT-FO-01",)"
              R"("sex":"female","birth_year":1961,"birth_month":4,"registered_on":"2024-01-10"})");
  EXPECT_EQ(twice.status, 422) << twice.body;
  EXPECT_NE(twice.body.find("key 'pseudonym' is given twice"), std::string::npos) << twice.body;
  auto nested_twice = PostRaw("/api/v1/sites", R"({"code":"XX-01","a":{"b":1,"b":2}})");
  EXPECT_EQ(nested_twice.status, 422);
  EXPECT_NE(nested_twice.body.find("key 'b' is given twice"), std::string::npos);
  // The same key in two different objects is no duplicate.
  auto fine = WithToken(dm_, "POST", "/api/v1/patients", Patient("E-4"));
  EXPECT_EQ(fine.status, 201) << fine.body;
}

TEST_F(InputEdgesTest, AFractionalYearIsRefusedNotTruncated) {
  auto body = Patient("E-5");
  body["birth_year"] = 1961.5;
  auto r = WithToken(dm_, "POST", "/api/v1/patients", body);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.json["error"]["where"].get<std::string>().find("birth_year"), std::string::npos)
      << r.body;
  EXPECT_EQ(WithToken(dm_, "GET", "/api/v1/patients?pseudonym=E-5").json["items"].size(), 0u);
}

TEST_F(InputEdgesTest, PseudonymsArePlainAsciiWithoutControlsOrLookAlikes) {
  for (const std::string& bad : {std::string("E-\0-6", 5), std::string("E 7"),
                                 std::string("\xD0\x95-8"),  // Cyrillic capital IE, like E
                                 std::string("-E-9"), std::string(65, 'A')}) {
    auto r = WithToken(dm_, "POST", "/api/v1/patients", Patient(bad));
    EXPECT_EQ(r.status, 422) << bad << ": " << r.body;
    EXPECT_NE(r.body.find("pseudonym"), std::string::npos) << r.body;
  }
  EXPECT_EQ(WithToken(dm_, "POST", "/api/v1/patients", Patient("STR-100.6_b")).status, 201);
}

TEST_F(InputEdgesTest, FreeTextRefusesControlCharacters) {
  const int64_t id = AddPatient("E-10", RegistryFixture::kSiteA);
  auto r = WithToken(dm_, "POST", "/api/v1/patients/" + std::to_string(id) + "/records/consent",
                     {{"form_version", std::string("2.1\x01", 4)},
                      {"consent_date", "2024-01-10"},
                      {"scope", {"registry"}}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("control character"), std::string::npos) << r.body;
  EXPECT_NE(r.json["error"]["where"].get<std::string>().find("form_version"), std::string::npos);
}

TEST_F(InputEdgesTest, ACorrectionThatChangesNothingWritesNoVersionAndNoAudit) {
  const int64_t id = AddPatient("E-11", RegistryFixture::kSiteA);
  auto dx = WithToken(dm_, "GET", "/api/v1/patients/" + std::to_string(id) + "/records/diagnosis");
  ASSERT_EQ(dx.status, 200) << dx.body;
  const std::string dx_id = std::to_string(dx.json["items"][0]["id"].get<int64_t>());
  auto audit_rows = [&] {
    return WithToken(dm_, "GET", "/api/v1/records/diagnosis/" + dx_id + "/audit")
        .json["items"]
        .size();
  };
  const size_t before = audit_rows();
  auto same =
      WithToken(dm_, "PATCH", "/api/v1/records/diagnosis/" + dx_id,
                {{"version", 1}, {"reason", "re-typed"}, {"changes", {{"origin", "de_novo"}}}});
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(same.json["version"], 1) << "nothing changed: no new version";
  EXPECT_EQ(audit_rows(), before);
  auto changed =
      WithToken(dm_, "PATCH", "/api/v1/records/diagnosis/" + dx_id,
                {{"version", 1}, {"reason", "source"}, {"changes", {{"origin", "secondary"}}}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json["version"], 2);
  EXPECT_EQ(audit_rows(), before + 1);
}

TEST_F(InputEdgesTest, TheAuditTrailConcealsListPositionsFromThoseWhoDoNotManageTheLists) {
  ASSERT_EQ(WithToken(dm_, "POST", "/api/v1/protocols", {{"yaml", kTwoArmProtocol}}).status, 201);
  ActivateProtocol("two-arm");
  const int64_t id = AddPatient("E-12", RegistryFixture::kSiteA);
  TrialConsent(id);
  auto enrol = WithToken(dm_, "POST", "/api/v1/protocols/two-arm/enrolments",
                         {{"patient_id", id}, {"idempotency_key", "e-12"}});
  ASSERT_EQ(enrol.status, 201) << enrol.body;
  auto row_of = [&](const std::string& token) {
    auto audit = WithToken(token, "GET", "/api/v1/audit?entity=enrolment");
    EXPECT_EQ(audit.status, 200) << audit.body;
    return audit.json["items"].empty() ? std::string()
                                       : audit.json["items"][0]["new_value"].get<std::string>();
  };
  const std::string concealed = row_of(dm_);
  EXPECT_NE(concealed.find("position=(concealed)"), std::string::npos) << concealed;
  EXPECT_NE(concealed.find("stratum=(concealed)"), std::string::npos) << concealed;
  const std::string listed = row_of(TokenFor("randomisation_admin"));
  EXPECT_NE(listed.find("position=1"), std::string::npos) << listed;
}

TEST_F(InputEdgesTest, AnEnrolledPatientIsNoLongerAnEligibleCandidate) {
  ASSERT_EQ(WithToken(dm_, "POST", "/api/v1/protocols", {{"yaml", kTwoArmProtocol}}).status, 201);
  const int64_t id = AddPatient("E-13", RegistryFixture::kSiteA);
  TrialConsent(id);
  auto before = WithToken(dm_, "GET", "/api/v1/protocols/two-arm/candidates");
  ASSERT_EQ(before.json["items"].size(), 1u) << "a site not yet open keeps its candidates";
  ActivateProtocol("two-arm");
  ASSERT_EQ(WithToken(dm_, "POST", "/api/v1/protocols/two-arm/enrolments",
                      {{"patient_id", id}, {"idempotency_key", "e-13"}})
                .status,
            201);
  EXPECT_EQ(WithToken(dm_, "GET", "/api/v1/protocols/two-arm/candidates").json["items"].size(), 0u);
  EXPECT_EQ(WithToken(dm_, "GET", "/api/v1/protocols/two-arm/candidates?verdict=all")
                .json["items"]
                .size(),
            1u)
      << "every verdict still lists the patient, with the refusal";
}

}  // namespace
}  // namespace stream::testing
