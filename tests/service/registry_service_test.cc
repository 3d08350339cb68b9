// The registry's use cases on a real SQLite file: validation against the patient's
// history, site isolation, reasons for change, audit rows and all-or-nothing imports.
#include "service/registry_service.h"

#include <gtest/gtest.h>

#include "service/audit_trail.h"
#include "support/registry_fixture.h"

namespace stream::service {
namespace {

using testing::RegistryFixture;

const KindSpec& Kind(const char* name) { return *FindKind(name); }

std::vector<Value> Response(const char* date, double marrow_blasts) {
  return MakeRecord(Kind("response"), {{"assessment_date", *Date::Parse(date)},
                                       {"marrow_blasts", marrow_blasts},
                                       {"eln2022_category", std::string("cr")}})
      .values;
}

std::vector<Value> DeathOn(const char* date) {
  return MakeRecord(Kind("death"),
                    {{"death_date", *Date::Parse(date)}, {"cause", std::string("leukaemia")}})
      .values;
}

int64_t AuditRows(Store& store) {
  auto report = VerifyAuditTrail(store);
  EXPECT_TRUE(report.ok() && report->ok());
  return report->rows_checked;
}

TEST(RegistryServiceTest, RefusesAResponseBeforeTheDiagnosis) {
  RegistryFixture f;
  Record p = f.AddAmlPatient("P-1", RegistryFixture::kSiteA);
  auto r = f.registry().AddRecord(RegistryFixture::Central(), Kind("response"), p.id,
                                  Response("2024-01-01", 2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "assessment_date");
  EXPECT_NE(r.error().message.find("before the diagnosis on 2024-01-05"), std::string::npos)
      << r.error().message;
}

// Issue #15.7: a withdrawn registry consent stops new data (a new consent aside) and is
// said in the words a site understands; corrections of what was collected stay possible.
TEST(RegistryServiceTest, AWithdrawnRegistryConsentRefusesNewDataUntilANewConsent) {
  RegistryFixture f;
  Record p = f.AddAmlPatient("P-W", RegistryFixture::kSiteA);
  auto consent = [&](const char* date, std::optional<const char*> withdrawn) {
    const KindSpec& kind = Kind("consent");
    Record c = MakeRecord(kind, {{"form_version", std::string("2.1")},
                                 {"consent_date", *Date::Parse(date)},
                                 {"scope", CodeSet{"registry", "trial"}}});
    if (withdrawn) c.values[kind.IndexOf("withdrawal_date")] = *Date::Parse(*withdrawn);
    return f.registry().AddRecord(RegistryFixture::Central(), kind, p.id, c.values);
  };
  ASSERT_TRUE(consent("2024-01-10", "2024-03-01").ok());
  auto refused = f.registry().AddRecord(RegistryFixture::Central(), Kind("response"), p.id,
                                        Response("2024-02-01", 2));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().where, "patient");
  EXPECT_EQ(refused.error().message,
            "consent to the registry was withdrawn on 2024-03-01: no new data may be recorded "
            "for this patient unless a new consent is recorded");
  // The diagnosis collected before the withdrawal can still be corrected.
  RecordFilter filter;
  filter.patient_id = p.id;
  auto tx = f.store().Begin(TransactionMode::kRead);
  auto dx = (*(*tx)->ListRecords(Kind("diagnosis"), filter)).front();
  tx->reset();
  auto values = dx.values;
  values[Kind("diagnosis").IndexOf("origin")] = std::string("secondary");
  EXPECT_TRUE(f.registry()
                  .UpdateRecord(RegistryFixture::Central(), Kind("diagnosis"), dx.id, dx.version,
                                values, "source document")
                  .ok());
  ASSERT_TRUE(consent("2024-04-01", std::nullopt).ok()) << "a new consent is always accepted";
  EXPECT_TRUE(
      f.registry()
          .AddRecord(RegistryFixture::Central(), Kind("response"), p.id, Response("2024-04-02", 2))
          .ok());
}

TEST(RegistryServiceTest, RefusesADeathBeforeTheDiagnosisAndEventsAfterDeath) {
  RegistryFixture f;
  Record p = f.AddAmlPatient("P-2", RegistryFixture::kSiteA);
  auto early = f.registry().AddRecord(RegistryFixture::Central(), Kind("death"), p.id,
                                      DeathOn("2023-12-31"));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().where, "death_date");
  ASSERT_TRUE(f.registry()
                  .AddRecord(RegistryFixture::Central(), Kind("death"), p.id, DeathOn("2024-03-01"))
                  .ok());
  auto after = f.registry().AddRecord(RegistryFixture::Central(), Kind("response"), p.id,
                                      Response("2024-03-10", 2));
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.error().message.find("after the patient's death"), std::string::npos);
  auto second = f.registry().AddRecord(RegistryFixture::Central(), Kind("death"), p.id,
                                       DeathOn("2024-03-02"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
}

TEST(RegistryServiceTest, RefusesADiagnosisAfterExistingEventsAndFutureDates) {
  RegistryFixture f;
  Record p = f.AddAmlPatient("P-3", RegistryFixture::kSiteA);
  ASSERT_TRUE(
      f.registry()
          .AddRecord(RegistryFixture::Central(), Kind("response"), p.id, Response("2024-02-10", 2))
          .ok());
  auto future = f.registry().AddRecord(RegistryFixture::Central(), Kind("response"), p.id,
                                       Response("2027-01-01", 2));
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.error().message.find("in the future"), std::string::npos);
}

TEST(RegistryServiceTest, ADuplicatePseudonymNamesTheField) {
  RegistryFixture f;
  f.AddAmlPatient("P-4", RegistryFixture::kSiteA);
  auto again = f.registry().AddPatient(
      RegistryFixture::Central(), RegistryFixture::PatientValues("P-4", RegistryFixture::kSiteB));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().where, "pseudonym");
}

