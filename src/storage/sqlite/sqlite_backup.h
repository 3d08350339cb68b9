// Hot backup and restore of a SQLite registry (one file, `stream.db`, the sealed
// identities included) through SQLite's online backup API, and the summary a backup is
// checked against.
//
// BackupSqlite copies the file inside one read transaction, so the copy is one consistent
// snapshot even while writers commit: in WAL mode readers and writers do not block each
// other, and the writers' later commits stay in the write-ahead log, outside the snapshot.
// A restore is all or nothing: the backup is copied to a new file beside the registry,
// checked there, and only then renamed over it (SwapInSqlite).
// Thread-safe: each call uses its own connections.
#pragma once

#include <string>

#include "core/result.h"
#include "storage/sql/table_digest.h"

namespace stream::storage {

struct SqliteFiles {
  std::string database;  // stream.db: clinical data, sealed identities and the audit trail
  // identity.db of registries and backups made before the identities moved into
  // stream.db: imported from, never written ("" or a missing file when there is none).
  std::string legacy_identity;
};

// Copies the live registry file `from` to `to`, which must not exist yet.
// kAlreadyExists when it does, kNotFound when `from` is missing, kBusy when the file
// stays locked beyond `busy_timeout_ms`, kStorageFull/kStorageError otherwise.
[[nodiscard]] Status BackupSqlite(const std::string& from, const std::string& to,
                                  int busy_timeout_ms = 10000);

// Copies the backup file `from` into the new file `to` (which must not exist). On failure
// `to` is removed. (An older backup's identity.db is imported by opening the copy as a
// store with it as `legacy_identity_path`: storage/sqlite/sqlite_store.h.)
[[nodiscard]] Status CopySqliteBackup(const std::string& from, const std::string& to,
                                      int busy_timeout_ms = 10000);

// Makes the checked copy `restored` the registry `database`, in one rename (atomic): the
// old registry's write-ahead log is first checkpointed into it, so that until the rename
// the old registry is whole. No server may have `database` open.
[[nodiscard]] Status SwapInSqlite(const std::string& restored, const std::string& database,
                                  int busy_timeout_ms = 10000);

// Removes a database file with its -wal, -shm and -journal companions.
void RemoveSqliteFiles(const std::string& path);

// The schema version, per-table row counts and checksums, and the audit head of the
// file, read in one snapshot.
Result<DatabaseSummary> SummariseSqlite(const std::string& database, int busy_timeout_ms = 10000);

}  // namespace stream::storage
