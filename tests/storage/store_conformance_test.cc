// The storage conformance suite: what every engine behind the store port must do,
// written once and run on SQLite and on PostgreSQL (support/store_backend.h). The
// PostgreSQL cases are skipped, saying why, when STREAM_PG_URL names no server.
// Engine-only checks live in sqlite_store_test.cc and postgres_store_test.cc.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "core/random_source.h"
#include "support/registry_fixture.h"
#include "support/store_backend.h"
#include "synthetic/demo_registry.h"

namespace stream {
namespace {

using testing::RegistryFixture;

class StoreConformanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      const std::string reason = testing::PostgresUnavailableReason();
      if (!reason.empty()) GTEST_SKIP() << reason;
    }
    f_ = std::make_unique<RegistryFixture>(GetParam());
  }

  RegistryFixture& f() { return *f_; }
  Store& store() { return f_->store(); }

  std::unique_ptr<Transaction> Write() {
    auto tx = store().Begin(TransactionMode::kWrite);
    EXPECT_TRUE(tx.ok()) << tx.error().ToString();
    return std::move(*tx);
  }
  std::unique_ptr<Transaction> Read() {
    auto tx = store().Begin(TransactionMode::kRead);
    EXPECT_TRUE(tx.ok()) << tx.error().ToString();
    return std::move(*tx);
  }

  // Inserts a patient with the fixture's values and returns its id.
  int64_t AddPatient(Transaction& tx, const std::string& pseudonym) {
    Record p{0, 0, 1, false, RegistryFixture::PatientValues(pseudonym, RegistryFixture::kSiteA)};
    auto id = tx.InsertRecord(PatientKind(), p);
    EXPECT_TRUE(id.ok()) << id.error().ToString();
    return id.ok() ? *id : 0;
  }

  static Enrolment MakeEnrolment(int64_t patient, const std::string& key, int64_t position) {
    Enrolment e;
    e.protocol_id = "test-trial";
    e.protocol_version = "1.0";
    e.patient_id = patient;
    e.arm = position % 2 ? "std" : "exp";
    e.method = "blocks";
    e.stratum = "age_group=<60";
    e.sequence_position = position;
    e.factor_levels = "age_group=<60";
    e.algorithm_version = "blocks-1";
    e.idempotency_key = key;
    e.enrolled_at = *Timestamp::Parse("2026-11-21T10:00:00.123Z");
    e.enrolled_by = "central.dm";
    return e;
  }

 private:
  std::unique_ptr<RegistryFixture> f_;
};

