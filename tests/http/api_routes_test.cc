// Every route of the API, in-process, through the router as a browser or a script uses
// it: registry CRUD with reasons and versions, protocols and arms, screening, enrolment,
// unblinding, audit and exports. The environment at the end fails if a route of the
// table was never called by a test that checks it.
#include <gtest/gtest.h>

#include <set>

#include "http/api_fixture.h"
#include "http/openapi.h"
#include "http/router.h"
#include "support/two_arm_protocol.h"

namespace stream::testing {
namespace {

const std::string kTwoArm = std::string(kTwoArmProtocol) + "  blinded: true\n";

class ApiRoutesTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    dm_ = TokenFor("data_manager");
    admin_ = TokenFor("administrator");
  }
  void Consent(int64_t patient) {
    auto r = WithToken(
        dm_, "POST", "/api/v1/patients/" + std::to_string(patient) + "/records/consent",
        {{"form_version", "1"}, {"consent_date", "2024-01-10"}, {"scope", {"registry", "trial"}}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  std::string dm_, admin_;
};

TEST_F(ApiRoutesTest, SitesUsersAndTokens) {
  auto sites = WithToken(admin_, "GET", "/api/v1/sites");
  ASSERT_EQ(sites.status, 200) << sites.body;
  EXPECT_EQ(sites.json["items"].size(), 2u);
  auto added = WithToken(admin_, "POST", "/api/v1/sites",
                         {{"code", "FR-PA-01"}, {"name", "Paris"}, {"country", "FR"}});
  EXPECT_EQ(added.status, 201) << added.body;
  auto bad = WithToken(admin_, "POST", "/api/v1/sites",
                       {{"code", "FR-PA-02"}, {"name", "Paris"}, {"country", "France"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json["error"]["where"], "country");

  auto user = WithToken(admin_, "POST", "/api/v1/users",
                        {{"username", "ana.rossi"},
                         {"role", "investigator"},
                         {"site", RegistryFixture::kSiteA},
                         {"password", "correct-horse-battery"}});
  ASSERT_EQ(user.status, 201) << user.body;
  EXPECT_EQ(user.json["site"], RegistryFixture::kSiteA);
  EXPECT_FALSE(user.json.contains("password_hash"));
  auto no_site = WithToken(
      admin_, "POST", "/api/v1/users",
      {{"username", "x"}, {"role", "investigator"}, {"password", "correct-horse-battery"}});
  EXPECT_EQ(no_site.status, 422);
  EXPECT_EQ(no_site.json["error"]["where"], "site");
  auto list = WithToken(admin_, "GET", "/api/v1/users");
  ASSERT_EQ(list.status, 200);
  EXPECT_GE(list.json["items"].size(), 3u);
  auto disabled = WithToken(admin_, "PATCH", "/api/v1/users/ana.rossi", {{"disabled", true}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_TRUE(disabled.json["disabled"].get<bool>());
  auto login = Send("POST", "/api/v1/session",
                    {{"username", "ana.rossi"}, {"password", "correct-horse-battery"}},
                    {{"content-type", "application/json"}});
  EXPECT_EQ(login.status, 401);

  auto issued = WithToken(dm_, "POST", "/api/v1/tokens", {{"label", "nightly export"}});
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string secret = issued.json["secret"];
  EXPECT_EQ(secret.rfind("stk_", 0), 0u);
  auto mine = WithToken(dm_, "GET", "/api/v1/tokens");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json["items"].size(), 2u);  // the fixture's and this one
  EXPECT_FALSE(mine.body.find(secret) != std::string::npos) << "the secret is never listed";
  EXPECT_EQ(WithToken(secret, "GET", "/api/v1/sites").status, 200);
  const int64_t id = issued.json["id"];
  EXPECT_EQ(WithToken(dm_, "DELETE", "/api/v1/tokens/" + std::to_string(id)).status, 204);
  EXPECT_EQ(WithToken(secret, "GET", "/api/v1/sites").status, 401);
  auto wider =
      WithToken(dm_, "POST", "/api/v1/tokens", {{"label", "x"}, {"role", "administrator"}});
  EXPECT_EQ(wider.status, 403) << "a token never exceeds its owner";
}

TEST_F(ApiRoutesTest, SessionLogInWhoAmIAndLogOut) {
  Browser b = LogIn("monitor");
  auto me = WithBrowser(b, "GET", "/api/v1/session");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["role"], "monitor");
  EXPECT_EQ(me.json["csrf_token"], b.csrf);
  // What the role may do, from the server's access policy (the browser draws its screens
  // from it rather than from a copy of the role table).
  const auto permissions = me.json["permissions"].get<std::vector<std::string>>();
  EXPECT_EQ(permissions,
            (std::vector<std::string>{"read_registry", "read_quasi_identifiers", "read_audit",
                                      "export", "screen", "read_protocols", "read_allocations"}));
  EXPECT_EQ(WithBrowser(b, "DELETE", "/api/v1/session").status, 204);
  EXPECT_EQ(WithBrowser(b, "GET", "/api/v1/session").status, 401);
}

// The answer of GET /patients/{id}/records against the typed schemas the OpenAPI document
// generates from the data model (PatientRecord, <Kind>Record, RecordsByKind): every
// required member present, nothing undeclared, codes from their list, null only where
// nullable. The browser's TypeScript types are generated from the same schemas.
void ExpectConformsTo(const nlohmann::json& schemas, const std::string& name,
                      const nlohmann::json& value) {
  SCOPED_TRACE(name);
  const auto& schema = schemas.at(name);
  for (const auto& member : schema["required"]) {
    EXPECT_TRUE(value.contains(member.get<std::string>())) << member;
  }
  for (const auto& [member, v] : value.items()) {
    ASSERT_TRUE(schema["properties"].contains(member)) << "undeclared member " << member;
    const auto& property = schema["properties"][member];
    if (v.is_null()) {
      EXPECT_TRUE(property.value("nullable", false)) << member << " is null";
      continue;
    }
    if (property.contains("enum")) {
      const auto& codes = property["enum"];
      EXPECT_NE(std::find(codes.begin(), codes.end(), v), codes.end()) << member << " " << v;
    }
    if (property.value("type", "") == "integer") {
      EXPECT_TRUE(v.is_number_integer()) << member;
    }
  }
}

void ExpectConformsToTypedSchemas(const nlohmann::json& answer) {
  const auto doc = http::OpenApiDocument(http::AllRoutes());
  const auto& schemas = doc["components"]["schemas"];
  ExpectConformsTo(schemas, "PatientRecord", answer["patient"]);
  const auto& kinds = schemas["RecordsByKind"]["properties"];
  ASSERT_EQ(kinds.size(), RecordKinds().size());
  for (const auto& [kind, records] : answer["records"].items()) {
    ASSERT_TRUE(kinds.contains(kind)) << kind;
    const std::string ref = kinds[kind]["items"]["$ref"];
    for (const auto& record : records) {
      ExpectConformsTo(schemas, ref.substr(ref.rfind('/') + 1), record);
    }
  }
}

TEST_F(ApiRoutesTest, PatientsAndRecordsCreateReadCorrectDeleteAndList) {
  auto schema = WithToken(dm_, "GET", "/api/v1/schema");
  ASSERT_EQ(schema.status, 200);
  EXPECT_GT(schema.json["kinds"].size(), 10u);
  auto codebook = WithToken(dm_, "GET", "/api/v1/schema/codebook");
  ASSERT_EQ(codebook.status, 200) << codebook.body;
  EXPECT_EQ(codebook.body.rfind("kind,table,field,type,required,unit", 0), 0u) << codebook.body;
  EXPECT_NE(codebook.body.find("\nvariant,variants,vaf,number,"), std::string::npos);

  auto created = WithToken(
      dm_, "POST", "/api/v1/patients",
      {{"pseudonym", "API-1"},
       {"site", RegistryFixture::kSiteA},
       {"sex", "female"},
       {"birth_year", 1961},
       {"birth_month", 4},
       {"registered_on", "2024-01-10"},
       {"identity",
        {{"name", "Maria Verdi"}, {"date_of_birth", "1961-04-02"}, {"hospital_number", "H123"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = created.json["id"];
  const std::string pid = std::to_string(id);
  EXPECT_EQ(WithToken(dm_, "GET", "/api/v1/patients/" + pid).json["pseudonym"], "API-1");
  auto identity = WithToken(dm_, "GET", "/api/v1/patients/" + pid + "/identity");
  ASSERT_EQ(identity.status, 200) << identity.body;
  EXPECT_EQ(identity.json["name"], "Maria Verdi");
  auto found = WithToken(dm_, "GET", "/api/v1/patients?pseudonym=API-1");
  ASSERT_EQ(found.status, 200);
  EXPECT_EQ(found.json["items"][0]["id"], id);

  auto bad = WithToken(dm_, "POST", "/api/v1/patients/" + pid + "/records/diagnosis",
                       {{"disease", "aml"},
                        {"diagnosis_date", "2024-02-30"},
                        {"origin", "de_novo"},
                        {"status_at_registration", "first_relapse"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.json["error"]["where"].get<std::string>().find("diagnosis_date"),
            std::string::npos);
  auto dx = WithToken(dm_, "POST", "/api/v1/patients/" + pid + "/records/diagnosis",
                      {{"disease", "aml"},
                       {"diagnosis_date", "2024-01-02"},
                       {"origin", "de_novo"},
                       {"status_at_registration", "first_relapse"}});
  ASSERT_EQ(dx.status, 201) << dx.body;
  const std::string dx_id = std::to_string(dx.json["id"].get<int64_t>());
  EXPECT_EQ(WithToken(dm_, "GET", "/api/v1/records/diagnosis/" + dx_id).json["disease"], "aml");
  auto list = WithToken(dm_, "GET", "/api/v1/patients/" + pid + "/records/diagnosis");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json["items"].size(), 1u);
  auto all = WithToken(dm_, "GET", "/api/v1/patients/" + pid + "/records");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.json["records"]["diagnosis"].size(), 1u);
  ExpectConformsToTypedSchemas(all.json);
  auto across = WithToken(dm_, "GET", "/api/v1/records/diagnosis?limit=1");
  ASSERT_EQ(across.status, 200);
  EXPECT_EQ(across.json["items"].size(), 1u);
  EXPECT_FALSE(across.json["next_after"].is_null());
  EXPECT_EQ(WithToken(dm_, "GET", "/api/v1/records/diagnosis?limit=5000").status, 422);

  auto no_reason = WithToken(dm_, "PATCH", "/api/v1/records/diagnosis/" + dx_id,
                             {{"version", 1}, {"changes", {{"origin", "secondary"}}}});
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(no_reason.json["error"]["code"], "invalid_argument");
  auto corrected = WithToken(
      dm_, "PATCH", "/api/v1/records/diagnosis/" + dx_id,
      {{"version", 1}, {"reason", "source document"}, {"changes", {{"origin", "secondary"}}}});
  ASSERT_EQ(corrected.status, 200) << corrected.body;
  EXPECT_EQ(corrected.json["version"], 2);
  auto stale =
      WithToken(dm_, "PATCH", "/api/v1/records/diagnosis/" + dx_id,
                {{"version", 1}, {"reason", "again"}, {"changes", {{"origin", "de_novo"}}}});
  EXPECT_EQ(stale.status, 409);
  auto renamed = WithToken(dm_, "PATCH", "/api/v1/patients/" + pid,
                           {{"version", 1}, {"reason", "typo"}, {"changes", {{"birth_month", 5}}}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;

  auto record_audit = WithToken(dm_, "GET", "/api/v1/records/diagnosis/" + dx_id + "/audit");
  ASSERT_EQ(record_audit.status, 200) << record_audit.body;
  ASSERT_EQ(record_audit.json["items"].size(), 2u);  // create, then the corrected field
  EXPECT_EQ(record_audit.json["items"][0]["field"], "origin");
  EXPECT_EQ(record_audit.json["items"][0]["reason"], "source document");
  EXPECT_EQ(record_audit.json["items"][0]["request_id"], "test-request");

  EXPECT_EQ(WithToken(dm_, "DELETE", "/api/v1/records/diagnosis/" + dx_id,
                      {{"version", 2}, {"reason", "entered twice"}})
                .status,
            200);
  EXPECT_EQ(WithToken(dm_, "GET", "/api/v1/records/diagnosis/" + dx_id).status, 404);
  EXPECT_EQ(WithToken(dm_, "DELETE", "/api/v1/patients/" + pid,
                      {{"version", 2}, {"reason", "withdrawn registration"}})
                .status,
            200);
  EXPECT_EQ(WithToken(dm_, "GET", "/api/v1/patients/" + pid).status, 404);
  auto patient_audit = WithToken(dm_, "GET", "/api/v1/patients/" + pid + "/audit");
  EXPECT_EQ(patient_audit.status, 200) << "the history of a deleted patient stays readable";
  auto filtered = WithToken(dm_, "GET", "/api/v1/audit?entity=diagnosis&limit=2");
  ASSERT_EQ(filtered.status, 200);
  EXPECT_EQ(filtered.json["items"].size(), 2u);
  EXPECT_EQ(filtered.json["items"][0]["action"], "delete");
}

TEST_F(ApiRoutesTest, ProtocolsArmsScreeningEnrolmentUnblindingAndExports) {
  auto list = WithToken(dm_, "GET", "/api/v1/protocols");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json["items"].size(), 5u);  // the shipped protocols
  auto loaded = WithToken(dm_, "POST", "/api/v1/protocols", {{"yaml", kTwoArm}});
  ASSERT_EQ(loaded.status, 201) << loaded.body;
  auto again = WithToken(dm_, "POST", "/api/v1/protocols", {{"yaml", kTwoArm}});
  EXPECT_EQ(again.status, 409) << "the same version twice";
  auto broken = WithToken(dm_, "POST", "/api/v1/protocols", {{"yaml", "id: x\ntitle: [unclosed"}});
  EXPECT_EQ(broken.status, 422);
  auto detail = WithToken(dm_, "GET", "/api/v1/protocols/two-arm");
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(detail.json["criteria"].size(), 2u);
  EXPECT_TRUE(detail.json["blinded"].get<bool>());

  const int64_t p1 = AddPatient("T-1", RegistryFixture::kSiteA);
  Consent(p1);
  auto screening = WithToken(dm_, "GET", "/api/v1/patients/" + std::to_string(p1) + "/screening");
  ASSERT_EQ(screening.status, 200) << screening.body;
  bool found = false;
  for (const auto& p : screening.json["protocols"]) {
    if (p["protocol"] != "two-arm") continue;
    found = true;
    EXPECT_EQ(p["verdict"], "eligible");
  }
  EXPECT_TRUE(found);
  auto candidates = WithToken(dm_, "GET", "/api/v1/protocols/two-arm/candidates");
  ASSERT_EQ(candidates.status, 200);
  ASSERT_EQ(candidates.json["items"].size(), 1u);
  EXPECT_EQ(candidates.json["items"][0]["pseudonym"], "T-1");

  auto suspended = WithToken(dm_, "POST", "/api/v1/protocols/two-arm/arms/exp/status",
                             {{"status", "suspended"}, {"reason", "safety review"}});
  ASSERT_EQ(suspended.status, 200) << suspended.body;
  EXPECT_EQ(WithToken(dm_, "GET", "/api/v1/protocols/two-arm").json["arms"][1]["status"],
            "suspended");
  EXPECT_EQ(
      WithToken(dm_, "POST", "/api/v1/protocols/two-arm/arms/exp/status", {{"status", "open"}})
          .status,
      422)
      << "a reason is required";
  ASSERT_EQ(WithToken(dm_, "POST", "/api/v1/protocols/two-arm/arms/exp/status",
                      {{"status", "open"}, {"reason", "review done"}})
                .status,
            200);

  ActivateProtocol("two-arm");
  auto enrol = WithToken(dm_, "POST", "/api/v1/protocols/two-arm/enrolments",
                         {{"patient_id", p1}, {"idempotency_key", "k-1"}});
  ASSERT_EQ(enrol.status, 201) << enrol.body;
  EXPECT_EQ(enrol.json["status"], "enrolled");
  EXPECT_EQ(enrol.json["enrolment"]["arm"], "(blinded)") << "data managers are blinded";
  EXPECT_EQ(enrol.json["enrolment"]["patient"], "T-1");
  auto replay = WithToken(dm_, "POST", "/api/v1/protocols/two-arm/enrolments",
                          {{"patient_id", p1}, {"idempotency_key", "k-1"}});
  EXPECT_EQ(replay.json["status"], "replayed");
  const std::string rand_admin = TokenFor("randomisation_admin");
  auto allocations = WithToken(rand_admin, "GET", "/api/v1/protocols/two-arm/enrolments");
  ASSERT_EQ(allocations.status, 200);
  const std::string arm = allocations.json["items"][0]["arm"];
  EXPECT_TRUE(allocations.json["next_offset"].is_null());
  EXPECT_EQ(WithToken(rand_admin, "GET", "/api/v1/protocols/two-arm/enrolments?offset=1")
                .json["items"]
                .size(),
            0u);
  EXPECT_TRUE(arm == "std" || arm == "exp");
  auto unblinded = WithToken(
      dm_, "POST", "/api/v1/protocols/two-arm/enrolments/" + std::to_string(p1) + "/unblind",
      {{"reason", "anaphylaxis"}});
  ASSERT_EQ(unblinded.status, 200) << unblinded.body;
  EXPECT_EQ(unblinded.json["arm"], arm);

  auto csv = WithToken(dm_, "GET", "/api/v1/exports/diagnosis");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("patient,", 0), 0u);
  EXPECT_NE(csv.body.find("T-1"), std::string::npos);
  const std::string stats = TokenFor("statistician");
  auto pseudonymised =
      WithToken(stats, "GET", "/api/v1/exports/diagnosis?format=json&study=two-arm");
  ASSERT_EQ(pseudonymised.status, 200) << pseudonymised.body;
  const auto row = pseudonymised.json["items"][0];
  EXPECT_EQ(row["patient"].get<std::string>().rfind("S-", 0), 0u);
  EXPECT_FALSE(row.contains("id"));
  EXPECT_FALSE(row.contains("patient_id"));
  EXPECT_EQ(pseudonymised.body.find("T-1"), std::string::npos);
  auto other_study =
      WithToken(stats, "GET", "/api/v1/exports/diagnosis?format=json&study=registry");
  ASSERT_EQ(other_study.status, 200) << other_study.body;
  EXPECT_NE(other_study.json["items"][0]["patient"], row["patient"]) << "unlinkable across studies";
  // A misspelt study would key the pseudonyms by another study and break their linkage.
  auto typo = WithToken(stats, "GET", "/api/v1/exports/diagnosis?format=json&study=two-arms");
  EXPECT_EQ(typo.status, 422) << typo.body;
  EXPECT_EQ(typo.json["error"]["where"], "study");
  EXPECT_EQ(WithToken(stats, "GET", "/api/v1/exports/diagnosis").status, 422)
      << "a study is needed";
  auto stats_allocations = WithToken(stats, "GET", "/api/v1/protocols/two-arm/enrolments");
  ASSERT_EQ(stats_allocations.status, 200);
  EXPECT_EQ(stats_allocations.json["items"][0]["arm"], "(blinded)");
  EXPECT_EQ(stats_allocations.json["items"][0]["patient"], row["patient"]);
  auto openapi = Send("GET", "/api/v1/openapi.json", nullptr, {});
  ASSERT_EQ(openapi.status, 200);
  EXPECT_EQ(openapi.json["openapi"], "3.0.3");
}

// After every test of the binary has run: each route of the table was called at least once.
class RouteCoverage : public ::testing::Environment {
 public:
  void TearDown() override {
    if (::testing::GTEST_FLAG(filter) != "*") return;  // a filtered run covers less
    for (const auto& route : http::AllRoutes()) {
      EXPECT_TRUE(CalledRoutes().count(route.method + " " + route.path))
          << "no in-process test calls " << route.method << " " << route.path;
    }
  }
};
const auto* const kCoverage = ::testing::AddGlobalTestEnvironment(new RouteCoverage);

}  // namespace
}  // namespace stream::testing
