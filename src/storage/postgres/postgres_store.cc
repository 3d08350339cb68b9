#include "storage/postgres/postgres_store.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <cctype>

#include "storage/postgres/connection.h"
#include "storage/postgres/migrations.h"
#include "storage/sql/soci_store.h"

namespace stream::storage {
namespace {

// The key of the advisory lock writers queue on ("STREAM" in ASCII).
constexpr long long kWriterLock = 0x53545245414d;

Error FromSoci(const std::exception& e, std::string_view doing) {
  std::string message = std::string(doing) + ": " + e.what();
  if (const auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = p->sqlstate();
    if (state == "40001" || state == "40P01")
      return Fail(ErrorCode::kSerializationFailure, message);
    if (state == "55P03") return Fail(ErrorCode::kBusy, message);
    if (state == "23505") return Fail(ErrorCode::kAlreadyExists, message);
    if (state == "53100") return Fail(ErrorCode::kStorageFull, message);
    if (state.starts_with("23") || state.starts_with("22"))
      return Fail(ErrorCode::kInvalidArgument, message);
  }
  return Fail(ErrorCode::kStorageError, message);
}

std::string ToHex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

std::string FromHex(const std::string& hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  return out;
}

class PostgresEngine : public SqlEngine {
 public:
  PostgresEngine(const PostgresOptions& options, std::string password)
      : options_(options), password_(std::move(password)) {}

  std::unique_ptr<soci::session> Connect() const override {
    auto session = std::make_unique<soci::session>(
        soci::postgresql, ConnectionWithPassword(options_.connection, password_));
    soci::session& sql = *session;
    sql << "SET lock_timeout = " << options_.lock_timeout_ms;
    sql << "SET TIME ZONE 'UTC'";
    // Notices (a ROLLBACK after a failed COMMIT) would go to stderr: errors are typed.
    sql << "SET client_min_messages = error";
    return session;
  }

  Error MapError(const std::exception& e, std::string_view doing) const override {
    return FromSoci(e, doing);
  }

  void Begin(soci::session& sql, TransactionMode mode) const override {
    if (mode == TransactionMode::kRead) {
      sql << "BEGIN ISOLATION LEVEL REPEATABLE READ";
      return;
    }
    // The session lock is taken before BEGIN, so the transaction's snapshot is taken
    // after the previous writer committed: queued writers do not collide.
    if (options_.serialise_writers) sql << "SELECT pg_advisory_lock(" << kWriterLock << ")";
    try {
      sql << "BEGIN ISOLATION LEVEL SERIALIZABLE";
    } catch (...) {
      End(sql, mode);
      throw;
    }
  }

  void End(soci::session& sql, TransactionMode mode) const override {
    if (mode == TransactionMode::kWrite && options_.serialise_writers)
      sql << "SELECT pg_advisory_unlock(" << kWriterLock << ")";
  }

  int64_t LastInsertId(soci::session& sql) const override {
    long long id = 0;
    sql << "SELECT lastval()", soci::into(id);
    return id;
  }

  std::string_view IdentityTable() const override { return "identity.identities"; }

  // SOCI's PostgreSQL blob is a large object: BYTEA travels as hex text instead.
  void PutIdentity(soci::session& sql, long long patient_id,
                   const std::string& sealed) const override {
    const std::string hex = ToHex(sealed);
    sql << "INSERT INTO identity.identities (patient_id, sealed) VALUES (:id, decode(:s, 'hex')) "
           "ON CONFLICT (patient_id) DO UPDATE SET sealed = excluded.sealed",
        soci::use(patient_id), soci::use(hex);
  }

  std::optional<std::string> FindIdentity(soci::session& sql, long long patient_id) const override {
    std::string hex;
    soci::indicator ind = soci::i_null;
    sql << "SELECT encode(sealed, 'hex') FROM identity.identities WHERE patient_id = :id",
        soci::into(hex, ind), soci::use(patient_id);
    if (!sql.got_data() || ind == soci::i_null) return std::nullopt;
    return FromHex(hex);
  }

