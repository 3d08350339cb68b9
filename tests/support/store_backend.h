// The storage engines the conformance suite (tests/storage) runs on, behind one
// interface: a fresh, migrated store per test, and raw sessions for the checks that
// must go around the store (tampering with the audit table, dropping a trigger).
//
// SQLite lives in a temporary folder. PostgreSQL needs a server: STREAM_PG_URL is the
// keyword=value connection string of a role that may create databases (what
// scripts/pg-test-cluster prints); each backend instance creates its own database,
// migrates it as that role, runs the store as the application role (STREAM_PG_APP_ROLE,
// default stream_app) and drops the database at the end.
#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>
#include <vector>

#include "core/store.h"
#include "support/temp_dir.h"

namespace stream::testing {

class StoreBackend {
 public:
  virtual ~StoreBackend() = default;
  virtual std::string name() const = 0;
  // Creates the (empty, migrated) database; called once. Throws on failure.
  virtual std::unique_ptr<Store> Create() = 0;
  // Opens the existing database again.
  virtual std::unique_ptr<Store> Reopen() const = 0;
  // Raw SQL as the role the store runs as, and as the schema's owner.
  virtual std::unique_ptr<soci::session> AppSession() const = 0;
  virtual std::unique_ptr<soci::session> OwnerSession() const = 0;
  // The statement that drops one of the audit table's protection triggers.
  virtual std::string DropTriggerSql(const std::string& trigger) const = 0;
  // PostgreSQL: libpq connection strings of the schema owner and the application role
  // (empty on SQLite).
  virtual std::string OwnerConnection() const { return {}; }
  virtual std::string AppConnection() const { return {}; }
  // PostgreSQL: the database's name (empty on SQLite).
  virtual std::string DatabaseName() const { return {}; }
};

// SQLite files in `dir` (stream.db, identity.db).
std::unique_ptr<StoreBackend> MakeSqliteBackend(const TempDir& dir);
// A fresh database on the STREAM_PG_URL server; throws when that is unset.
std::unique_ptr<StoreBackend> MakePostgresBackend();
// The role the PostgreSQL store runs as (STREAM_PG_APP_ROLE, default stream_app).
std::string PostgresAppRole();
// Empty when the PostgreSQL cases can run, otherwise why they are skipped.
std::string PostgresUnavailableReason();

// The engines every conformance case runs on: "sqlite", "postgres".
std::vector<std::string> BackendNames();

}  // namespace stream::testing
