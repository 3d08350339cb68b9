// PostgresStore: the store port (core/store.h) on a PostgreSQL 15 server through SOCI,
// for multi-site production.
//
// Clinical tables live in schema `public`; direct identifiers in schema `identity`
// (table identity.identities), which operators may grant to fewer roles. Write
// transactions run at SERIALIZABLE and, by default, first take one session-level
// advisory lock so that writers queue like SQLite's BEGIN IMMEDIATE (the audit hash
// chain makes every write depend on the last one anyway); read transactions run at
// REPEATABLE READ on one snapshot. SQLSTATE 40001/40P01 map to kSerializationFailure,
// 55P03 (lock time-out) to kBusy, 23505 to kAlreadyExists, 53100 to kStorageFull.
// After a failed statement the transaction can only roll back.
//
// Roles: the schema is created and migrated by an owner role; the application role
// (`app_role`) is granted SELECT, INSERT, UPDATE, DELETE on clinical tables but only
// SELECT, INSERT on audit_log, whose triggers also refuse UPDATE, DELETE and TRUNCATE.
// Thread-safe: each Transaction borrows one connection from a small pool.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "core/store.h"

namespace stream::storage {

struct PostgresOptions {
  // A libpq connection string ("host=… port=… dbname=… user=…" or a postgresql:// URI)
  // without the password, which comes from one of the two settings below.
  std::string connection;
  std::string password_env;   // name of an environment variable holding the password
  std::string password_file;  // a file whose first line is the password
  bool create = false;        // create the schema in an empty database; error if one exists
  bool migrate = false;       // apply pending migrations to an older schema
  // When creating or migrating as the owner: the role the application connects as,
  // granted exactly the privileges it needs. Empty: no grants are made.
  std::string app_role;
  int pool_size = 4;
  int lock_timeout_ms = 10000;    // how long a writer waits for a lock before kBusy
  bool serialise_writers = true;  // writers queue on one advisory lock (see above)
};

// Connects and checks (with `create` or `migrate`: brings up to date) the schema.
// Errors: kNotFound when the database holds no STREAM schema and `create` is off,
// kAlreadyExists when `create` finds one, kSchemaOutdated when the schema is older
// and `migrate` is off, kSchemaTooNew when a newer program wrote it, kStorageError
// when the server cannot be reached (the message never contains the password).
Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

// The schema version this program writes.
int CurrentPostgresSchemaVersion();

}  // namespace stream::storage