 private:
  PostgresOptions options_;
  std::string password_;
};

class PostgresStore : public SqlStore {
 public:
  PostgresStore(const PostgresOptions& options, std::string password)
      : SqlStore(std::make_unique<PostgresEngine>(options, std::move(password)),
                 options.pool_size) {}

  Result<std::vector<std::string>> CheckIntegrity() override {
    std::vector<std::string> problems;
    Status status = pool().WithSession("integrity check", [&](soci::session& sql) -> Status {
      for (const char* trigger :
           {"audit_log_no_update", "audit_log_no_delete", "audit_log_no_truncate"}) {
        long long n = 0;
        std::string name = trigger;
        sql << "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = to_regclass('public.audit_log') "
               "AND tgname = :n AND tgenabled <> 'D'",
            soci::into(n), soci::use(name);
        if (n == 0)
          problems.push_back(std::string("audit protection trigger ") + trigger + " is missing");
      }
      // The role the store runs as must not be able to rewrite the audit trail
      // (the owner, who runs migrations, is refused by the triggers alone).
      long long owner = 0;
      sql << "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = "
             "'audit_log' AND tableowner = current_user",
          soci::into(owner);
      if (owner == 0) {
        for (const char* privilege : {"UPDATE", "DELETE", "TRUNCATE"}) {
          int granted = 0;
          std::string p = privilege;
          sql << "SELECT CASE WHEN has_table_privilege('public.audit_log', :p) THEN 1 ELSE 0 END",
              soci::into(granted), soci::use(p);
          if (granted != 0) problems.push_back("the application role holds " + p + " on audit_log");
        }
      }
      // Rows the constraints should have kept out (PostgreSQL enforces foreign keys
      // always; these catch constraints dropped by hand).
      long long orphans = 0;
      sql << "SELECT COUNT(*) FROM enrolments e LEFT JOIN patients p ON p.id = e.patient_id "
             "WHERE p.id IS NULL",
          soci::into(orphans);
      if (orphans > 0) problems.push_back("foreign key violation in enrolments");
      return Ok();
    });
    if (!status.ok()) return status.error();
    return problems;
  }

  Status Migrate(const PostgresOptions& options) {
    return pool().WithSession("migrate", [&](soci::session& sql) -> Status {
      int version = 0;
      soci::indicator ind = soci::i_null;
      std::string table;
      sql << "SELECT CAST(to_regclass('public.schema_version') AS TEXT)", soci::into(table, ind);
      if (ind != soci::i_null) {
        soci::indicator vind = soci::i_null;
        sql << "SELECT MAX(version) FROM schema_version", soci::into(version, vind);
        if (vind == soci::i_null) version = 0;
      }
      const int current = CurrentPostgresSchemaVersion();
      if (options.create && version > 0) {
        return Fail(ErrorCode::kAlreadyExists, "the database already holds a STREAM schema");
      }
      STREAM_RETURN_IF_ERROR(CheckSchemaVersion(version, current, options.create, options.migrate));
      if (version == current) return Ok();
      RunInSqlTransaction(sql, "BEGIN", [&] {
        // One migration at a time across the cluster's servers.
        sql << "SELECT pg_advisory_xact_lock(" << kWriterLock << ")";
        sql << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
               "name TEXT NOT NULL, applied_at TEXT NOT NULL)";
        for (const auto& m : PostgresMigrations()) {
          if (m.number <= version) continue;
          RunScript(sql, m.sql);
          sql << "INSERT INTO schema_version (version, name, applied_at) VALUES (:v, :n, "
                 "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))",
              soci::use(m.number), soci::use(m.name);
        }
        if (!options.app_role.empty()) RunScript(sql, PostgresGrantsSql(options.app_role));
      });
      return Ok();
    });
  }
};

}  // namespace

int CurrentPostgresSchemaVersion() { return PostgresMigrations().back().number; }

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  for (char c : options.app_role) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return Fail(ErrorCode::kInvalidArgument, "a role name is letters, digits and '_'",
                  "app_role");
    }
  }
  auto password = ReadPostgresPassword(options);
  if (!password.ok()) return password.error();
  auto store = std::make_unique<PostgresStore>(options, std::move(*password));
  STREAM_RETURN_IF_ERROR(store->Migrate(options));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace stream::storage
