// What the browser app's forms rely on: GET /schema names each field's text format and
// date order, and POST /records/{kind}/validation answers every problem of a record at
// once with exactly the messages the create routes give, writing nothing.
#include <gtest/gtest.h>

#include "http/api_fixture.h"
#include "service/access_policy.h"

namespace stream::testing {
namespace {

using json = nlohmann::json;

class RecordCheckTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    dm_ = TokenFor("data_manager");
    patient_ = AddPatient("F-1", RegistryFixture::kSiteA);  // AML diagnosed 2024-01-05
  }
  json Check(const std::string& kind, json fields, std::optional<int64_t> patient = {}) {
    json body = {{"fields", std::move(fields)}};
    if (patient) body["patient_id"] = *patient;
    auto r = WithToken(dm_, "POST", "/api/v1/records/" + kind + "/validation", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json["errors"];
  }
  std::string AuditRows() { return WithToken(dm_, "GET", "/api/v1/audit?limit=1000").body; }

  std::string dm_;
  int64_t patient_ = 0;
};

const json* FindField(const json& schema, const std::string& kind, const std::string& field) {
  for (const auto& k : schema["kinds"]) {
    if (k["name"] != kind) continue;
    for (const auto& f : k["fields"])
      if (f["name"] == field) return &f;
  }
  return nullptr;
}

TEST_F(RecordCheckTest, SchemaNamesTextFormatsAndDateOrders) {
  auto schema = WithToken(dm_, "GET", "/api/v1/schema");
  ASSERT_EQ(schema.status, 200);
  const json* gene = FindField(schema.json, "variant", "gene");
  ASSERT_NE(gene, nullptr);
  EXPECT_EQ((*gene)["format"], "gene_symbol");
  EXPECT_EQ((*gene)["format_description"], "an HGNC gene symbol such as FLT3");
  EXPECT_EQ((*FindField(schema.json, "fusion", "fusion"))["format"], "fusion");
  EXPECT_EQ((*FindField(schema.json, "variant", "hgvs"))["format"], "hgvs");
  EXPECT_EQ((*FindField(schema.json, "karyotype", "iscn"))["format"], "iscn");
  EXPECT_EQ((*FindField(schema.json, "adverse_event", "meddra_code"))["format"], "meddra_code");
  const json* free_text = FindField(schema.json, "diagnosis", "who_2022_subtype");
  ASSERT_NE(free_text, nullptr);
  EXPECT_FALSE(free_text->contains("format"));
  EXPECT_FALSE(free_text->contains("format_description"));

  EXPECT_EQ((*FindField(schema.json, "treatment_line", "end_date"))["not_before"], "start_date");
  EXPECT_EQ((*FindField(schema.json, "adverse_event", "resolution_date"))["not_before"],
            "onset_date");
  EXPECT_EQ((*FindField(schema.json, "consent", "withdrawal_date"))["not_before"], "consent_date");
  EXPECT_FALSE((*FindField(schema.json, "treatment_line", "start_date")).contains("not_before"));

  // Every format's description is the one a wrong value is told.
  int formats = 0;
  for (const auto& k : schema.json["kinds"]) {
    for (const auto& f : k["fields"]) {
      if (!f.contains("format")) continue;
      ++formats;
      const std::string kind = k["name"];
      auto errors = Check(kind, {{f["name"].get<std::string>(), "not valid!"}});
      bool told = false;
      for (const auto& e : errors) {
        told = told || (e["field"] == f["name"] &&
                        e["message"] ==
                            "'not valid!' is not " + f["format_description"].get<std::string>());
      }
      EXPECT_TRUE(told) << kind << "." << f["name"] << ": " << errors.dump();
    }
  }
  EXPECT_GE(formats, 5);
}

TEST_F(RecordCheckTest, ListsEveryProblemOfARecordAtOnce) {
  const std::string before = AuditRows();
  auto errors = Check("variant", {{"gene", "flt3"},
                                  {"variant_type", "duplication"},
                                  {"vaf", 120},
                                  {"sample_date", "2024-02-30"},
                                  {"colour", "red"}});
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e["field"]);
  EXPECT_EQ(fields, (std::vector<std::string>{"colour", "gene", "variant_type", "vaf", "method",
                                              "sample_date"}))
      << errors.dump(1);
  EXPECT_EQ(errors[4]["message"], "is required");

  auto line = Check("treatment_line", {{"line_number", 1},
                                       {"regimen", "7+3"},
                                       {"agents", {"cytarabine"}},
                                       {"intensity", "intensive"},
                                       {"start_date", "2024-03-01"},
                                       {"end_date", "2024-02-01"}});
  ASSERT_EQ(line.size(), 1u) << line.dump();
  EXPECT_EQ(line[0]["field"], "end_date");
  EXPECT_EQ(line[0]["message"], "2024-02-01 is before start_date 2024-03-01");

