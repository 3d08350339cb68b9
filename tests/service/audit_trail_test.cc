// The hash chain: intact after normal use, and every kind of tampering is named.
#include "service/audit_trail.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>

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
  // The chain names the altered row; since issue #15 the altered row also no longer
  // describes what the table holds, and the replay names that too.
  ASSERT_EQ(report->problems.size(), 2u);
  EXPECT_EQ(report->problems[0].seq, 6);
  EXPECT_NE(report->problems[0].what.find("altered"), std::string::npos);
  EXPECT_EQ(report->problems[1].seq, 6);
  EXPECT_NE(report->problems[1].what.find("field disease differs from its audit trail"),
            std::string::npos)
      << report->problems[1].what;
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
  // Since issue #15 the record whose create row (8) is gone is named too (seq 0: no row).
  EXPECT_EQ(rows, (std::vector<int64_t>{4, 5, 9, 0}))
      << "row 4 altered, row 5's link broken, row 8 gone";
  EXPECT_NE(report->problems.back().what.find("has no audit row"), std::string::npos)
      << report->problems.back().what;
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

// A chain of `n` rows built as AuditWriter would build it.
std::vector<AuditEntry> Chain(int n) {
  std::vector<AuditEntry> rows;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    AuditEntry e;
    e.seq = i;
    e.at = Timestamp::FromMillis(1700000000000 + i);
    e.actor = "dm";
    e.entity = "patient";
    e.entity_id = i;
    e.action = "create";
    e.new_value = "pseudonym=P-" + std::to_string(i);
    e.prev_hash = prev;
    e.hash = AuditHash(e, prev);
    prev = e.hash;
    rows.push_back(e);
  }
  return rows;
}

std::vector<AuditProblem> CheckUnordered(std::vector<AuditEntry> rows, int64_t last_seq,
                                         const std::string& last_hash) {
  std::reverse(rows.begin(), rows.end());  // any order: here the worst one
  std::swap(rows[1], rows[rows.size() / 2]);
  UnorderedAuditChainVerifier check;
  for (const auto& e : rows) check.Add(e);
  return check.Finish(last_seq, last_hash);
}

TEST(AuditTrailTest, AnUnorderedChainVerifiesInAnyOrderAndEveryTamperingIsFound) {
  const auto chain = Chain(50);
  const std::string head = chain.back().hash;
  EXPECT_TRUE(CheckUnordered(chain, 50, head).empty());
  EXPECT_TRUE(UnorderedAuditChainVerifier().Finish(0, kGenesisHash).empty());

  auto altered = chain;
  altered[9].actor = "mallory";
  auto problems = CheckUnordered(altered, 50, head);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].seq, 10);

  auto rehashed = chain;  // a forger re-hashes the row: its successor's link breaks
  rehashed[9].actor = "mallory";
  rehashed[9].hash = AuditHash(rehashed[9], rehashed[9].prev_hash);
  problems = CheckUnordered(rehashed, 50, head);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].what.find("one unbroken chain"), std::string::npos);

  auto missing = chain;
  missing.erase(missing.begin() + 20);
  EXPECT_FALSE(CheckUnordered(missing, 50, head).empty());
  auto swapped = chain;  // rows 20 and 21 trade places in the chain, seq kept
  std::swap(swapped[19].hash, swapped[20].hash);
  std::swap(swapped[19].prev_hash, swapped[20].prev_hash);
  EXPECT_FALSE(CheckUnordered(swapped, 50, head).empty());
  EXPECT_FALSE(CheckUnordered(chain, 50, chain[48].hash).empty()) << "the wrong end";
  EXPECT_FALSE(CheckUnordered(chain, 51, head).empty());
}

}  // namespace
}  // namespace stream::service