TEST_P(StoreConformanceTest, EveryKindRoundTripsThroughTheDatabase) {
  SeededRandom random(42);
  int kinds_seen = 0;
  std::set<std::string> kinds;
  for (int i = 0; i < 40; ++i) {
    auto p = synthetic::GeneratePatient(i, {Site{0, RegistryFixture::kSiteA, "A", "IT"}},
                                        *Date::Parse("2026-06-30"), random);
    auto tx = Write();
    auto patient_id = tx->InsertRecord(PatientKind(), p.patient);
    ASSERT_TRUE(patient_id.ok()) << patient_id.error().ToString();
    auto patient = tx->FindRecord(PatientKind(), *patient_id);
    ASSERT_TRUE(patient.ok() && patient->has_value());
    EXPECT_EQ((*patient)->values, p.patient.values);
    for (auto& kr : p.records) {
      kr.record.patient_id = *patient_id;
      auto id = tx->InsertRecord(*kr.kind, kr.record);
      ASSERT_TRUE(id.ok()) << kr.kind->name << ": " << id.error().ToString();
      auto back = tx->FindRecord(*kr.kind, *id);
      ASSERT_TRUE(back.ok() && back->has_value());
      EXPECT_EQ((*back)->values, kr.record.values) << kr.kind->name;
      EXPECT_EQ((*back)->patient_id, *patient_id);
      EXPECT_EQ((*back)->version, 1);
      EXPECT_FALSE((*back)->deleted);
      kinds.insert(std::string(kr.kind->name));
      ++kinds_seen;
    }
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_GT(kinds_seen, 400);
  EXPECT_GT(kinds.size(), 10u);
}

TEST_P(StoreConformanceTest, ListingsFilterBySitePatientAndDeletedAndPageOnId) {
  auto tx = Write();
  int64_t first = AddPatient(*tx, "LIST-1");
  AddPatient(*tx, "LIST-2");
  Record other{0, 0, 1, false, RegistryFixture::PatientValues("LIST-B", RegistryFixture::kSiteB)};
  ASSERT_TRUE(tx->InsertRecord(PatientKind(), other).ok());
  auto p = *tx->FindRecord(PatientKind(), first);
  p->deleted = true;
  ASSERT_TRUE(tx->UpdateRecord(PatientKind(), *p).ok());

  RecordFilter site_a;
  site_a.site = RegistryFixture::kSiteA;
  EXPECT_EQ(tx->ListRecords(PatientKind(), site_a)->size(), 1u);
  site_a.include_deleted = true;
  EXPECT_EQ(tx->ListRecords(PatientKind(), site_a)->size(), 2u);
  RecordFilter page;
  page.include_deleted = true;
  page.limit = 2;
  auto first_page = *tx->ListRecords(PatientKind(), page);
  ASSERT_EQ(first_page.size(), 2u);
  page.after_id = first_page.back().id;
  EXPECT_EQ(tx->ListRecords(PatientKind(), page)->size(), 1u);
  EXPECT_EQ(*tx->CountRecords(PatientKind()), 3);
  ASSERT_TRUE(tx->Commit().ok());
}

TEST_P(StoreConformanceTest, ADuplicatePseudonymIsAlreadyExists) {
  auto tx = Write();
  Record p{0, 0, 1, false, RegistryFixture::PatientValues("DUP-1", RegistryFixture::kSiteA)};
  ASSERT_TRUE(tx->InsertRecord(PatientKind(), p).ok());
  auto again = tx->InsertRecord(PatientKind(), p);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(StoreConformanceTest, ADuplicateSiteOrUsernameIsAlreadyExists) {
  auto tx = Write();
  auto site = tx->InsertSite(Site{0, RegistryFixture::kSiteA, "again", "IT"});
  ASSERT_FALSE(site.ok());
  EXPECT_EQ(site.error().code, ErrorCode::kAlreadyExists);
  tx.reset();  // one writer at a time: end the last transaction first
  tx = Write();
  User u{0, "ana", "investigator", RegistryFixture::kSiteA, "", false};
  ASSERT_TRUE(tx->InsertUser(u).ok());
  EXPECT_EQ(tx->InsertUser(u).error().code, ErrorCode::kAlreadyExists);
}

TEST_P(StoreConformanceTest, SitesAndUsersRoundTrip) {
  auto tx = Write();
  User u{0, "bob", "statistician", "", "$argon2id$v=19$x", true};
  u.id = *tx->InsertUser(u);
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();  // one writer at a time: end the last transaction first
  tx = Read();
  auto back = *tx->FindUser("bob");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id, u.id);
  EXPECT_EQ(back->role, "statistician");
  EXPECT_EQ(back->site, "");
  EXPECT_EQ(back->password_hash, u.password_hash);
  EXPECT_TRUE(back->disabled);
  EXPECT_EQ(tx->ListUsers()->size(), 1u);
  auto sites = *tx->ListSites();
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].code, RegistryFixture::kSiteB);  // ordered by code
  auto site = *tx->FindSite(RegistryFixture::kSiteA);
  ASSERT_TRUE(site.has_value());
  EXPECT_EQ(site->country, "IT");
  EXPECT_FALSE(tx->FindSite("XX-00")->has_value());
}

