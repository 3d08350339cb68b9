// The store port's access tables on both engines (issue #5): user changes, API tokens by
// hash, protocol versions, arm status changes and filtered audit queries. Skipped on
// PostgreSQL, saying why, when STREAM_PG_URL names no server.
#include <gtest/gtest.h>

#include "service/audit_trail.h"
#include "support/registry_fixture.h"
#include "support/store_backend.h"

namespace stream {
namespace {

using testing::RegistryFixture;

class AccessConformanceTest : public ::testing::TestWithParam<std::string> {
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

TEST_P(AccessConformanceTest, UsersChangeAndTokensAreFoundByHashAndRevoked) {
  auto tx = Begin(TransactionMode::kWrite);
  User u{0, "ana", "investigator", RegistryFixture::kSiteA, "hash-1", false};
  u.id = *tx->InsertUser(u);
  u.role = "data_manager";
  u.site = "";
  u.disabled = true;
  ASSERT_TRUE(tx->UpdateUser(u).ok());
  EXPECT_EQ(tx->UpdateUser(User{999, "x", "monitor", "", "", false}).error().code,
            ErrorCode::kNotFound);
  ApiToken t{0, "abc123", "nightly", "ana", "monitor", "", Timestamp::FromMillis(1000), false};
  t.id = *tx->InsertApiToken(t);
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();
  tx = Begin(TransactionMode::kWrite);  // a failed statement ends a PostgreSQL transaction
  EXPECT_EQ(tx->InsertApiToken(t).error().code, ErrorCode::kAlreadyExists);
  tx.reset();
  tx = Begin(TransactionMode::kWrite);
  auto back = *tx->FindUser("ana");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->role, "data_manager");
  EXPECT_EQ(back->site, "");
  EXPECT_TRUE(back->disabled);
  auto token = *tx->FindApiToken("abc123");
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->label, "nightly");
  EXPECT_EQ(token->created_at, Timestamp::FromMillis(1000));
  EXPECT_FALSE(token->revoked);
  EXPECT_FALSE(tx->FindApiToken("abc124")->has_value());
  ASSERT_TRUE(tx->RevokeApiToken(t.id).ok());
  EXPECT_EQ(tx->RevokeApiToken(999).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE((*tx->FindApiToken("abc123"))->revoked);
  EXPECT_EQ(tx->ListApiTokens()->size(), 1u);
}

TEST_P(AccessConformanceTest, ProtocolVersionsAndArmStatusChangesKeepTheirOrder) {
  auto tx = Begin(TransactionMode::kWrite);
  const Timestamp at = Timestamp::FromMillis(5000);
  ASSERT_TRUE(tx->InsertProtocolVersion({0, "p", "1.0", "id: p\n", at, "dm"}).ok());
  ASSERT_TRUE(tx->InsertProtocolVersion({0, "p", "1.1", "id: p # v1.1\n", at, "dm"}).ok());
  ASSERT_TRUE(tx->InsertArmStatusChange({0, "p", "a", "suspended", "safety", at, "dm"}).ok());
  ASSERT_TRUE(tx->InsertArmStatusChange({0, "p", "a", "open", "resumed", at, "dm"}).ok());
  ASSERT_TRUE(tx->InsertArmStatusChange({0, "q", "b", "closed", "full", at, "dm"}).ok());
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();
  tx = Begin(TransactionMode::kWrite);  // a failed statement ends a PostgreSQL transaction
  EXPECT_EQ(tx->InsertProtocolVersion({0, "p", "1.1", "again", at, "dm"}).error().code,
            ErrorCode::kAlreadyExists);
  tx.reset();
  tx = Begin(TransactionMode::kWrite);
  EXPECT_FALSE(tx->InsertArmStatusChange({0, "q", "b", "paused", "x", at, "dm"}).ok());
  tx.reset();
  tx = Begin(TransactionMode::kRead);
  auto versions = *tx->ListProtocolVersions();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[1].version, "1.1");
  EXPECT_EQ(versions[1].source, "id: p # v1.1\n");
  auto changes = *tx->ListArmStatusChanges("p");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].status, "suspended");
  EXPECT_EQ(changes[1].reason, "resumed");
}

TEST_P(AccessConformanceTest, AuditQueriesFilterAndPageNewestFirst) {
  const Record a = f_->AddAmlPatient("A-1", RegistryFixture::kSiteA);
  const Record b = f_->AddAmlPatient("B-1", RegistryFixture::kSiteB);
  auto tx = Begin(TransactionMode::kRead);
  AuditFilter all;
  auto rows = *tx->ListAudit(all);
  ASSERT_EQ(rows.size(), 6u);  // two sites, two patients, two diagnoses
  EXPECT_GT(rows[0].seq, rows[1].seq);
  AuditFilter one;
  one.patient_id = b.id;
  auto of_b = *tx->ListAudit(one);
  ASSERT_EQ(of_b.size(), 2u);
  for (const auto& r : of_b) EXPECT_EQ(r.patient_id, b.id);
  AuditFilter site;
  site.site = RegistryFixture::kSiteA;
  const auto of_a = *tx->ListAudit(site);
  ASSERT_EQ(of_a.size(), 3u);  // the site itself, its patient and the diagnosis
  for (const auto& r : of_a) {
    EXPECT_EQ(r.site, RegistryFixture::kSiteA);
    EXPECT_NE(r.patient_id, b.id);
  }
  AuditFilter record;
  record.entity = "patient";
  record.entity_id = a.id;
  ASSERT_EQ(tx->ListAudit(record)->size(), 1u);
  AuditFilter page;
  page.limit = 1;
  page.before_seq = rows[1].seq;
  auto older = *tx->ListAudit(page);
  ASSERT_EQ(older.size(), 1u);
  EXPECT_EQ(older[0].seq, rows[2].seq);
  AuditFilter injected;
  injected.actor = "x' OR '1'='1";
  EXPECT_TRUE(tx->ListAudit(injected)->empty()) << "values are bound, never spliced";
}

INSTANTIATE_TEST_SUITE_P(Engines, AccessConformanceTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace stream
