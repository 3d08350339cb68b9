// Issue #15: the tamper suite. Each case alters the registry the way someone with the
// database file (but not the anchor key) could, and `stream audit verify` (with the
// anchor file) must find and name it. On SQLite, through raw SQL on the live file.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <functional>
#include <string>
#include <vector>

#include "service/audit_anchor.h"
#include "service/audit_trail.h"
#include "support/registry_fixture.h"

namespace stream::service {
namespace {

using testing::RegistryFixture;

struct Tampered {
  std::vector<AuditProblem> problems;
  std::vector<std::string> storage;
  std::string All() const {
    std::string out;
    for (const auto& p : problems) out += std::to_string(p.seq) + ": " + p.what + "\n";
    for (const auto& p : storage) out += "database: " + p + "\n";
    return out;
  }
  bool Names(const std::string& text) const { return All().find(text) != std::string::npos; }
};

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_.clock().Set(*Timestamp::Parse("2024-06-01T09:00:00.000Z"));
    auto patient = f_.registry().AddPatient(
        RegistryFixture::Central(), RegistryFixture::PatientValues("T-1", RegistryFixture::kSiteA),
        Identity{"Maria Rossi", "1970-03-14", "H-1"});
    ASSERT_TRUE(patient.ok()) << patient.error().ToString();
    patient_ = *patient;
    auto added = f_.registry().AddRecord(RegistryFixture::Central(), *FindKind("diagnosis"),
                                         patient_.id, RegistryFixture::AmlDiagnosisValues());
    ASSERT_TRUE(added.ok()) << added.error().ToString();
    diagnosis_ = *added;
    auto second = f_.registry().AddPatient(
        RegistryFixture::Central(), RegistryFixture::PatientValues("T-2", RegistryFixture::kSiteA));
    ASSERT_TRUE(second.ok());
    key_ = NewAnchorKey();
    auto c = TakeCheckpoint(f_.store(), key_, *Timestamp::Parse("2024-06-01T00:00:00.000Z"));
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    checkpoints_ = {*c};
    const auto clean = Verify();
    ASSERT_TRUE(clean.problems.empty() && clean.storage.empty()) << clean.All();
  }

  Tampered Verify() {
    Tampered out;
    auto report = VerifyAuditTrail(f_.store());
    EXPECT_TRUE(report.ok());
    if (!report.ok()) return out;
    out.problems = report->problems;
    out.storage = report->storage_problems;
    auto anchored = CheckAnchors(f_.store(), checkpoints_, *AnchorPublicKey(key_));
    EXPECT_TRUE(anchored.ok());
    if (anchored.ok()) out.problems.insert(out.problems.end(), anchored->begin(), anchored->end());
    return out;
  }

  void Sql(const std::string& statements) {
    auto sql = f_.backend().AppSession();
    *sql << "DROP TRIGGER IF EXISTS audit_log_no_update";
    *sql << "DROP TRIGGER IF EXISTS audit_log_no_delete";
    size_t at = 0;
    while (at < statements.size()) {
      const size_t end = statements.find(';', at);
      const std::string one = statements.substr(at, end - at);
      if (one.find_first_not_of(" \n") != std::string::npos) *sql << one;
      if (end == std::string::npos) break;
      at = end + 1;
    }
  }

  // Rewrites rows from `seq` on, each re-hashed and re-linked: a chain an attacker who
  // knows the hashing (it is published) recomputes after forging `seq`.
  void Rechain(int64_t seq, const std::function<void(AuditEntry&)>& forge) {
    std::vector<AuditEntry> rows;
    ASSERT_TRUE(f_.store()
                    .Begin(TransactionMode::kRead)
                    .value()
                    ->ScanAudit([&](const AuditEntry& e) {
                      rows.push_back(e);
                      return true;
                    })
                    .ok());
    auto sql = f_.backend().AppSession();
    *sql << "DROP TRIGGER IF EXISTS audit_log_no_update";
    std::string prev = kGenesisHash;
    for (auto& e : rows) {
      if (e.seq == seq) forge(e);
      if (e.seq >= seq) {
        e.prev_hash = prev;
        e.hash = AuditHash(e, prev);
        std::string value = e.new_value.value_or("");
        *sql << "UPDATE audit_log SET new_value = :v, prev_hash = :p, hash = :h WHERE seq = :s",
            soci::use(value), soci::use(e.prev_hash), soci::use(e.hash), soci::use(e.seq);
      }
      prev = e.hash;
    }
  }

  RegistryFixture f_;
  Record patient_;
  Record diagnosis_;
  std::string key_;
  std::vector<AuditCheckpoint> checkpoints_;
};

TEST_F(TamperTest, C01AnAuditRowEditedInPlace) {
  Sql("UPDATE audit_log SET new_value = 'disease=all' WHERE seq = 3");
  EXPECT_TRUE(Verify().Names("altered")) << Verify().All();
}

