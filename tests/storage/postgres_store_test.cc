// What only the PostgreSQL backend promises: the application role's privileges, the
// identity schema, schema versioning, SQLSTATE mapping and the password settings.
// Skipped, saying why, when STREAM_PG_URL names no server.
#include "storage/postgres/postgres_store.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "support/registry_fixture.h"
#include "support/store_backend.h"

namespace stream {
namespace {

using testing::RegistryFixture;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string reason = testing::PostgresUnavailableReason();
    if (!reason.empty()) GTEST_SKIP() << reason;
    f_ = std::make_unique<RegistryFixture>("postgres");
  }
  RegistryFixture& f() { return *f_; }
  soci::session& app() {
    if (!app_) app_ = f().backend().AppSession();
    return *app_;
  }

 private:
  std::unique_ptr<RegistryFixture> f_;
  std::unique_ptr<soci::session> app_;
};

// The message of what `statement` threw, or "" when it succeeded.
std::string ErrorOf(soci::session& sql, const std::string& statement) {
  try {
    sql << statement;
  } catch (const soci::soci_error& e) {
    return e.what();
  }
  return "";
}

// The connection string of the fixture's database as `user`.
std::string ConnectionAs(soci::session& any, const std::string& user) {
  std::string dbname;
  any << "SELECT current_database()", soci::into(dbname);
  return std::string(std::getenv("STREAM_PG_URL")) + " dbname=" + dbname + " user=" + user;
}

std::string AppRole() {
  const char* role = std::getenv("STREAM_PG_APP_ROLE");
  return role && *role ? role : "stream_app";
}

TEST_F(PostgresStoreTest, TheApplicationRoleMayOnlyReadAndAppendTheAuditTrail) {
  auto has = [&](const std::string& privilege) {
    int granted = 0;
    app() << "SELECT CASE WHEN has_table_privilege('public.audit_log', :p) THEN 1 ELSE 0 END",
        soci::into(granted), soci::use(privilege);
    return granted != 0;
  };
  EXPECT_TRUE(has("SELECT"));
  EXPECT_TRUE(has("INSERT"));
  EXPECT_FALSE(has("UPDATE"));
  EXPECT_FALSE(has("DELETE"));
  EXPECT_FALSE(has("TRUNCATE"));
  EXPECT_NE(ErrorOf(app(), "UPDATE audit_log SET actor = 'mallory'").find("permission denied"),
            std::string::npos);
  EXPECT_NE(ErrorOf(app(), "TRUNCATE audit_log").find("permission denied"), std::string::npos);
}

TEST_F(PostgresStoreTest, TheOwnerIsRefusedByTheTriggersEvenTruncating) {
  auto owner = f().backend().OwnerSession();
  EXPECT_NE(ErrorOf(*owner, "TRUNCATE audit_log").find("append-only"), std::string::npos);
  EXPECT_NE(ErrorOf(*owner, "DELETE FROM audit_log").find("append-only"), std::string::npos);
}

TEST_F(PostgresStoreTest, TheApplicationRoleCannotChangeTheSchema) {
  EXPECT_NE(ErrorOf(app(), "DROP TRIGGER audit_log_no_update ON audit_log"), "");
  EXPECT_NE(ErrorOf(app(), "CREATE TABLE public.x (id INTEGER)"), "");
  EXPECT_NE(ErrorOf(app(), "DELETE FROM schema_version"), "");
}

TEST_F(PostgresStoreTest, IntegrityCheckNamesAnAuditPrivilegeGrantedToTheApplication) {
  auto owner = f().backend().OwnerSession();
  *owner << "GRANT UPDATE ON audit_log TO " << AppRole();
  auto problems = f().store().CheckIntegrity();
  ASSERT_TRUE(problems.ok()) << problems.error().ToString();
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_NE(problems->front().find("UPDATE on audit_log"), std::string::npos);
}

