// Issue 13, point 7: the performance status scale must suit the patient's age at the
// assessment date — Lansky for children under 16, Karnofsky from 16 — on every path that
// stores a record (create, correction, import, the form's check). ECOG has no age limit.
#include <gtest/gtest.h>

#include "service/registry_service.h"
#include "support/registry_fixture.h"

namespace stream::service {
namespace {

using testing::RegistryFixture;

const KindSpec& Ps() { return *FindKind("performance_status"); }

std::vector<Value> Assessment(const char* date, const char* scale, int64_t score) {
  return MakeRecord(Ps(), {{"assessment_date", *Date::Parse(date)},
                           {"scale", std::string(scale)},
                           {"score", score}})
      .values;
}

// A patient born in June 2008: 15 until May 2024, 16 from July 2024; June 2024 is the
// month of the 16th birthday, whose day the registry does not know.
Record AddTeenager(RegistryFixture& f) {
  auto values = RegistryFixture::PatientValues("TEEN-1", RegistryFixture::kSiteA);
  values[PatientKind().IndexOf("birth_year")] = int64_t{2008};
  values[PatientKind().IndexOf("birth_month")] = int64_t{6};
  values[PatientKind().IndexOf("registered_on")] = *Date::Parse("2023-01-10");
  auto p = f.registry().AddPatient(RegistryFixture::Central(), values);
  EXPECT_TRUE(p.ok()) << p.error().ToString();
  return *p;
}

Record AddAdult(RegistryFixture& f) {
  auto p =
      f.registry().AddPatient(RegistryFixture::Central(),
                              RegistryFixture::PatientValues("ADULT-1", RegistryFixture::kSiteA));
  EXPECT_TRUE(p.ok()) << p.error().ToString();
  return *p;
}

Result<Record> Add(RegistryFixture& f, const Record& patient, const char* date, const char* scale,
                   int64_t score) {
  return f.registry().AddRecord(RegistryFixture::Central(), Ps(), patient.id,
                                Assessment(date, scale, score));
}

void ExpectScaleRefused(const Result<Record>& r, const char* words) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().where, "scale");
  EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
}

TEST(PerformanceStatusAgeTest, LanskyForAChildKarnofskyRefused) {
  RegistryFixture f;
  Record child = AddTeenager(f);
  EXPECT_TRUE(Add(f, child, "2024-05-31", "lansky", 70).ok());
  EXPECT_TRUE(Add(f, child, "2024-05-31", "ecog", 1).ok());
  ExpectScaleRefused(Add(f, child, "2024-05-31", "karnofsky", 70), "Lansky");
}

TEST(PerformanceStatusAgeTest, KarnofskyFromSixteenLanskyRefused) {
  RegistryFixture f;
  Record teen = AddTeenager(f);
  EXPECT_TRUE(Add(f, teen, "2024-07-01", "karnofsky", 80).ok());
  ExpectScaleRefused(Add(f, teen, "2024-07-01", "lansky", 80), "under 16");
  Record adult = AddAdult(f);
  EXPECT_TRUE(Add(f, adult, "2024-02-01", "karnofsky", 90).ok());
  EXPECT_TRUE(Add(f, adult, "2024-02-01", "ecog", 0).ok());
  ExpectScaleRefused(Add(f, adult, "2024-02-01", "lansky", 90), "under 16");
}

TEST(PerformanceStatusAgeTest, EitherScaleInTheMonthOfTheSixteenthBirthday) {
  RegistryFixture f;
  Record teen = AddTeenager(f);
  EXPECT_TRUE(Add(f, teen, "2024-06-01", "lansky", 60).ok());
  EXPECT_TRUE(Add(f, teen, "2024-06-30", "karnofsky", 60).ok());
}

TEST(PerformanceStatusAgeTest, ScoreOffTheScaleNamesTheScore) {
  RegistryFixture f;
  Record adult = AddAdult(f);
  auto r = Add(f, adult, "2024-02-01", "ecog", 7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "score");
  auto k = Add(f, adult, "2024-02-01", "karnofsky", 85);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().where, "score");
}

TEST(PerformanceStatusAgeTest, ACorrectionIsCheckedToo) {
  RegistryFixture f;
  Record adult = AddAdult(f);
  auto stored = Add(f, adult, "2024-02-01", "karnofsky", 90);
  ASSERT_TRUE(stored.ok()) << stored.error().ToString();
  auto r = f.registry().UpdateRecord(RegistryFixture::Central(), Ps(), stored->id, stored->version,
                                     Assessment("2024-02-01", "lansky", 90), "wrong scale");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "scale");
  auto kept = f.registry().GetRecord(RegistryFixture::Central(), Ps(), stored->id);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->Text(Ps(), "scale").value_or(""), "karnofsky");
}

TEST(PerformanceStatusAgeTest, TheFormCheckReportsTheScale) {
  RegistryFixture f;
  Record adult = AddAdult(f);
  const auto values = Assessment("2024-02-01", "lansky", 95);
  std::vector<Result<Value>> fields(values.begin(), values.end());
  auto errors = f.registry().CheckRecord(RegistryFixture::Central(), Ps(), fields, adult.id);
  ASSERT_TRUE(errors.ok()) << errors.error().ToString();
  ASSERT_EQ(errors->size(), 2u);
  EXPECT_EQ((*errors)[0].where, "score");  // 95 is not a step of 10
  EXPECT_EQ((*errors)[1].where, "scale");  // and an adult is not assessed with Lansky
}

TEST(PerformanceStatusAgeTest, AnImportWithALanskyForAnAdultWritesNothing) {
  RegistryFixture f;
  AddAdult(f);
  ImportBatch batch;
  batch.rows.push_back({2, "ADULT-1", Assessment("2024-02-01", "karnofsky", 90)});
  batch.rows.push_back({3, "ADULT-1", Assessment("2024-03-01", "lansky", 90)});
  auto report = f.registry().Import(RegistryFixture::Central(), Ps(), batch);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->imported, 0);
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_NE(report->errors[0].where.find("line 3"), std::string::npos) << report->errors[0].where;
  EXPECT_NE(report->errors[0].where.find("scale"), std::string::npos) << report->errors[0].where;
  auto stored = f.registry().ListRecords(RegistryFixture::Central(), Ps(), {});
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->empty());
}

}  // namespace
}  // namespace stream::service