TEST_F(TamperTest, C02AnAuditRowDeletedFromTheMiddle) {
  Sql("DELETE FROM audit_log WHERE seq = 2");
  EXPECT_TRUE(Verify().Names("rows 2 to 2 are missing")) << Verify().All();
}

TEST_F(TamperTest, C03TheTailOfTheTrailTruncated) {
  Sql("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)");
  EXPECT_TRUE(Verify().Names("truncated")) << Verify().All();
}

TEST_F(TamperTest, C04ARowForgedAndTheChainRecomputed) {
  // The forged row no longer describes what the table holds, and the anchor's hash for
  // the checkpointed row no longer matches.
  Rechain(3, [](AuditEntry& e) { e.new_value = "disease=all"; });
  const auto found = Verify();
  EXPECT_TRUE(found.Names("was rewritten")) << found.All();
  EXPECT_TRUE(found.Names("differs from its audit trail (changed outside STREAM)")) << found.All();
}

TEST_F(TamperTest, C05AForgedRowAppendedAboutARecord) {
  // A correct-looking, chained row appended after the checkpoint claims the diagnosis was
  // deleted: the table does not agree.
  auto tx = f_.store().Begin(TransactionMode::kWrite);
  ASSERT_TRUE(tx.ok());
  AuditWriter writer(**tx);
  AuditEntry e;
  e.at = *Timestamp::Parse("2024-06-02T00:00:00.000Z");
  e.actor = "intruder";
  e.entity = "diagnosis";
  e.entity_id = diagnosis_.id;
  e.patient_id = patient_.id;
  e.action = "delete";
  ASSERT_TRUE(writer.Append(e).ok());
  ASSERT_TRUE((*tx)->Commit().ok());
  EXPECT_TRUE(Verify().Names("diagnosis 1 is not deleted but its audit trail says otherwise"))
      << Verify().All();
}

TEST_F(TamperTest, C06TheIdentitiesDeleted) {
  Sql("DELETE FROM identities");
  EXPECT_TRUE(Verify().Names("the identity of patient 1 recorded here is missing"))
      << Verify().All();
}

TEST_F(TamperTest, C07AnIdentitySlippedIn) {
  Sql("INSERT INTO identities (patient_id, sealed) VALUES (2, x'00')");
  EXPECT_TRUE(Verify().Names("the identity of patient 2 has no audit row")) << Verify().All();
}

TEST_F(TamperTest, C08AClinicalRowUpdatedDirectly) {
  Sql("UPDATE diagnoses SET disease = 'all' WHERE id = 1");
  EXPECT_TRUE(Verify().Names("diagnosis 1: field disease differs from its audit trail"))
      << Verify().All();
}

TEST_F(TamperTest, C09AClinicalRowDeletedDirectly) {
  Sql("DELETE FROM diagnoses WHERE id = 1");
  EXPECT_TRUE(Verify().Names("diagnosis 1 recorded here is missing")) << Verify().All();
}

TEST_F(TamperTest, C10AClinicalRowInsertedDirectly) {
  Sql("INSERT INTO diagnoses (patient_id, version, deleted, disease, diagnosis_date, origin, "
      "status_at_registration) VALUES (2, 1, 0, 'aml', '2024-02-01', 'de_novo', "
      "'first_relapse')");
  EXPECT_TRUE(Verify().Names("diagnosis 2 has no audit row")) << Verify().All();
}

TEST_F(TamperTest, C11ARowSoftDeletedDirectly) {
  Sql("UPDATE patients SET deleted = 1 WHERE id = 2");
  EXPECT_TRUE(Verify().Names("patient 2 is deleted but its audit trail says otherwise"))
      << Verify().All();
}

TEST_F(TamperTest, C12TheAuditProtectionRemoved) {
  Sql("SELECT 1");  // drops the triggers that refuse UPDATE and DELETE on the trail
  EXPECT_TRUE(Verify().Names("audit protection trigger audit_log_no_update is missing"))
      << Verify().All();
}

TEST_F(TamperTest, C13ThePatientsSiteMovedDirectly) {
  Sql("UPDATE patients SET site = 'DE-DD-01' WHERE id = 1");
  EXPECT_TRUE(Verify().Names("patient 1: field site differs")) << Verify().All();
}

TEST_F(TamperTest, C14TheAnchorFileAltered) {
  checkpoints_[0].seq -= 1;
  EXPECT_TRUE(Verify().Names("bad signature")) << Verify().All();
}

TEST_F(TamperTest, C15AnAnchorSignedWithAnotherKey) {
  auto other =
      TakeCheckpoint(f_.store(), NewAnchorKey(), *Timestamp::Parse("2024-06-03T00:00:00.000Z"));
  ASSERT_TRUE(other.ok());
  checkpoints_.push_back(*other);
  EXPECT_TRUE(Verify().Names("signed by another key")) << Verify().All();
}

}  // namespace
}  // namespace stream::service
