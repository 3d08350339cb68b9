// Hot backup and restore of a SQLite registry (the clinical file and the identity
// file) through SQLite's online backup API, and the summary a backup is checked against.
//
// BackupSqlite copies both files inside one read transaction on one connection (the
// identity file attached), so the copy is one consistent snapshot of both even while
// writers commit: in WAL mode readers and writers do not block each other, and the
// writers' later commits stay in the write-ahead log, outside the snapshot. Writers
// wait only for the instant the snapshot starts (see BeginSnapshot in the .cc).
// Thread-safe: each call uses its own connections.
#pragma once

#include <string>

#include "core/result.h"
#include "storage/sql/table_digest.h"

namespace stream::storage {

struct SqliteFiles {
  std::string database;  // stream.db: clinical data and the audit trail
  std::string identity;  // identity.db: sealed direct identifiers
};

// Copies `from` (a live registry) to `to`, whose files must not exist yet.
// kAlreadyExists when they do, kNotFound when `from` is missing, kBusy when the files
// stay locked beyond `busy_timeout_ms`, kStorageFull/kStorageError otherwise.
[[nodiscard]] Status BackupSqlite(const SqliteFiles& from, const SqliteFiles& to,
                                  int busy_timeout_ms = 10000);

// Copies a backup `from` over `to`, creating or replacing its contents page by page
// (the target's WAL is handled by SQLite). The caller decides whether `to` may be
// overwritten; no server should have it open meanwhile.
[[nodiscard]] Status RestoreSqlite(const SqliteFiles& from, const SqliteFiles& to,
                                   int busy_timeout_ms = 10000);

// The schema version, per-table row counts and checksums, and the audit head of the
// files, read in one snapshot.
Result<DatabaseSummary> SummariseSqlite(const SqliteFiles& files, int busy_timeout_ms = 10000);

}  // namespace stream::storage