  EXPECT_TRUE(Check("death", {{"death_date", "2024-05-01"}, {"cause", "leukaemia"}}).empty());
  EXPECT_TRUE(
      Check("death", {{"death_date", "2024-05-01"}, {"cause", "leukaemia"}}, patient_).empty());
  EXPECT_EQ(AuditRows(), before) << "a check wrote something";
  auto records = WithToken(dm_, "GET", "/api/v1/records/death");
  EXPECT_TRUE(records.json["items"].empty());
}

TEST_F(RecordCheckTest, ChecksAgainstThePatientsHistoryWhenGivenThePatient) {
  const json early = {{"assessment_date", "2023-12-01"}, {"marrow_blasts", 3}};
  EXPECT_TRUE(Check("response", early).empty()) << "without a patient: fields only";
  auto errors = Check("response", early, patient_);
  ASSERT_EQ(errors.size(), 1u) << errors.dump();
  EXPECT_EQ(errors[0]["field"], "assessment_date");
  EXPECT_EQ(errors[0]["message"].get<std::string>().rfind("2023-12-01 is before the diagnosis", 0),
            0u);

  auto future =
      Check("relapse", {{"relapse_date", "2027-01-01"}, {"relapse_type", "bogus"}}, patient_);
  ASSERT_EQ(future.size(), 2u) << future.dump();
  EXPECT_EQ(future[0]["field"], "relapse_type");
  EXPECT_EQ(future[1]["message"], "2027-01-01 is in the future");
}

TEST_F(RecordCheckTest, RefusesBadRequestsNamingTheMember) {
  auto check = [&](const std::string& kind, const json& body) {
    return WithToken(dm_, "POST", "/api/v1/records/" + kind + "/validation", body);
  };
  EXPECT_EQ(check("tumour", {{"fields", json::object()}}).status, 404);
  auto no_fields = check("death", {{"patient_id", patient_}});
  EXPECT_EQ(no_fields.status, 422);
  EXPECT_EQ(no_fields.json["error"]["where"], "fields");
  auto extra = check("death", {{"fields", json::object()}, {"record", 1}});
  EXPECT_EQ(extra.status, 422);
  EXPECT_EQ(extra.json["error"]["where"], "record");
  auto bad_id = check("death", {{"fields", json::object()}, {"patient_id", "7"}});
  EXPECT_EQ(bad_id.status, 422);
  EXPECT_EQ(bad_id.json["error"]["where"], "patient_id");
  auto patient_with_id = check("patient", {{"fields", json::object()}, {"patient_id", patient_}});
  EXPECT_EQ(patient_with_id.status, 422);
  EXPECT_EQ(patient_with_id.json["error"]["where"], "patient_id");
  auto missing = check("death", {{"fields", json::object()}, {"patient_id", 999999}});
  EXPECT_EQ(missing.status, 404);
}