TEST_P(StoreConformanceTest, UpdatesCheckTheVersion) {
  auto tx = Write();
  Record p{0, 0, 1, false, RegistryFixture::PatientValues("VER-1", RegistryFixture::kSiteA)};
  p.id = *tx->InsertRecord(PatientKind(), p);
  ASSERT_TRUE(tx->UpdateRecord(PatientKind(), p).ok());
  EXPECT_EQ((*tx->FindRecord(PatientKind(), p.id))->version, 2);
  Status stale = tx->UpdateRecord(PatientKind(), p);  // still version 1
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  p.id = 9999;
  EXPECT_EQ(tx->UpdateRecord(PatientKind(), p).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, AnUncommittedTransactionLeavesNothing) {
  {
    auto tx = Write();
    AddPatient(*tx, "GONE-1");
    ASSERT_TRUE(tx->PutIdentity(1, "sealed").ok());
  }
  auto tx = Read();
  EXPECT_FALSE((*tx->FindPatientByPseudonym("GONE-1")).has_value());
  EXPECT_FALSE((*tx->FindIdentity(1)).has_value());
}

TEST_P(StoreConformanceTest, AFailedStatementRollsBackCleanlyAndTheStoreGoesOn) {
  {
    auto tx = Write();
    AddPatient(*tx, "ROLL-1");
    Record dup{0, 0, 1, false, RegistryFixture::PatientValues("ROLL-1", RegistryFixture::kSiteA)};
    ASSERT_FALSE(tx->InsertRecord(PatientKind(), dup).ok());
  }  // rolled back
  auto tx = Write();
  AddPatient(*tx, "ROLL-1");
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_TRUE((*Read()->FindPatientByPseudonym("ROLL-1")).has_value());
}

TEST_P(StoreConformanceTest, CommittedDataSurvivesReopening) {
  auto tx = Write();
  AddPatient(*tx, "KEEP-1");
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();
  auto reopened = f().Reopen();
  auto read = reopened->Begin(TransactionMode::kRead);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_TRUE((*(*read)->FindPatientByPseudonym("KEEP-1")).has_value());
}

TEST_P(StoreConformanceTest, AuditRowsAppendInOrderAndRoundTrip) {
  auto tx = Write();
  auto last = *tx->LastAudit();
  ASSERT_TRUE(last.has_value());  // adding the fixture's sites wrote audit rows
  AuditEntry e;
  e.at = *Timestamp::Parse("2026-11-21T10:00:01.250Z");
  e.actor = "central.dm";
  e.entity = "patient";
  e.entity_id = 7;
  e.patient_id = 7;
  e.action = "update";
  e.field = "sex";
  e.old_value = "female";
  e.new_value = std::nullopt;
  e.reason = "typo";
  e.request_id = "req-1";
  e.prev_hash = last->hash;
  e.hash = std::string(64, 'a');
  auto seq = tx->AppendAudit(e);
  ASSERT_TRUE(seq.ok()) << seq.error().ToString();
  EXPECT_GT(*seq, last->seq);
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();  // one writer at a time: end the last transaction first
  tx = Read();
  auto back = **tx->LastAudit();
  EXPECT_EQ(back.seq, *seq);
  EXPECT_EQ(back.at, e.at);
  EXPECT_EQ(back.old_value, e.old_value);
  EXPECT_FALSE(back.new_value.has_value());
  EXPECT_EQ(back.site, "");
  EXPECT_EQ(back.reason, "typo");
  EXPECT_EQ(back.prev_hash, last->hash);
  int64_t previous = 0;
  int rows = 0;
  ASSERT_TRUE(tx->ScanAudit([&](const AuditEntry& a) {
                  EXPECT_GT(a.seq, previous);
                  previous = a.seq;
                  ++rows;
                  return true;
                }).ok());
  EXPECT_GE(rows, 3);
}

TEST_P(StoreConformanceTest, TheDatabaseRefusesToChangeOrDeleteAuditRows) {
  // As the role the store runs as (PostgreSQL: no privilege; SQLite: the trigger) and
  // as the schema's owner (the triggers).
  std::vector<std::unique_ptr<soci::session>> sessions;
  sessions.push_back(f().backend().AppSession());
  sessions.push_back(f().backend().OwnerSession());
  for (auto& session : sessions) {
    auto& sql = *session;
    EXPECT_THROW(sql << "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1", soci::soci_error);
    EXPECT_THROW(sql << "DELETE FROM audit_log WHERE seq = 1", soci::soci_error);
    std::string actor;
    sql << "SELECT actor FROM audit_log WHERE seq = 1", soci::into(actor);
    EXPECT_EQ(actor, "central.dm");
  }
}

TEST_P(StoreConformanceTest, IntegrityCheckNamesAMissingProtectionTrigger) {
  auto clean = store().CheckIntegrity();
  ASSERT_TRUE(clean.ok()) << clean.error().ToString();
  EXPECT_TRUE(clean->empty()) << clean->front();
  *f().backend().OwnerSession() << f().backend().DropTriggerSql("audit_log_no_update");
  auto problems = store().CheckIntegrity();
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_NE(problems->front().find("audit_log_no_update"), std::string::npos);
}

TEST_P(StoreConformanceTest, EnrolmentsRoundTripAndAreFoundByKeyAndPatient) {
  auto tx = Write();
  const int64_t patient = AddPatient(*tx, "ENR-1");
  Enrolment e = MakeEnrolment(patient, "req-1", 1);
  e.id = *tx->InsertEnrolment(e);
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();  // one writer at a time: end the last transaction first
  tx = Read();
  auto by_key = *tx->FindEnrolmentByKey("req-1");
  ASSERT_TRUE(by_key.has_value());
  EXPECT_EQ(by_key->id, e.id);
  EXPECT_EQ(by_key->arm, e.arm);
  EXPECT_EQ(by_key->stratum, e.stratum);
  EXPECT_EQ(by_key->sequence_position, 1);
  EXPECT_EQ(by_key->factor_levels, e.factor_levels);
  EXPECT_EQ(by_key->enrolled_at, e.enrolled_at);
  EXPECT_FALSE(by_key->voided);
  auto by_patient = *tx->FindEnrolment("test-trial", patient);
  ASSERT_TRUE(by_patient.has_value());
  EXPECT_EQ(by_patient->idempotency_key, "req-1");
  EXPECT_FALSE(tx->FindEnrolment("other-trial", patient)->has_value());
  EXPECT_FALSE(tx->FindEnrolmentByKey("req-2")->has_value());
  EXPECT_EQ(tx->ListEnrolments("test-trial")->size(), 1u);
}

TEST_P(StoreConformanceTest, EnrolmentsAreTalliedAndPositionsCounted) {
  auto tx = Write();
  for (int i = 1; i <= 5; ++i) {
    const int64_t patient = AddPatient(*tx, "TAL-" + std::to_string(i));
    ASSERT_TRUE(tx->InsertEnrolment(MakeEnrolment(patient, "k" + std::to_string(i), i)).ok());
  }
  Enrolment rule = MakeEnrolment(AddPatient(*tx, "TAL-R"), "kr", 0);
  rule.method = "rule";
  rule.stratum = "";
  ASSERT_TRUE(tx->InsertEnrolment(rule).ok());
  EXPECT_EQ(*tx->LastSequencePosition("test-trial", "age_group=<60"), 5);
  EXPECT_EQ(*tx->LastSequencePosition("test-trial", "age_group=>=60"), 0);
  auto tally = *tx->TallyEnrolments("test-trial");
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const auto& t : tally) counts[{t.arm, t.method}] += t.count;
  EXPECT_EQ((counts[{"std", "blocks"}]), 3);
  EXPECT_EQ((counts[{"exp", "blocks"}]), 2);
  EXPECT_EQ((counts[{"exp", "rule"}]), 1);
  auto rule_back = *tx->FindEnrolmentByKey("kr");
  EXPECT_EQ(rule_back->sequence_position, 0);
}