TEST_F(PostgresStoreTest, IdentitiesLiveInTheSeparateIdentitySchema) {
  auto p = f().registry().AddPatient(
      RegistryFixture::Central(), RegistryFixture::PatientValues("ID-1", RegistryFixture::kSiteA),
      service::Identity{"Maria Rossi", "1970-03-14", "H123456"});
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  long long in_identity = 0, in_public = 0;
  app() << "SELECT COUNT(*) FROM identity.identities", soci::into(in_identity);
  app() << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND "
           "table_name = 'identities'",
      soci::into(in_public);
  EXPECT_EQ(in_identity, 1);
  EXPECT_EQ(in_public, 0);
  long long readable = 0;
  app() << "SELECT COUNT(*) FROM identity.identities WHERE position('Rossi' in "
           "encode(sealed, 'escape')) > 0",
      soci::into(readable);
  EXPECT_EQ(readable, 0) << "the name must not be readable in the identity store";
}

TEST_F(PostgresStoreTest, UsesTheSameTypesAsTheDataModel) {
  auto type_of = [&](const std::string& table, const std::string& column) {
    std::string type;
    app() << "SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' "
             "AND table_name = :t AND column_name = :c",
        soci::into(type), soci::use(table), soci::use(column);
    return type;
  };
  EXPECT_EQ(type_of("patients", "id"), "bigint");
  EXPECT_EQ(type_of("variants", "vaf"), "double precision");
  EXPECT_EQ(type_of("diagnoses", "diagnosis_date"), "text");  // ISO dates, as in SQLite
  EXPECT_EQ(type_of("audit_log", "seq"), "bigint");
}

// Issue #14.1: the migrated PostgreSQL tables have exactly the data model's columns, with
// its types and null-ness, hand-written (1–5) or generated (6 on) alike.
TEST_F(PostgresStoreTest, EveryTableHasTheColumnsTypesAndNullnessOfTheDataModel) {
  auto check = [&](const KindSpec& kind, bool patient) {
    SCOPED_TRACE(kind.table);
    std::vector<std::string> names;
    soci::rowset<soci::row> rows =
        (app().prepare << "SELECT column_name, data_type, is_nullable FROM "
                          "information_schema.columns WHERE table_schema = 'public' AND "
                          "table_name = :t ORDER BY ordinal_position",
         soci::use(std::string(kind.table)));
    for (const auto& r : rows) {
      const std::string name = r.get<std::string>(0);
      names.push_back(name);
      const FieldSpec* field = kind.FindField(name);
      if (!field) continue;
      const std::string type = r.get<std::string>(1);
      const bool integer = field->type == FieldType::kInteger || field->type == FieldType::kBoolean;
      EXPECT_EQ(type, integer                             ? "bigint"
                      : field->type == FieldType::kNumber ? "double precision"
                                                          : "text")
          << name;
      EXPECT_EQ(r.get<std::string>(2) == "NO", field->required && field->added_in <= kind.added_in)
          << name;
    }
    size_t expected = kind.fields.size() + (patient ? 3 : 4);  // id, patient_id, version, deleted
    EXPECT_EQ(names.size(), expected);
  };
  check(PatientKind(), true);
  for (const auto& kind : RecordKinds()) check(kind, false);
}