TEST(RegistryServiceTest, AForeignPatientAnswersExactlyLikeAMissingOne) {
  RegistryFixture f;
  Record p = f.AddAmlPatient("P-5", RegistryFixture::kSiteA);
  const Actor b = RegistryFixture::AtSite(RegistryFixture::kSiteB);
  auto foreign = f.registry().GetPatient(b, p.id);
  auto missing = f.registry().GetPatient(b, 987654);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(foreign.error().code, missing.error().code);
  // The message differs only by the id asked for.
  EXPECT_EQ(foreign.error().message, "no patient with id " + std::to_string(p.id));
  EXPECT_FALSE(f.registry().GetPatientByPseudonym(b, "P-5").ok());
  EXPECT_EQ(f.registry().AddRecord(b, Kind("death"), p.id, DeathOn("2024-03-01")).error().code,
            ErrorCode::kNotFound);
  auto records = f.registry().ListRecords(RegistryFixture::Central(), Kind("diagnosis"), {});
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(f.registry().GetRecord(b, Kind("diagnosis"), records->front().id).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(f.registry().ListPatients(b, {})->empty());
  EXPECT_TRUE(f.registry().ListRecords(b, Kind("diagnosis"), {})->empty());
  // Asking for site A's rows explicitly does not widen a site-B user's view.
  RecordFilter injected;
  injected.site = RegistryFixture::kSiteA;
  EXPECT_TRUE(f.registry().ListPatients(b, injected)->empty());
  EXPECT_EQ(f.registry().ListPatients(RegistryFixture::AtSite(RegistryFixture::kSiteA), {})->size(),
            1u);
}

TEST(RegistryServiceTest, ASiteUserCannotRegisterAtAnotherSite) {
  RegistryFixture f;
  auto p = f.registry().AddPatient(RegistryFixture::AtSite(RegistryFixture::kSiteB),
                                   RegistryFixture::PatientValues("P-6", RegistryFixture::kSiteA));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kPermissionDenied);
}

