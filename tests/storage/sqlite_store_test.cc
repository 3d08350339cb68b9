// What only the SQLite backend promises: the files, WAL mode, the exact columns, and
// schema versioning through PRAGMA user_version. What every engine promises is in
// store_conformance_test.cc.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>

#include "storage/sql/registry_tables.h"
#include "storage/sql/schema_ddl.h"
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

// Issue #14.1: every column has the type and null-ness its field says, whether the table
// was written by hand (migrations 1–5) or generated from the data model (6 on).
TEST(SqliteStoreTest, EveryColumnHasTheTypeAndNullnessOfItsField) {
  RegistryFixture f;
  soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
  auto check = [&](const KindSpec& kind) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT name, type, CASE WHEN \"notnull\" THEN 'yes' ELSE 'no' END FROM "
                        "pragma_table_info('"
                     << kind.table << "')");
    int checked = 0;
    for (const auto& r : rows) {
      const FieldSpec* field = kind.FindField(r.get<std::string>(0));
      if (!field) continue;  // id, patient_id, version, deleted
      SCOPED_TRACE(std::string(kind.table) + "." + std::string(field->name));
      const std::string type = r.get<std::string>(1);
      switch (field->type) {
        case FieldType::kInteger:
        case FieldType::kBoolean:
          EXPECT_EQ(type, "INTEGER");
          break;
        case FieldType::kNumber:
          EXPECT_EQ(type, "REAL");
          break;
        default:
          EXPECT_EQ(type, "TEXT");
      }
      // A field added to an existing table stays nullable in SQL (old rows have no value);
      // validation requires it for new records.
      const bool not_null = r.get<std::string>(2) == "yes";
      EXPECT_EQ(not_null, field->required && field->added_in <= kind.added_in);
      ++checked;
    }
    EXPECT_EQ(checked, static_cast<int>(kind.fields.size())) << kind.table;
  };
  check(PatientKind());
  for (const auto& kind : RecordKinds()) check(kind);
}

TEST(SqliteStoreTest, TheDataModelsNewKindsAreGeneratedMigrations) {
  EXPECT_GT(storage::LatestDataModelMigration(), storage::kLastHandWrittenMigration);
  const auto migrations = storage::SqliteMigrations();
  EXPECT_EQ(static_cast<int>(migrations.size()), storage::LatestDataModelMigration());
  const std::string generated = storage::DataModelMigrationSql(storage::SqlDialect::kSqlite, 6);
  EXPECT_NE(generated.find("CREATE TABLE specimens ("), std::string::npos) << generated;
  EXPECT_NE(generated.find("CREATE TABLE questionnaires ("), std::string::npos) << generated;
  EXPECT_NE(generated.find("patient_id INTEGER NOT NULL REFERENCES patients(id)"),
            std::string::npos);
  EXPECT_NE(generated.find("hours_to_processing REAL CHECK (hours_to_processing BETWEEN 0 AND "
                           "720)"),
            std::string::npos)
      << generated;
}

TEST(SqliteStoreTest, RefusesASchemaFromANewerProgramAndAnOlderOneWithoutMigrate) {
  RegistryFixture f;
  {
    soci::session sql(soci::sqlite3, "db=" + f.dir().File("stream.db"));
    sql << "PRAGMA user_version = 99";
  }
  storage::SqliteOptions o;
  o.database_path = f.dir().File("stream.db");
  o.legacy_identity_path = f.dir().File("identity.db");
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

TEST(SqliteStoreTest, SealedIdentitiesCommitWithThePatientInTheRegistryFile) {
  // Issue #15: a patient and their identity are one transaction of one file, so that no
  // crash can leave one without the other; the identity is sealed with a key kept outside.
  RegistryFixture f;
  auto p = f.registry().AddPatient(RegistryFixture::Central(),
                                   RegistryFixture::PatientValues("ID-1", RegistryFixture::kSiteA),
                                   service::Identity{"Maria Rossi", "1970-03-14", "H123456"});
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(f.dir().File("identity.db")));
  soci::session clinical(soci::sqlite3, "db=" + f.dir().File("stream.db"));
  long long rows = 0;
  clinical << "SELECT COUNT(*) FROM identities WHERE patient_id = :id", soci::use(p->id),
      soci::into(rows);
  EXPECT_EQ(rows, 1);
  clinical << "SELECT COUNT(*) FROM identities WHERE instr(CAST(sealed AS TEXT), 'Rossi') > 0",
      soci::into(rows);
  EXPECT_EQ(rows, 0) << "the name must not be readable in the database";
  auto opened = f.registry().GetIdentity(RegistryFixture::Central(), p->id);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(opened->name, "Maria Rossi");
  EXPECT_EQ(opened->hospital_number, "H123456");
}

TEST(SqliteStoreTest, AnOlderRegistrysIdentityFileIsImportedOnceAtOpen) {
  RegistryFixture f;
  auto p = f.registry().AddPatient(RegistryFixture::Central(),
                                   RegistryFixture::PatientValues("ID-2", RegistryFixture::kSiteA));
  ASSERT_TRUE(p.ok());
  const std::string legacy = f.dir().File("identity.db");
  {
    // The identity file as registries before issue #15 kept it, holding this patient's.
    soci::session old(soci::sqlite3, "db=" + legacy);
    old << "CREATE TABLE identities (patient_id INTEGER PRIMARY KEY, sealed BLOB NOT NULL)";
    old << "INSERT INTO identities VALUES (:id, x'0102')", soci::use(p->id);
  }
  storage::SqliteOptions o;
  o.database_path = f.dir().File("stream.db");
  o.legacy_identity_path = legacy;
  auto store = storage::OpenSqliteStore(o);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(legacy));
  EXPECT_TRUE(std::filesystem::exists(legacy + ".imported"));
  auto tx = (*store)->Begin(TransactionMode::kRead);
  ASSERT_TRUE(tx.ok());
  auto sealed = (*tx)->FindIdentity(p->id);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->value_or(""), std::string("\x01\x02"));
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
