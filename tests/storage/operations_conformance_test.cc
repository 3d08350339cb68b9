// The store port's migration-004 tables on both engines (issue #23, #13.5): enrolment
// endings (once per enrolment, read back with the enrolment), site activations in order,
// attestations per patient. Skipped on PostgreSQL, saying why, when STREAM_PG_URL names
// no server.
#include <gtest/gtest.h>

#include "support/registry_fixture.h"
#include "support/store_backend.h"

namespace stream {
namespace {

using testing::RegistryFixture;

class OperationsConformanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      const std::string reason = testing::PostgresUnavailableReason();
      if (!reason.empty()) GTEST_SKIP() << reason;
    }
    f_ = std::make_unique<RegistryFixture>(GetParam());
  }
  std::unique_ptr<Transaction> Begin(TransactionMode mode) {
    auto tx = f_->store().Begin(mode);
    EXPECT_TRUE(tx.ok()) << tx.error().ToString();
    return std::move(*tx);
  }
  std::unique_ptr<RegistryFixture> f_;
};

TEST_P(OperationsConformanceTest, AnEnrolmentEndsOnceAndIsReadBackWithItsEnding) {
  const Record patient = f_->AddAmlPatient("E-1", RegistryFixture::kSiteA);
  auto tx = Begin(TransactionMode::kWrite);
  Enrolment e;
  e.protocol_id = "p";
  e.protocol_version = "1.0";
  e.patient_id = patient.id;
  e.arm = "a";
  e.method = "rule";
  e.algorithm_version = "assignment 'all'";
  e.idempotency_key = "k";
  e.enrolled_at = *Timestamp::Parse("2024-01-10T10:00:00.000Z");
  e.enrolled_by = "ana";
  e.id = *tx->InsertEnrolment(e);
  EXPECT_FALSE((*tx->FindEnrolment("p", patient.id))->off_study_date.has_value());
  const EnrolmentEnding ending{e.id,
                               *Date::Parse("2024-03-01"),
                               "progression",
                               "after cycle 2",
                               *Timestamp::Parse("2024-03-02T10:00:00.000Z"),
                               "ana"};
  ASSERT_TRUE(tx->InsertEnrolmentEnding(ending).ok());
  ASSERT_TRUE(tx->Commit().ok());
  {
    auto again = Begin(TransactionMode::kWrite);  // an enrolment ends once
    EXPECT_EQ(again->InsertEnrolmentEnding(ending).error().code, ErrorCode::kAlreadyExists);
  }
  auto read = Begin(TransactionMode::kRead);
  auto all = *read->ListPatientEnrolments(patient.id);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].off_study_date, *Date::Parse("2024-03-01"));
  EXPECT_EQ(all[0].off_study_reason, "progression");
  EXPECT_EQ((*read->ListEnrolments("p"))[0].off_study_reason, "progression");
  EXPECT_TRUE((*read->ListPatientEnrolments(patient.id + 1000)).empty());
}

TEST_P(OperationsConformanceTest, SiteActivationsKeepTheirOrderAndNeedAKnownSite) {
  auto tx = Begin(TransactionMode::kWrite);
  SiteActivation a{0,
                   "p",
                   RegistryFixture::kSiteA,
                   "active",
                   *Date::Parse("2024-01-01"),
                   "1.0",
                   "EC-1",
                   "",
                   *Timestamp::Parse("2024-01-01T10:00:00.000Z"),
                   "dm"};
  ASSERT_TRUE(tx->InsertSiteActivation(a).ok());
  a.status = "suspended";
  a.effective_on = *Date::Parse("2024-02-01");
  a.protocol_version = "";
  a.reason = "audit";
  ASSERT_TRUE(tx->InsertSiteActivation(a).ok());
  a.protocol_id = "q";
  ASSERT_TRUE(tx->InsertSiteActivation(a).ok());
  ASSERT_TRUE(tx->Commit().ok());
  auto read = Begin(TransactionMode::kRead);
  auto rows = *read->ListSiteActivations("p");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].status, "active");
  EXPECT_EQ(rows[0].approval_reference, "EC-1");
  EXPECT_EQ(rows[1].effective_on, *Date::Parse("2024-02-01"));
  EXPECT_EQ(rows[1].reason, "audit");
  EXPECT_EQ((*read->ListSiteActivations("")).size(), 3u) << "every protocol";
  auto bad = Begin(TransactionMode::kWrite);
  a.site = "XX-00-00";
  EXPECT_FALSE(bad->InsertSiteActivation(a).ok()) << "the site must exist";
}

TEST_P(OperationsConformanceTest, AttestationsArePerPatientInOrder) {
  const Record patient = f_->AddAmlPatient("A-1", RegistryFixture::kSiteA);
  auto tx = Begin(TransactionMode::kWrite);
  Attestation a;
  a.patient_id = patient.id;
  a.protocol_id = "p";
  a.protocol_version = "1.0";
  a.criterion = "fit";
  a.name = "fit_for_intensive_chemotherapy";
  a.value = true;
  a.attested_on = *Date::Parse("2024-01-10");
  a.attested_at = *Timestamp::Parse("2024-01-10T10:00:00.000Z");
  a.attested_by = "ana";
  a.site = RegistryFixture::kSiteA;
  ASSERT_TRUE(tx->InsertAttestation(a).ok());
  a.value = false;
  a.criterion = "";
  ASSERT_TRUE(tx->InsertAttestation(a).ok());
  ASSERT_TRUE(tx->Commit().ok());
  auto read = Begin(TransactionMode::kRead);
  auto rows = *read->ListAttestations(patient.id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].value);
  EXPECT_EQ(rows[0].criterion, "fit");
  EXPECT_EQ(rows[0].attested_on, *Date::Parse("2024-01-10"));
  EXPECT_EQ(rows[0].attested_by, "ana");
  EXPECT_FALSE(rows[1].value);
  EXPECT_LT(rows[0].id, rows[1].id);
}

INSTANTIATE_TEST_SUITE_P(Engines, OperationsConformanceTest,
                         ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace stream