TEST(RegistryServiceTest, ChangesNeedAReasonAndAreAuditedFieldByField) {
  RegistryFixture f;
  Record p = f.AddAmlPatient("P-7", RegistryFixture::kSiteA);
  auto r = f.registry().AddRecord(RegistryFixture::Central(), Kind("response"), p.id,
                                  Response("2024-02-10", 2));
  ASSERT_TRUE(r.ok());
  const int64_t before = AuditRows(f.store());
  auto no_reason = f.registry().UpdateRecord(RegistryFixture::Central(), Kind("response"), r->id,
                                             r->version, Response("2024-02-10", 3), "");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().code, ErrorCode::kReasonRequired);
  EXPECT_EQ(AuditRows(f.store()), before);
  auto updated =
      f.registry().UpdateRecord(RegistryFixture::Central(), Kind("response"), r->id, r->version,
                                Response("2024-02-10", 3), "transcription error");
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(AuditRows(f.store()), before + 1);  // one field changed, one row
  auto tx = f.store().Begin(TransactionMode::kRead);
  auto last = (*tx)->LastAudit();
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->field, "marrow_blasts");
  EXPECT_EQ((*last)->old_value, "2");
  EXPECT_EQ((*last)->new_value, "3");
  EXPECT_EQ((*last)->reason, "transcription error");
  EXPECT_EQ((*last)->site, RegistryFixture::kSiteA);
  EXPECT_EQ((*last)->request_id, "req-central");
  auto stale = f.registry().UpdateRecord(RegistryFixture::Central(), Kind("response"), r->id, 1,
                                         Response("2024-02-10", 4), "again");
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  auto deleted = f.registry().DeleteRecord(RegistryFixture::Central(), Kind("response"), r->id, 2,
                                           "entered twice");
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(f.registry().GetRecord(RegistryFixture::Central(), Kind("response"), r->id).ok());
}

TEST(RegistryServiceTest, ImportIsAllOrNothingAndNamesEveryBadLine) {
  RegistryFixture f;
  f.AddAmlPatient("P-8", RegistryFixture::kSiteA);
  const KindSpec& v = Kind("variant");
  ImportBatch batch;
  batch.column_of_field = {2, 3, 4, 5, 6, 7};
  auto row = [&](int line, const char* gene, double vaf) {
    return ImportRow{line, "P-8",
                     MakeRecord(v, {{"gene", std::string(gene)},
                                    {"variant_type", std::string("missense")},
                                    {"vaf", vaf},
                                    {"method", std::string("ngs")},
                                    {"sample_date", *Date::Parse("2024-01-05")}})
                         .values};
  };
  batch.rows = {row(2, "IDH1", 40), row(3, "TP53", 140), row(4, "NPM1", 30)};
  const int64_t before = AuditRows(f.store());
  auto report = f.registry().Import(RegistryFixture::Central(), v, batch);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->imported, 0);
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_EQ(report->errors[0].where, "line 3, column 5 (vaf)");
  EXPECT_TRUE(f.registry().ListRecords(RegistryFixture::Central(), v, {})->empty());
  // A row whose patient is unknown fails the whole import too, after the others were written.
  batch.rows = {row(2, "IDH1", 40), row(3, "TP53", 40)};
  batch.rows[1].patient = "NOBODY";
  report = f.registry().Import(RegistryFixture::Central(), v, batch);
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_EQ(report->errors[0].where.rfind("line 3", 0), 0u);
  EXPECT_TRUE(f.registry().ListRecords(RegistryFixture::Central(), v, {})->empty());
  EXPECT_EQ(AuditRows(f.store()), before);
  batch.rows[1].patient = "P-8";
  report = f.registry().Import(RegistryFixture::Central(), v, batch);
  EXPECT_EQ(report->imported, 2);
  EXPECT_EQ(AuditRows(f.store()), before + 2);
}

TEST(RegistryServiceTest, TheHistoryGathersEveryKindInDateOrder) {
  RegistryFixture f;
  Record p = f.AddAmlPatient("P-9", RegistryFixture::kSiteA);
  ASSERT_TRUE(
      f.registry()
          .AddRecord(RegistryFixture::Central(), Kind("response"), p.id, Response("2024-03-10", 3))
          .ok());
  ASSERT_TRUE(
      f.registry()
          .AddRecord(RegistryFixture::Central(), Kind("response"), p.id, Response("2024-02-10", 2))
          .ok());
  auto h = f.registry().GetHistory(RegistryFixture::Central(), p.id);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->pseudonym, "P-9");
  ASSERT_EQ(h->diagnoses.size(), 1u);
  EXPECT_EQ(h->diagnoses[0].disease, "aml");
  ASSERT_EQ(h->responses.size(), 2u);
  EXPECT_EQ(h->responses[0].assessment_date.ToString(), "2024-02-10");
  EXPECT_EQ(h->responses[0].marrow_blasts, 2.0);
}

}  // namespace
}  // namespace stream::service