TEST_P(StoreConformanceTest, APatientIsEnrolledOnceAndAPositionUsedOnce) {
  auto tx = Write();
  const int64_t a = AddPatient(*tx, "ONCE-1");
  const int64_t b = AddPatient(*tx, "ONCE-2");
  ASSERT_TRUE(tx->InsertEnrolment(MakeEnrolment(a, "k1", 1)).ok());
  ASSERT_TRUE(tx->Commit().ok());
  struct Case {
    const char* what;
    Enrolment e;
  };
  for (const auto& [what, e] : {Case{"same key", MakeEnrolment(b, "k1", 2)},
                                Case{"same patient", MakeEnrolment(a, "k2", 2)},
                                Case{"same position", MakeEnrolment(b, "k3", 1)}}) {
    tx.reset();  // one writer at a time: end the last transaction first
    tx = Write();
    auto id = tx->InsertEnrolment(e);
    ASSERT_FALSE(id.ok()) << what;
    EXPECT_EQ(id.error().code, ErrorCode::kAlreadyExists) << what;
  }
  tx.reset();  // one writer at a time: end the last transaction first
  tx = Write();
  EXPECT_TRUE(tx->InsertEnrolment(MakeEnrolment(b, "k5", 2)).ok());
}

TEST_P(StoreConformanceTest, RandomisationListsAreRecordedOncePerStratum) {
  auto tx = Write();
  RandomisationList l{"test-trial",         "age_group=<60",
                      "blocks-1",           120,
                      std::string(64, 'f'), *Timestamp::Parse("2026-11-21T09:00:00.000Z"),
                      "rand.admin"};
  ASSERT_TRUE(tx->InsertRandomisationList(l).ok());
  EXPECT_EQ(tx->InsertRandomisationList(l).error().code, ErrorCode::kAlreadyExists);
  tx.reset();  // one writer at a time: end the last transaction first
  tx = Write();
  ASSERT_TRUE(tx->InsertRandomisationList(l).ok());
  ASSERT_TRUE(tx->Commit().ok());
  auto back = *Read()->FindRandomisationList("test-trial", "age_group=<60");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->length, 120);
  EXPECT_EQ(back->list_hash, l.list_hash);
  EXPECT_EQ(back->activated_at, l.activated_at);
  EXPECT_FALSE(Read()->FindRandomisationList("test-trial", "x")->has_value());
}

