// SqliteStore: the store port (core/store.h) on an embedded SQLite file through SOCI.
//
// The registry is one file, `<dir>/stream.db`. Direct identifiers are in its table
// `identities`, each sealed with the identity key, which is kept outside the database: a
// patient and their identity commit in one transaction. (Registries made before kept them
// in a second file, `identity.db`; it is imported at the first open.) Every connection runs in WAL
// mode with synchronous=FULL and foreign keys on; write transactions start with BEGIN IMMEDIATE.
// Thread-safe: each Transaction borrows one connection from a small pool.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "core/store.h"

namespace stream::storage {

struct SqliteOptions {
  std::string database_path;  // the clinical database file
  // A second identity file from before identities moved into the database: imported at
  // open (then renamed `<file>.imported`); "" or a missing file when there is none.
  std::string legacy_identity_path;
  bool create = false;          // create and migrate a new database; error if it exists
  bool migrate = false;         // apply pending migrations to an older database
  int pool_size = 4;            // connections; writers still serialise on the file lock
  int busy_timeout_ms = 10000;  // how long a writer waits for the lock before kBusy
};

// Opens (or with `create`, creates) the database. Errors: kNotFound when the file is
// missing, kAlreadyExists when `create` finds one, kSchemaOutdated when the schema is
// older and `migrate` is off, kSchemaTooNew when a newer program wrote it.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// The schema version this program writes.
int CurrentSqliteSchemaVersion();

}  // namespace stream::storage
