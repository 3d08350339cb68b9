// The hash chain: intact after normal use, and every kind of tampering is named.
#include "service/audit_trail.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "support/registry_fixture.h"

namespace stream::service {
namespace {

using testing::RegistryFixture;

TEST(AuditTrailTest, IsIntactAfterNormalUse) {
  RegistryFixture f;
  for (int i = 0; i < 5; ++i) f.AddAmlPatient("A-" + std::to_string(i), RegistryFixture::kSiteA);
  auto report = VerifyAuditTrail(f.store());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->rows_checked, 2 + 5 * 2);
}

TEST(AuditTrailTest, NamesTheRowWhoseContentWasAltered) {
  RegistryFixture f;
  for (int i = 0; i < 5; ++i) f.AddAmlPatient("A-" + std::to_string(i), RegistryFixture::kSiteA);
  {
    soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
    sql << "DROP TRIGGER audit_log_no_update";
    sql << "UPDATE audit_log SET new_value = replace(new_value, 'aml', 'all') WHERE seq = 6";
    sql << "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
           "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END";
  }
  auto report = VerifyAuditTrail(f.store());
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0].seq, 6);
  EXPECT_NE(report->problems[0].what.find("altered"), std::string::npos);
}

TEST(AuditTrailTest, NamesARehashedRowThroughTheBrokenLinkAndADeletedRowThroughTheGap) {
  RegistryFixture f;
  for (int i = 0; i < 4; ++i) f.AddAmlPatient("A-" + std::to_string(i), RegistryFixture::kSiteA);
  {
    soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
    sql << "DROP TRIGGER audit_log_no_update";
    sql << "DROP TRIGGER audit_log_no_delete";
    // A forger who recomputes the altered row's own hash still breaks the next link.
    sql << "UPDATE audit_log SET actor = 'mallory', hash = 'f00d' WHERE seq = 4";
    sql << "DELETE FROM audit_log WHERE seq = 8";
  }
  auto report = VerifyAuditTrail(f.store());
  ASSERT_TRUE(report.ok());
  std::vector<int64_t> rows;
  for (const auto& p : report->problems) rows.push_back(p.seq);
  EXPECT_EQ(rows, (std::vector<int64_t>{4, 5, 9}))
      << "row 4 altered, row 5's link broken, row 8 gone";
  EXPECT_EQ(report->storage_problems.size(), 2u) << "both protection triggers are missing";
}

TEST(AuditTrailTest, TheHashCoversEveryColumn) {
  AuditEntry e;
  e.at = *Timestamp::Parse("2026-01-01T00:00:00.000Z");
  e.actor = "a";
  e.entity = "patient";
  const std::string base = AuditHash(e, kGenesisHash);
  auto differs = [&](auto mutate) {
    AuditEntry copy = e;
    mutate(copy);
    return AuditHash(copy, kGenesisHash) != base;
  };
  EXPECT_TRUE(differs([](AuditEntry& x) { x.site = "S"; }));
  EXPECT_TRUE(differs([](AuditEntry& x) { x.entity_id = 7; }));
  EXPECT_TRUE(differs([](AuditEntry& x) { x.patient_id = 7; }));
  EXPECT_TRUE(differs([](AuditEntry& x) { x.field = "f"; }));
  EXPECT_TRUE(differs([](AuditEntry& x) { x.old_value = ""; }));  // null vs empty differ
  EXPECT_TRUE(differs([](AuditEntry& x) { x.new_value = "v"; }));
  EXPECT_TRUE(differs([](AuditEntry& x) { x.reason = "r"; }));
  EXPECT_TRUE(differs([](AuditEntry& x) { x.request_id = "q"; }));
  EXPECT_TRUE(differs([](AuditEntry& x) { x.at = Timestamp::FromMillis(1); }));
  EXPECT_NE(AuditHash(e, std::string(64, '1')), base);
}

}  // namespace
}  // namespace stream::service
