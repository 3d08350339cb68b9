// The part of the store port (core/store.h) that is the same on every SQL engine,
// written once over SOCI: the Store and its Transaction with all their statements, a
// connection pool, and the numbered-migration runner. An engine (storage/sqlite,
// storage/postgres) supplies a SqlEngine: how to connect, begin and end a transaction,
// read the id just assigned, store sealed identities, and how its errors map to
// ErrorCode.
//
// Only the storage backends include this header; nothing above storage sees SOCI. It is
// the only header of storage/sql they include (sql_transaction.h is internal).
#pragma once

#include <soci/soci.h>

#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/store.h"

namespace stream::storage {

// What differs between engines. Every method may throw (soci::soci_error or
// std::exception); the shared code catches at the adapter edge and calls MapError.
// Implementations are stateless and thread-safe.
class SqlEngine {
 public:
  virtual ~SqlEngine() = default;

  // A new, configured session (pragmas, time-outs, …).
  virtual std::unique_ptr<soci::session> Connect() const = 0;
  // The typed error for an exception thrown while `doing` something.
  virtual Error MapError(const std::exception& e, std::string_view doing) const = 0;
  // Starts a transaction in `mode`; End runs after its COMMIT or ROLLBACK.
  virtual void Begin(soci::session& sql, TransactionMode mode) const = 0;
  virtual void End(soci::session& sql, TransactionMode mode) const = 0;
  // The id the last INSERT of this session assigned.
  virtual int64_t LastInsertId(soci::session& sql) const = 0;
  // The table of sealed identities: `identities` (SQLite, in the clinical file, so that a
  // patient and their identity commit together) or `identity.identities` (PostgreSQL, a
  // schema of the same database).
  virtual std::string_view IdentityTable() const = 0;
  // The identity store: insert or replace, and read.
  virtual void PutIdentity(soci::session& sql, long long patient_id,
                           const std::string& sealed) const = 0;
  virtual std::optional<std::string> FindIdentity(soci::session& sql,
                                                  long long patient_id) const = 0;
};

// Runs `body`, turning any exception into the engine's typed Error.
template <typename F>
auto Guard(const SqlEngine& engine, std::string_view doing, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return engine.MapError(e, doing);
  }
}

class SqlConnection;

// A bounded pool of connections made by the engine; hands out Transactions. Thread-safe.
// A connection that failed to roll back is dropped, not reused.
class SqlPool {
 public:
  SqlPool(const SqlEngine& engine, int size);
  ~SqlPool();
  SqlPool(const SqlPool&) = delete;
  SqlPool& operator=(const SqlPool&) = delete;

  // A Transaction on a pooled connection (kBusy, kStorageError, … when none can be had).
  Result<std::unique_ptr<Transaction>> Begin(TransactionMode mode);
  // Runs `body` on a pooled connection outside any store transaction: migrations,
  // integrity checks.
  Status WithSession(std::string_view doing, const std::function<Status(soci::session&)>& body);

  // For the Transaction: take and give back a connection.
  std::unique_ptr<SqlConnection> Take();
  void Give(std::unique_ptr<SqlConnection> connection);

 private:
  const SqlEngine& engine_;
  int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<SqlConnection>> free_;
  int created_ = 0;
};

// The Store of an SQL engine: Transactions on connections from a pool over the engine,
// which it owns. An engine's store adds its integrity check and how it migrates.
// Thread-safe.
class SqlStore : public Store {
 public:
  Result<std::unique_ptr<Transaction>> Begin(TransactionMode mode) final;

 protected:
  SqlStore(std::unique_ptr<SqlEngine> engine, int pool_size);
  SqlPool& pool() { return pool_; }

 private:
  std::unique_ptr<SqlEngine> engine_;  // before the pool, which refers to it
  SqlPool pool_;
};

// One numbered migration: `sql` holds one or more statements, each ending with ";"
// at the end of a line (a ';' inside a trigger body stays mid-line).
struct Migration {
  int number;  // 1, 2, …: the schema version after applying it
  std::string name;
  std::string sql;
};

// Executes every statement of a migration script, one SOCI call each.
void RunScript(soci::session& sql, const std::string& script);

// Runs `body` between `begin` ("BEGIN", "BEGIN IMMEDIATE", …) and COMMIT; when it
// throws, rolls back and rethrows. How an engine applies migrations atomically.
void RunInSqlTransaction(soci::session& sql, const char* begin, const std::function<void()>& body);

// What to do about a database at `found` when the program writes `current`: Ok to
// proceed, or kSchemaTooNew, kSchemaOutdated (without `migrate`), kNotFound (empty
// database without `create`).
Status CheckSchemaVersion(int found, int current, bool create, bool migrate);

}  // namespace stream::storage