TEST_F(PostgresStoreTest, RefusesASchemaFromANewerProgramAndAnOlderOneWithoutMigrate) {
  auto owner = f().backend().OwnerSession();
  *owner << "INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'future', '')";
  auto newer = [&] {
    try {
      f().Reopen();
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  }();
  EXPECT_NE(newer.find("knows only up to"), std::string::npos) << newer;
  *owner << "DELETE FROM schema_version WHERE version >= 2";
  auto older = [&] {
    try {
      f().Reopen();
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  }();
  EXPECT_NE(older.find("--migrate"), std::string::npos) << older;
}

TEST_F(PostgresStoreTest, CreatingOverASchemaIsAlreadyExistsAndOpeningNoneIsNotFound) {
  storage::PostgresOptions o;
  o.connection = std::string(std::getenv("STREAM_PG_URL"));  // the cluster's empty database
  auto empty = storage::OpenPostgresStore(o);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kNotFound);
  auto owner = f().backend().OwnerSession();
  std::string user;
  *owner << "SELECT current_user", soci::into(user);
  o.connection = ConnectionAs(*owner, user);
  o.create = true;
  auto again = storage::OpenPostgresStore(o);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_F(PostgresStoreTest, ConcurrentSerialisableWritersWithoutTheQueueGetSerializationFailure) {
  // Two writers that both read the audit head and append after it, without the writer
  // queue: PostgreSQL's SSI must refuse one of them with SQLSTATE 40001.
  storage::PostgresOptions o;
  o.connection = ConnectionAs(app(), AppRole());
  o.serialise_writers = false;
  auto store = storage::OpenPostgresStore(o);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto a = (*store)->Begin(TransactionMode::kWrite);
  auto b = (*store)->Begin(TransactionMode::kWrite);
  ASSERT_TRUE(a.ok() && b.ok());
  auto append = [](Transaction& tx) -> Status {
    auto last = tx.LastAudit();
    if (!last.ok()) return last.error();
    AuditEntry e;
    e.at = *Timestamp::Parse("2026-11-21T10:00:00.000Z");
    e.actor = "x";
    e.entity = "site";
    e.action = "create";
    e.prev_hash = (*last)->hash;
    e.hash = std::string(64, '1');
    auto seq = tx.AppendAudit(e);
    return seq.ok() ? Status() : Status(seq.error());
  };
  ASSERT_TRUE(append(**a).ok());
  ASSERT_TRUE(append(**b).ok());
  Status first = (*a)->Commit();
  Status second = (*b)->Commit();
  EXPECT_TRUE(first.ok());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kSerializationFailure) << second.error().ToString();
  EXPECT_TRUE(Describe(second.error().code).retryable);
}

TEST_F(PostgresStoreTest, AWriterWaitingTooLongForTheQueueIsBusy) {
  storage::PostgresOptions o;
  o.connection = ConnectionAs(app(), AppRole());
  o.lock_timeout_ms = 200;
  auto store = storage::OpenPostgresStore(o);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto holder = (*store)->Begin(TransactionMode::kWrite);
  ASSERT_TRUE(holder.ok());
  auto waiter = (*store)->Begin(TransactionMode::kWrite);
  ASSERT_FALSE(waiter.ok());
  EXPECT_EQ(waiter.error().code, ErrorCode::kBusy) << waiter.error().ToString();
  // Readers do not queue behind writers.
  EXPECT_TRUE((*store)->Begin(TransactionMode::kRead).ok());
}

TEST_F(PostgresStoreTest, ThePasswordComesFromTheEnvironmentOrAFileAndIsNeverInAMessage) {
  storage::PostgresOptions o;
  o.connection = "host=127.0.0.1 port=1 dbname=nowhere user=nobody connect_timeout=2";
  o.password_env = "STREAM_TEST_PG_PASSWORD";
  unsetenv("STREAM_TEST_PG_PASSWORD");
  auto unset = storage::OpenPostgresStore(o);
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.error().where, "password_env");
  setenv("STREAM_TEST_PG_PASSWORD", "s3cret-pw", 1);
  auto refused = storage::OpenPostgresStore(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().ToString().find("s3cret-pw"), std::string::npos);
  unsetenv("STREAM_TEST_PG_PASSWORD");
  o.password_env.clear();
  o.password_file = f().dir().File("missing-password");
  EXPECT_EQ(storage::OpenPostgresStore(o).error().where, "password_file");
  { std::ofstream(f().dir().File("pw")) << "file-pw\n"; }
  o.password_file = f().dir().File("pw");
  auto from_file = storage::OpenPostgresStore(o);
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.error().ToString().find("file-pw"), std::string::npos);
}

}  // namespace
}  // namespace stream
