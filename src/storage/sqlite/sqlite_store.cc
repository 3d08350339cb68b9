#include "storage/sqlite/sqlite_store.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <filesystem>

#include "storage/sql/soci_store.h"
#include "storage/sqlite/migrations.h"

namespace stream::storage {
namespace {

Error FromSoci(const std::exception& e, std::string_view doing) {
  std::string message = std::string(doing) + ": " + e.what();
  if (const auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    switch (s->result() & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return Fail(ErrorCode::kBusy, message);
      case SQLITE_FULL:
        return Fail(ErrorCode::kStorageFull, message);
      case SQLITE_CONSTRAINT:
        if (message.find("UNIQUE") != std::string::npos) {
          return Fail(ErrorCode::kAlreadyExists, message);
        }
        return Fail(ErrorCode::kInvalidArgument, message);
      default:
        break;
    }
  }
  if (message.find("database is locked") != std::string::npos)
    return Fail(ErrorCode::kBusy, message);
  if (message.find("disk is full") != std::string::npos)
    return Fail(ErrorCode::kStorageFull, message);
  return Fail(ErrorCode::kStorageError, message);
}

class SqliteEngine : public SqlEngine {
 public:
  explicit SqliteEngine(const SqliteOptions& options) : options_(options) {}

  std::unique_ptr<soci::session> Connect() const override {
    auto session = std::make_unique<soci::session>(
        soci::sqlite3, "db=" + options_.database_path +
                           " timeout=" + std::to_string(options_.busy_timeout_ms / 1000 + 1));
    soci::session& sql = *session;
    sql << "PRAGMA busy_timeout = " << options_.busy_timeout_ms;
    sql << "PRAGMA journal_mode = WAL";
    sql << "PRAGMA synchronous = FULL";
    sql << "PRAGMA foreign_keys = ON";
    return session;
  }

  Error MapError(const std::exception& e, std::string_view doing) const override {
    return FromSoci(e, doing);
  }

  void Begin(soci::session& sql, TransactionMode mode) const override {
    sql << (mode == TransactionMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
  }

  void End(soci::session&, TransactionMode) const override {}

  int64_t LastInsertId(soci::session& sql) const override {
    long long id = 0;
    sql.get_last_insert_id("", id);  // sqlite3_last_insert_rowid: no statement needed
    return id;
  }

  std::string_view IdentityTable() const override { return "identities"; }

  void PutIdentity(soci::session& sql, long long patient_id,
                   const std::string& sealed) const override {
    soci::blob blob(sql);
    blob.write(0, sealed.data(), sealed.size());
    sql << "INSERT INTO identities (patient_id, sealed) VALUES (:id, :s) "
           "ON CONFLICT (patient_id) DO UPDATE SET sealed = excluded.sealed",
        soci::use(patient_id), soci::use(blob);
  }

  std::optional<std::string> FindIdentity(soci::session& sql, long long patient_id) const override {
    soci::blob blob(sql);
    soci::indicator ind = soci::i_null;
    sql << "SELECT sealed FROM identities WHERE patient_id = :id", soci::into(blob, ind),
        soci::use(patient_id);
    if (!sql.got_data() || ind == soci::i_null) return std::nullopt;
    std::string out(blob.get_len(), '\0');
    if (!out.empty()) blob.read(0, out.data(), out.size());
    return out;
  }

 private:
  SqliteOptions options_;
};

class SqliteStore : public SqlStore {
 public:
  explicit SqliteStore(const SqliteOptions& options)
      : SqlStore(std::make_unique<SqliteEngine>(options), options.pool_size) {}

  Result<std::vector<std::string>> CheckIntegrity() override {
    std::vector<std::string> problems;
    Status status = pool().WithSession("integrity check", [&](soci::session& sql) -> Status {
      soci::rowset<std::string> rows = (sql.prepare << "PRAGMA integrity_check");
      for (const auto& line : rows) {
        if (line != "ok") problems.push_back(line);
      }
      soci::rowset<std::string> fk =
          (sql.prepare << "SELECT \"table\" FROM pragma_foreign_key_check");
      for (const auto& table : fk) problems.push_back("foreign key violation in " + table);
      for (const char* trigger : {"audit_log_no_update", "audit_log_no_delete"}) {
        long long n = 0;
        std::string name = trigger;
        sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = :n",
            soci::into(n), soci::use(name);
        if (n == 0)
          problems.push_back(std::string("audit protection trigger ") + trigger + " is missing");
      }
      return Ok();
    });
    if (!status.ok()) return status.error();
    return problems;
  }

  Status Migrate(bool create, bool migrate, const std::string& legacy_identity_path) {
    return pool().WithSession("migrate", [&](soci::session& sql) -> Status {
      // The sealed identities live in the clinical file, so that registering a patient
      // with their identity is one commit (issue #15: two files could be torn apart by a
      // crash between their commits). Created on every open: it is no migration of the
      // data model, and registries made before it have the table added here.
      sql << "CREATE TABLE IF NOT EXISTS identities (patient_id INTEGER PRIMARY KEY, "
             "sealed BLOB NOT NULL)";
      // Before the version check, so that an older registry (or backup) being migrated
      // brings its identities along whatever its schema version.
      ImportLegacyIdentities(sql, legacy_identity_path);
      int version = 0;
      sql << "PRAGMA user_version", soci::into(version);
      STREAM_RETURN_IF_ERROR(
          CheckSchemaVersion(version, CurrentSqliteSchemaVersion(), create, migrate));
      for (const auto& m : SqliteMigrations()) {
        if (m.number <= version) continue;
        RunInSqlTransaction(sql, "BEGIN IMMEDIATE", [&] {
          RunScript(sql, m.sql);
          sql << "PRAGMA user_version = " << m.number;
        });
      }
      return Ok();
    });
  }

  // Registries made before the identities moved kept them in a second file; they are
  // copied in once, in one transaction, and the file is renamed `<file>.imported` so
  // that nobody takes it for the live one. A copy interrupted by a crash is simply
  // done again at the next open (a patient's identity is copied at most once).
  static void ImportLegacyIdentities(soci::session& sql, const std::string& path) {
    if (path.empty() || !std::filesystem::exists(path)) return;
    sql << "ATTACH DATABASE :path AS legacy_identity", soci::use(path);
    long long tables = 0;
    sql << "SELECT COUNT(*) FROM legacy_identity.sqlite_master WHERE name = 'identities'",
        soci::into(tables);
    if (tables > 0) {
      RunInSqlTransaction(sql, "BEGIN IMMEDIATE", [&] {
        sql << "INSERT OR IGNORE INTO main.identities (patient_id, sealed) "
               "SELECT patient_id, sealed FROM legacy_identity.identities";
      });
    }
    sql << "DETACH DATABASE legacy_identity";
    std::error_code ec;
    if (!std::filesystem::exists(path + "-wal", ec))
      std::filesystem::rename(path, path + ".imported", ec);
  }
};

}  // namespace

int CurrentSqliteSchemaVersion() { return SqliteMigrations().back().number; }

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  const bool exists = std::filesystem::exists(options.database_path);
  if (options.create && exists) {
    return Fail(ErrorCode::kAlreadyExists, "a database already exists at " + options.database_path);
  }
  if (!options.create && !exists) {
    return Fail(ErrorCode::kNotFound,
                "no database at " + options.database_path + "; run 'stream init' first");
  }
  auto store = std::make_unique<SqliteStore>(options);
  STREAM_RETURN_IF_ERROR(
      store->Migrate(options.create, options.migrate, options.legacy_identity_path));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace stream::storage
