#include "http/dashboard_fixture.h"

namespace stream::testing {
namespace {

Date Day(const char* text) { return *Date::Parse(text); }

Timestamp At(Date day) { return Timestamp::FromMillis(day.days() * 86'400'000 + 9 * 3'600'000); }

}  // namespace

int64_t DashboardFixture::Add(const std::string& pseudonym, const std::string& site,
                              const std::string& disease, bool consent) {
  auto patient = registry_->registry().AddPatient(RegistryFixture::Central(),
                                                  RegistryFixture::PatientValues(pseudonym, site));
  EXPECT_TRUE(patient.ok()) << patient.error().ToString();
  ids_[pseudonym] = patient->id;
  if (!disease.empty()) {
    AddRecord(patient->id, "diagnosis",
              {{"disease", disease},
               {"diagnosis_date", Day("2024-01-05")},
               {"origin", std::string("de_novo")},
               {"status_at_registration", std::string("first_relapse")}});
  }
  if (consent) {
    AddRecord(patient->id, "consent",
              {{"form_version", std::string("1")},
               {"consent_date", Day("2024-01-10")},
               {"scope", CodeSet{"registry", "trial"}}});
  }
  return patient->id;
}

void DashboardFixture::AddRecord(int64_t patient, const std::string& kind,
                                 std::initializer_list<std::pair<std::string_view, Value>> fields) {
  const KindSpec& spec = *FindKind(kind);
  auto added = registry_->registry().AddRecord(RegistryFixture::Central(), spec, patient,
                                               MakeRecord(spec, fields).values);
  EXPECT_TRUE(added.ok()) << kind << ": " << added.error().ToString();
}

std::map<std::string, std::string> DashboardFixture::Arms(const std::string& protocol) {
  auto list = WithToken(admin_, "GET", "/api/v1/protocols/" + protocol + "/enrolments");
  EXPECT_EQ(list.status, 200) << list.body;
  std::map<std::string, std::string> arms;
  for (const auto& item : list.json["items"]) arms[item["patient"]] = item["arm"];
  return arms;
}

void DashboardFixture::SetUp() {
  ApiFixture::SetUp();
  admin_ = TokenFor("administrator");
  std::string blind = kDashTrial;
  blind.replace(blind.find("id: dash-trial"), 14, "id: dash-blind");
  blind.replace(blind.find("  block_sizes: [2, 4]\n"), 22,
                "  block_sizes: [2, 4]\n  blinded: true\n");
  for (const auto& yaml : {std::string(kDashTrial), blind}) {
    auto loaded = WithToken(admin_, "POST", "/api/v1/protocols", {{"yaml", yaml}});
    ASSERT_EQ(loaded.status, 201) << loaded.body;
  }
  ActivateProtocol("dash-trial");
  ActivateProtocol("dash-blind");
  const char* a = RegistryFixture::kSiteA;
  const char* b = RegistryFixture::kSiteB;
  for (int i = 0; i < 6; ++i) enrolled_.push_back("DA-" + std::to_string(i));
  for (int i = 0; i < 4; ++i) enrolled_.push_back("DB-" + std::to_string(i));
  for (const auto& p : enrolled_) Add(p, p[1] == 'A' ? a : b, "aml", true);
  Add("NA-ALL", a, "all", true);      // not eligible: not AML
  Add("NA-NOCONS", a, "aml", false);  // not eligible: no consent
  Add("NA-NODX", a, "", true);        // unknown: no diagnosis
  Add("NA-ELIG", a, "aml", true);     // eligible, not enrolled
  Add("NB-NOCONS", b, "aml", false);  // not eligible: no consent

  const Date first = Day("2024-03-01");
  for (size_t i = 0; i < enrolled_.size(); ++i) {
    registry_->clock().Set(At(first.AddDays(static_cast<int64_t>(i))));
    auto r = WithToken(admin_, "POST", "/api/v1/protocols/dash-trial/enrolments",
                       {{"patient_id", ids_[enrolled_[i]]}, {"idempotency_key", enrolled_[i]}});
    ASSERT_EQ(r.status, 201) << r.body;
    if (i < 3) {
      auto blinded = WithToken(
          admin_, "POST", "/api/v1/protocols/dash-blind/enrolments",
          {{"patient_id", ids_[enrolled_[i]]}, {"idempotency_key", "blind-" + enrolled_[i]}});
      ASSERT_EQ(blinded.status, 201) << blinded.body;
    }
  }
  registry_->clock().Set(At(Day("2025-06-01")));
  auto day = [&](size_t i, int after) { return first.AddDays(static_cast<int64_t>(i) + after); };
  auto cr = [&](size_t i, int after) {
    AddRecord(ids_[enrolled_[i]], "response",
              {{"assessment_date", day(i, after)}, {"eln2022_category", std::string("cr")}});
  };
  auto death = [&](size_t i, int after) {
    AddRecord(ids_[enrolled_[i]], "death",
              {{"death_date", day(i, after)}, {"cause", std::string("infection")}});
  };
  auto follow_up = [&](size_t i, const char* date, const char* status) {
    AddRecord(ids_[enrolled_[i]], "follow_up",
              {{"contact_date", Day(date)}, {"vital_status", std::string(status)}});
  };
  cr(0, 30);
  AddRecord(ids_[enrolled_[0]], "relapse",
            {{"relapse_date", day(0, 200)}, {"relapse_type", std::string("haematological")}});
  follow_up(0, "2025-05-01", "alive");
  death(1, 20);
  follow_up(2, "2025-05-01", "alive");
  cr(3, 45);
  death(3, 300);
  cr(5, 100);  // after the 60-day landmark
  follow_up(5, "2025-05-01", "alive");
  death(6, 50);
  cr(7, 30);
  follow_up(7, "2025-05-01", "alive");
  follow_up(8, "2024-09-01", "lost_to_follow_up");
  follow_up(9, "2025-05-01", "alive");
  // DB-3 withdraws consent after enrolment.
  const KindSpec& consent = *FindKind("consent");
  RecordFilter filter;
  filter.patient_id = ids_["DB-3"];
  auto consents = registry_->registry().ListRecords(RegistryFixture::Central(), consent, filter);
  ASSERT_TRUE(consents.ok() && consents->size() == 1u);
  auto values = consents->front().values;
  values[consent.IndexOf("withdrawal_date")] = Day("2025-01-01");
  auto withdrawn =
      registry_->registry().UpdateRecord(RegistryFixture::Central(), consent, consents->front().id,
                                         consents->front().version, values, "withdrew");
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.error().ToString();

  auto expect = [&](const char* p, Expected e) {
    e.site = p[1] == 'A' ? a : b;
    expected_[p] = e;
  };
  //                   os     died   rel    lost   withdr crc_ev crc    ed_ev  ed30
  expect("DA-0", {"", true, false, true, false, false, true, true, true, false});
  expect("DA-1", {"", true, true, false, false, false, true, false, true, true});
  expect("DA-2", {"", true, false, false, false, false, true, false, true, false});
  expect("DA-3", {"", true, true, false, false, false, true, true, true, false});
  expect("DA-4", {"", false, false, false, false, false, false, false, false, false});
  expect("DA-5", {"", true, false, false, false, false, true, false, true, false});
  expect("DB-0", {"", true, true, false, false, false, true, false, true, false});
  expect("DB-1", {"", true, false, false, false, false, true, true, true, false});
  expect("DB-2", {"", true, false, false, true, false, true, false, true, false});
  expect("DB-3", {"", true, false, false, false, true, true, false, true, false});
}

}  // namespace stream::testing
