// The SQLite backend on a real file: round trips of every record kind, constraints,
// optimistic concurrency, the audit table's protection and schema versioning.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/random_source.h"
#include "support/registry_fixture.h"
#include "synthetic/demo_registry.h"

namespace stream {
namespace {

using testing::RegistryFixture;

TEST(SqliteStoreTest, EveryKindRoundTripsThroughTheDatabase) {
  RegistryFixture f;
  SeededRandom random(42);
  const auto sites = synthetic::DemoSites(2);
  int kinds_seen = 0;
  for (int i = 0; i < 40; ++i) {
    auto p = synthetic::GeneratePatient(i, {Site{0, RegistryFixture::kSiteA, "A", "IT"}},
                                        *Date::Parse("2026-06-30"), random);
    auto tx = f.store().Begin(TransactionMode::kWrite);
    ASSERT_TRUE(tx.ok());
    auto patient_id = (*tx)->InsertRecord(PatientKind(), p.patient);
    ASSERT_TRUE(patient_id.ok()) << patient_id.error().ToString();
    for (auto& kr : p.records) {
      kr.record.patient_id = *patient_id;
      auto id = (*tx)->InsertRecord(*kr.kind, kr.record);
      ASSERT_TRUE(id.ok()) << kr.kind->name << ": " << id.error().ToString();
      auto back = (*tx)->FindRecord(*kr.kind, *id);
      ASSERT_TRUE(back.ok() && back->has_value());
      EXPECT_EQ((*back)->values, kr.record.values) << kr.kind->name;
      EXPECT_EQ((*back)->patient_id, *patient_id);
      ++kinds_seen;
    }
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  EXPECT_GT(kinds_seen, 400);
}

TEST(SqliteStoreTest, EveryTableHasExactlyTheColumnsOfTheDataModel) {
  RegistryFixture f;
  soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
  auto check = [&](const KindSpec& kind, bool patient) {
    std::vector<std::string> columns;
    soci::rowset<soci::row> rows = (sql.prepare << "PRAGMA table_info(" << kind.table << ")");
    for (const auto& r : rows) columns.push_back(r.get<std::string>(1));
    std::vector<std::string> expected = {"id"};
    if (!patient) expected.push_back("patient_id");
    for (const auto& field : kind.fields) expected.emplace_back(field.name);
    expected.push_back("version");
    expected.push_back("deleted");
    EXPECT_EQ(columns, expected) << kind.table;
  };
  check(PatientKind(), true);
  for (const auto& kind : RecordKinds()) check(kind, false);
}

TEST(SqliteStoreTest, ADuplicatePseudonymIsAlreadyExists) {
  RegistryFixture f;
  auto tx = f.store().Begin(TransactionMode::kWrite);
  Record p{0, 0, 1, false, RegistryFixture::PatientValues("DUP-1", RegistryFixture::kSiteA)};
  ASSERT_TRUE((*tx)->InsertRecord(PatientKind(), p).ok());
  auto again = (*tx)->InsertRecord(PatientKind(), p);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST(SqliteStoreTest, UpdatesCheckTheVersion) {
  RegistryFixture f;
  auto tx = f.store().Begin(TransactionMode::kWrite);
  Record p{0, 0, 1, false, RegistryFixture::PatientValues("VER-1", RegistryFixture::kSiteA)};
  p.id = *(*tx)->InsertRecord(PatientKind(), p);
  ASSERT_TRUE((*tx)->UpdateRecord(PatientKind(), p).ok());
  Status stale = (*tx)->UpdateRecord(PatientKind(), p);  // still version 1
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  p.id = 9999;
  EXPECT_EQ((*tx)->UpdateRecord(PatientKind(), p).error().code, ErrorCode::kNotFound);
}

TEST(SqliteStoreTest, AnUncommittedTransactionLeavesNothing) {
  RegistryFixture f;
  {
    auto tx = f.store().Begin(TransactionMode::kWrite);
    Record p{0, 0, 1, false, RegistryFixture::PatientValues("GONE-1", RegistryFixture::kSiteA)};
    ASSERT_TRUE((*tx)->InsertRecord(PatientKind(), p).ok());
  }
  auto tx = f.store().Begin(TransactionMode::kRead);
  EXPECT_FALSE((*(*tx)->FindPatientByPseudonym("GONE-1")).has_value());
}

TEST(SqliteStoreTest, TheDatabaseRefusesToChangeOrDeleteAuditRows) {
  RegistryFixture f;  // adding the sites wrote audit rows
  soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
  EXPECT_THROW(sql << "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1", soci::soci_error);
  EXPECT_THROW(sql << "DELETE FROM audit_log WHERE seq = 1", soci::soci_error);
  std::string actor;
  sql << "SELECT actor FROM audit_log WHERE seq = 1", soci::into(actor);
  EXPECT_EQ(actor, "central.dm");
}

TEST(SqliteStoreTest, IntegrityCheckNamesAMissingProtectionTrigger) {
  RegistryFixture f;
  EXPECT_TRUE(f.store().CheckIntegrity()->empty());
  soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
  sql << "DROP TRIGGER audit_log_no_update";
  auto problems = f.store().CheckIntegrity();
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_NE(problems->front().find("audit_log_no_update"), std::string::npos);
}

TEST(SqliteStoreTest, RefusesASchemaFromANewerProgramAndAnOlderOneWithoutMigrate) {
  RegistryFixture f;
  {
    soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
    sql << "PRAGMA user_version = 99";
  }
  storage::SqliteOptions o;
  o.database_path = f.dir().File("stream.db");
  o.identity_path = f.dir().File("identity.db");
  auto newer = storage::OpenSqliteStore(o);
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.error().code, ErrorCode::kSchemaTooNew);
  o.database_path = f.dir().File("missing.db");
  EXPECT_EQ(storage::OpenSqliteStore(o).error().code, ErrorCode::kNotFound);
}

TEST(SqliteStoreTest, RunsInWalModeWithFullSync) {
  RegistryFixture f;
  soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
  std::string mode;
  sql << "PRAGMA journal_mode", soci::into(mode);
  EXPECT_EQ(mode, "wal");
}

TEST(SqliteStoreTest, SealedIdentitiesLiveInTheSeparateIdentityFile) {
  RegistryFixture f;
  auto p = f.registry().AddPatient(RegistryFixture::Central(),
                                   RegistryFixture::PatientValues("ID-1", RegistryFixture::kSiteA),
                                   service::Identity{"Maria Rossi", "1970-03-14", "H123456"});
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  soci::session clinical(soci::sqlite3, "db=" + f.dir().File("stream.db"));
  long long tables = 0;
  clinical << "SELECT COUNT(*) FROM sqlite_master WHERE name = 'identities'", soci::into(tables);
  EXPECT_EQ(tables, 0);
  soci::session identity(soci::sqlite3, "db=" + f.dir().File("identity.db"));
  long long rows = 0;
  identity << "SELECT COUNT(*) FROM identities WHERE instr(CAST(sealed AS TEXT), 'Rossi') > 0",
      soci::into(rows);
  EXPECT_EQ(rows, 0) << "the name must not be readable in the identity store";
  auto opened = f.registry().GetIdentity(RegistryFixture::Central(), p->id);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(opened->name, "Maria Rossi");
  EXPECT_EQ(opened->hospital_number, "H123456");
}

}  // namespace
}  // namespace stream
