// Issue #15.7: a withdrawn consent leaves what was recorded from the withdrawal on out of
// exports and analyses; nothing collected is destroyed.
#include <gtest/gtest.h>

#include "service/endpoint_dataset.h"
#include "service/export_service.h"
#include "service/study_pseudonyms.h"
#include "support/trial_fixture.h"

namespace stream::service {
namespace {

using testing::RegistryFixture;

const KindSpec& Kind(const char* name) { return *FindKind(name); }

void Add(RegistryFixture& f, int64_t patient, const KindSpec& kind, const Record& r) {
  auto added = f.registry().AddRecord(RegistryFixture::Central(), kind, patient, r.values);
  ASSERT_TRUE(added.ok()) << added.error().ToString();
}

Record Withdrawn(const char* signed_on, const char* withdrawn_on, CodeSet scope) {
  return MakeRecord(Kind("consent"), {{"form_version", std::string("2.1")},
                                      {"consent_date", *Date::Parse(signed_on)},
                                      {"scope", std::move(scope)},
                                      {"withdrawal_date", *Date::Parse(withdrawn_on)}});
}

Record ResponseOn(const char* date) {
  return MakeRecord(Kind("response"), {{"assessment_date", *Date::Parse(date)},
                                       {"eln2022_category", std::string("cr")}});
}

TEST(ConsentWithdrawalUse, AnExportWithholdsWhatWasRecordedFromTheWithdrawalOn) {
  RegistryFixture f;
  f.clock().Set(*Timestamp::Parse("2024-06-01T09:00:00.000Z"));
  Record p = f.AddAmlPatient("P-W", RegistryFixture::kSiteA);
  Record q = f.AddAmlPatient("P-K", RegistryFixture::kSiteA);
  Add(f, p.id, Kind("response"), ResponseOn("2024-02-01"));
  Add(f, p.id, Kind("response"), ResponseOn("2024-04-01"));
  Add(f, q.id, Kind("response"), ResponseOn("2024-04-01"));
  Add(f, p.id, Kind("consent"), Withdrawn("2024-01-10", "2024-03-01", {"registry", "trial"}));

  StudyPseudonyms pseudonyms(testing::kSecret);
  ExportService exports(f.store(), pseudonyms);
  auto table = exports.Export(RegistryFixture::Central(), Kind("response"), "");
  ASSERT_TRUE(table.ok()) << table.error().ToString();
  EXPECT_EQ(table->withheld, 1);
  ASSERT_EQ(table->records.size(), 2u);
  EXPECT_EQ(table->patients[0], "P-W");
  EXPECT_EQ(table->records[0].DateOf(Kind("response"), "assessment_date"),
            Date::Parse("2024-02-01"));
  EXPECT_EQ(table->patients[1], "P-K") << "other patients are untouched";

  auto patients = exports.Export(RegistryFixture::Central(), PatientKind(), "");
  ASSERT_TRUE(patients.ok());
  EXPECT_EQ(patients->records.size(), 2u) << "the patient row itself stays";

  // Nothing is destroyed: the registry still holds both responses.
  auto history = f.registry().GetHistory(RegistryFixture::Central(), p.id);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->responses.size(), 2u);
}

TEST(ConsentWithdrawalUse, ATrialAnalysisCensorsAtTheTrialConsentWithdrawal) {
  RegistryFixture f;
  f.clock().Set(*Timestamp::Parse("2024-03-01T09:00:00.000Z"));
  EnrolmentService enrolment(f.store(), f.clock(), testing::kSecret);
  const auto protocol = testing::TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  const auto ids = testing::Register(f, 2, "C-");
  for (size_t i = 0; i < ids.size(); ++i) {
    auto out = enrolment.Enrol(RegistryFixture::Central(), protocol,
                               testing::Request(ids[i], "c" + std::to_string(i)));
    ASSERT_EQ(out->status, EnrolmentStatus::kEnrolled);
  }
  f.clock().Set(*Timestamp::Parse("2025-01-01T09:00:00.000Z"));
  const KindSpec& follow_up = Kind("follow_up");
  const KindSpec& death = Kind("death");
  for (const int64_t id : ids) {
    Add(f, id, follow_up,
        MakeRecord(follow_up, {{"contact_date", *Date::Parse("2024-04-01")},
                               {"vital_status", std::string("alive")}}));
  }
  // Patient 0 withdrew from the trial on 2024-05-01 (its trial consent, signed at
  // registration, gets its withdrawal date) and died on 2024-08-01: the death is recorded
  // in the registry, whose consent stands, but not used by the trial.
  const KindSpec& consent = Kind("consent");
  RecordFilter mine;
  mine.patient_id = ids[0];
  auto tx = f.store().Begin(TransactionMode::kRead);
  const Record signed_consent = (*(*tx)->ListRecords(consent, mine)).front();
  tx->reset();
  std::vector<Value> withdrawn = signed_consent.values;
  withdrawn[consent.IndexOf("withdrawal_date")] = *Date::Parse("2024-05-01");
  ASSERT_TRUE(f.registry()
                  .UpdateRecord(RegistryFixture::Central(), consent, signed_consent.id,
                                signed_consent.version, withdrawn, "withdrew from the trial")
                  .ok());
  Add(f, ids[0], consent,
      MakeRecord(consent, {{"form_version", std::string("2.1")},
                           {"consent_date", *Date::Parse("2024-05-01")},
                           {"scope", CodeSet{"registry"}}}));
  Add(f, ids[0], death,
      MakeRecord(death, {{"death_date", *Date::Parse("2024-08-01")},
                         {"cause", std::string("leukaemia")}}));
  Add(f, ids[1], death,
      MakeRecord(death, {{"death_date", *Date::Parse("2024-08-01")},
                         {"cause", std::string("leukaemia")}}));

  auto os = DeriveEndpointDataset(f.store(), RegistryFixture::Central(), "test-trial",
                                  EndpointKind::kOs, {});
  ASSERT_TRUE(os.ok()) << os.error().ToString();
  ASSERT_EQ(os->rows.size(), 2u);
  EXPECT_EQ(os->censored_at_withdrawal, 1);
  EXPECT_EQ(os->rows[0].event, 0) << "censored: the death after the withdrawal is not used";
  EXPECT_EQ(os->rows[0].time, 61) << "on the withdrawal date, 2024-05-01: alive to withdraw";
  EXPECT_EQ(os->rows[1].event, 1);
  EXPECT_EQ(os->rows[1].time, 153);
}

}  // namespace
}  // namespace stream::service
