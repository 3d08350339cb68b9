// Hot backup and restore of a PostgreSQL registry with PostgreSQL's own tools
// (pg_dump -Fc, pg_restore), and the summary a backup is checked against.
//
// BackupPostgres exports a snapshot from a REPEATABLE READ transaction, has pg_dump
// dump exactly that snapshot (--snapshot) and summarises the same snapshot itself, so
// the recorded counts and checksums are those of the archive while writers go on.
// The password (PostgresOptions) reaches the tools as PGPASSWORD in their environment
// only, never on a command line. Thread-safe: each call uses its own connection.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "core/result.h"
#include "core/store.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sql/table_digest.h"

namespace stream::storage {

// `bin_dir`: the folder of pg_dump and pg_restore; empty to look on PATH, then in the
// newest /usr/lib/postgresql/*/bin.

// Dumps the database of `options` to the new file `archive` and returns the summary of
// the snapshot dumped. kAlreadyExists when `archive` exists; kStorageError with
// pg_dump's message when it fails (nothing is left behind).
Result<DatabaseSummary> BackupPostgres(const PostgresOptions& options, const std::string& archive,
                                       const std::string& bin_dir);

// Reads the data of an archive back through pg_restore (no server needed): the rows
// of each table, and every audit_log row, in order, passed to `audit`. Checks that the
// archive itself is readable and complete.
Result<std::map<std::string, int64_t>> ScanPostgresArchive(
    const std::string& archive, const std::string& bin_dir,
    const std::function<void(const AuditEntry&)>& audit);

// True when the database of `options` holds no table or sequence in the schemas
// STREAM uses (public, identity) and no schema `identity`.
Result<bool> PostgresDatabaseIsEmpty(const PostgresOptions& options);

// Restores `archive` into the database of `options` (the role that will own the
// tables) in one transaction: all or nothing. With `clean`, what the archive holds is
// dropped first (a non-empty target). Then grants `options.app_role` (when set) its
// privileges, as a migration would.
[[nodiscard]] Status RestorePostgres(const PostgresOptions& options, const std::string& archive,
                                     const std::string& bin_dir, bool clean);

// The summary of the database as it is now, read in one snapshot.
Result<DatabaseSummary> SummarisePostgres(const PostgresOptions& options);

}  // namespace stream::storage