// The same bad records, created and checked: the check lists the create route's refusal,
// word for word, under the same field (and only that, when there is one problem).
TEST_F(RecordCheckTest, AgreesWithTheCreateRoutesWordForWord) {
  struct Case {
    std::string kind;
    json fields;
    bool single;  // exactly one problem
  };
  const std::vector<Case> cases = {
      {"variant",
       {{"gene", "FLT3"}, {"variant_type", "itd"}, {"method", "pcr"}, {"sample_date", "2024-1-1"}},
       true},
      {"variant",
       {{"gene", "flt3"},
        {"variant_type", "itd"},
        {"method", "pcr"},
        {"sample_date", "2024-02-01"}},
       true},
      {"variant",
       {{"gene", "FLT3"},
        {"variant_type", "itd"},
        {"vaf", "high"},
        {"method", "pcr"},
        {"sample_date", "2024-02-01"}},
       true},
      {"variant",
       {{"gene", "FLT3"},
        {"variant_type", "itd"},
        {"vaf", -1},
        {"method", "pcr"},
        {"sample_date", "2024-02-01"}},
       true},
      {"variant", {{"gene", "FLT3"}, {"method", "pcr"}, {"sample_date", "2024-02-01"}}, true},
      {"variant", {{"gene", 3}, {"variant_type", "itd"}, {"sample_date", "2024-02-01"}}, false},
      {"fusion", {{"fusion", "BCR-ABL1"}, {"method", "pcr"}, {"sample_date", "2024-02-01"}}, true},
      {"karyotype", {{"sample_date", "2024-02-01"}, {"abnormalities", {"normal", "t_99"}}}, true},
      {"karyotype", {{"sample_date", "2024-02-01"}, {"iscn", "XY"}, {"abnormalities", {}}}, false},
      {"adverse_event",
       {{"ctcae_term", "Nausea"},
        {"meddra_code", "1002881"},
        {"grade", 2},
        {"onset_date", "2024-02-01"},
        {"serious", false}},
       true},
      {"treatment_line",
       {{"line_number", 2},
        {"regimen", "FLAG-Ida"},
        {"agents", {"fludarabine"}},
        {"intensity", "intensive"},
        {"start_date", "2024-03-01"},
        {"end_date", "2024-02-01"}},
       true},
      {"consent",
       {{"form_version", "2"},
        {"consent_date", "2024-02-01"},
        {"scope", {"registry"}},
        {"withdrawal_date", "2024-01-20"}},
       true},
      {"response", {{"assessment_date", "2023-06-01"}}, true},  // before the diagnosis
      {"relapse", {{"relapse_date", "2030-01-01"}, {"relapse_type", "haematological"}}, true},
      {"death", {{"death_date", "2024-05-01"}, {"cause", "leukaemia"}, {"place", "home"}}, true},
  };
  const std::string pid = std::to_string(patient_);
  for (const auto& c : cases) {
    auto created =
        WithToken(dm_, "POST", "/api/v1/patients/" + pid + "/records/" + c.kind, c.fields);
    ASSERT_EQ(created.status, 422) << c.kind << " " << c.fields.dump() << ": " << created.body;
    std::string where = created.json["error"].value("where", "");
    if (!where.empty() && where.front() == '/') where.erase(0, 1);
    const std::string message = created.json["error"]["message"];
    const json errors = Check(c.kind, c.fields, patient_);
    bool listed = false;
    for (const auto& e : errors)
      listed = listed || (e["field"] == where && e["message"] == message);
    EXPECT_TRUE(listed) << c.kind << " " << c.fields.dump() << "\ncreate: " << created.body
                        << "\ncheck: " << errors.dump();
    if (c.single) {
      EXPECT_EQ(errors.size(), 1u) << c.kind << " " << errors.dump();
    }
  }

  // Patients: the checks of registering one (site, pseudonym, dates), word for word too.
  const json valid = {{"pseudonym", "F-2"}, {"site", RegistryFixture::kSiteA},
                      {"sex", "male"},      {"birth_year", 1980},
                      {"birth_month", 5},   {"registered_on", "2024-03-01"}};
  EXPECT_TRUE(Check("patient", valid).empty());
  std::vector<json> patients;
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, json>>{{"pseudonym", "F-1"},
                                                 {"site", "XX-NO-01"},
                                                 {"birth_month", 13},
                                                 {"registered_on", "1979-01-01"},
                                                 {"registered_on", "2030-01-01"},
                                                 {"sex", nullptr}}) {
    json p = valid;
    p[field] = value;
    patients.push_back(p);
  }
  for (const auto& p : patients) {
    auto created = WithToken(dm_, "POST", "/api/v1/patients", p);
    ASSERT_NE(created.status / 100, 2) << p.dump();
    const json errors = Check("patient", p);
    ASSERT_EQ(errors.size(), 1u) << p.dump() << " " << errors.dump();
    EXPECT_EQ(errors[0]["field"], created.json["error"]["where"]) << p.dump();
    EXPECT_EQ(errors[0]["message"], created.json["error"]["message"]) << p.dump();
  }
}

// Needs what creating a record needs; another site's patient reads as a missing one.
TEST_F(RecordCheckTest, PermissionAndSiteIsolation) {
  const int64_t foreign = AddPatient("F-B", RegistryFixture::kSiteB);
  const json death = {{"death_date", "2024-05-01"}, {"cause", "leukaemia"}};
  for (const auto& role : service::Roles()) {
    const bool site_role = service::IsSiteRole(role);
    const std::string token = TokenFor(role, site_role ? RegistryFixture::kSiteA : "");
    auto r = WithToken(token, "POST", "/api/v1/records/death/validation", {{"fields", death}});
    if (!service::Allows(role, service::Permission::kWriteRegistry)) {
      EXPECT_EQ(r.status, 403) << role << " " << r.body;
      continue;
    }
    EXPECT_EQ(r.status, 200) << role << " " << r.body;
    if (!site_role) continue;
    auto theirs = WithToken(token, "POST", "/api/v1/records/death/validation",
                            {{"fields", death}, {"patient_id", foreign}});
    auto none = WithToken(token, "POST", "/api/v1/records/death/validation",
                          {{"fields", death}, {"patient_id", 999999}});
    EXPECT_EQ(theirs.status, 404) << role << " " << theirs.body;
    EXPECT_EQ(theirs.status, none.status);
    EXPECT_EQ(theirs.json["error"]["code"], none.json["error"]["code"]);
    EXPECT_EQ(theirs.body.find("F-B"), std::string::npos);
  }
}

}  // namespace
}  // namespace stream::testing
