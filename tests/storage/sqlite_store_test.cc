// What only the SQLite backend promises: the files, WAL mode, the exact columns, and
// schema versioning through PRAGMA user_version. What every engine promises is in
// store_conformance_test.cc.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/sql/registry_tables.h"
#include "storage/sqlite/migrations.h"
#include "support/registry_fixture.h"

namespace stream {
namespace {

using testing::RegistryFixture;

TEST(SqliteStoreTest, EveryTableHasExactlyTheColumnsOfTheDataModel) {
  RegistryFixture f;
  soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
  auto check = [&](const KindSpec& kind, bool patient) {
    std::vector<std::string> columns;
    soci::rowset<soci::row> rows = (sql.prepare << "PRAGMA table_info(" << kind.table << ")");
    for (const auto& r : rows) columns.push_back(r.get<std::string>(1));
    std::vector<std::string> expected = {"id"};
    if (!patient) expected.push_back("patient_id");
    for (const auto& field : kind.fields)
      if (field.added_in == 1) expected.emplace_back(field.name);
    expected.push_back("version");
    expected.push_back("deleted");
    // Columns a later migration added follow, in the order of their migrations.
    for (int migration = 2; migration <= 99; ++migration)
      for (const auto& field : kind.fields)
        if (field.added_in == migration) expected.emplace_back(field.name);
    EXPECT_EQ(columns, expected) << kind.table;
  };
  check(PatientKind(), true);
  for (const auto& kind : RecordKinds()) check(kind, false);
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

TEST(SqliteStoreTest, TheSharedTablesRenderAsTheReleasedSqliteSchema) {
  // Migration 001 of a released SQLite database, as it was written before the tables
  // were shared with PostgreSQL: the shared text must render to the same statements.
  const std::string script = storage::SqliteMigrations()[0].sql;
  EXPECT_NE(script.find("CREATE TABLE patients (\n  id INTEGER PRIMARY KEY,"), std::string::npos);
  EXPECT_NE(script.find("vaf REAL CHECK (vaf BETWEEN 0 AND 100)"), std::string::npos);
  EXPECT_NE(script.find("seq INTEGER PRIMARY KEY"), std::string::npos);
  EXPECT_EQ(script.find('{'), std::string::npos) << "an unfilled placeholder";
  EXPECT_NE(script.find("CREATE TRIGGER audit_log_no_update"), std::string::npos);
  const std::string pg = storage::RegistryTablesSql(storage::SqlDialect::kPostgres);
  EXPECT_NE(pg.find("id BIGSERIAL PRIMARY KEY"), std::string::npos);
  EXPECT_EQ(pg.find("INTEGER"), std::string::npos);
}

}  // namespace
}  // namespace stream