TEST_P(StoreConformanceTest, TheIdentityStoreKeepsSealedBytesExactly) {
  std::string sealed;
  for (int i = 0; i < 256; ++i) sealed += static_cast<char>(i);
  auto tx = Write();
  ASSERT_TRUE(tx->PutIdentity(41, sealed).ok());
  ASSERT_TRUE(tx->PutIdentity(42, "first").ok());
  ASSERT_TRUE(tx->PutIdentity(42, "replaced").ok());
  ASSERT_TRUE(tx->Commit().ok());
  tx.reset();  // one writer at a time: end the last transaction first
  tx = Read();
  EXPECT_EQ(**tx->FindIdentity(41), sealed);
  EXPECT_EQ(**tx->FindIdentity(42), "replaced");
  EXPECT_FALSE(tx->FindIdentity(43)->has_value());
}

TEST_P(StoreConformanceTest, SealedIdentitiesOpenThroughTheService) {
  auto p = f().registry().AddPatient(
      RegistryFixture::Central(), RegistryFixture::PatientValues("ID-1", RegistryFixture::kSiteA),
      service::Identity{"Maria Rossi", "1970-03-14", "H123456"});
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  auto opened = f().registry().GetIdentity(RegistryFixture::Central(), p->id);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(opened->name, "Maria Rossi");
  EXPECT_EQ(opened->hospital_number, "H123456");
  auto stored = *Read()->FindIdentity(p->id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->find("Rossi"), std::string::npos) << "the name must be sealed";
}

TEST_P(StoreConformanceTest, ConcurrentWritersNeverLoseAnInsert) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        for (int attempt = 0;; ++attempt) {
          auto tx = store().Begin(TransactionMode::kWrite);
          Status s = tx.ok() ? Status() : Status(tx.error());
          if (s.ok()) {
            const std::string name = "CW-" + std::to_string(t) + "-" + std::to_string(i);
            Record p{0, 0, 1, false, RegistryFixture::PatientValues(name, RegistryFixture::kSiteA)};
            auto id = (*tx)->InsertRecord(PatientKind(), p);
            s = id.ok() ? (*tx)->Commit() : Status(id.error());
          }
          if (s.ok()) break;
          if (!Describe(s.error().code).retryable || attempt == 20) {
            ++failures;
            break;
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(*Read()->CountRecords(PatientKind()), kThreads * kEach);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreConformanceTest,
                         ::testing::ValuesIn(testing::BackendNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace stream
