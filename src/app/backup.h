// `stream backup` and `stream restore` on either engine, each followed by its checks.
//
// A backup is a folder:
//   manifest.json   what was backed up: engine, schema version, each file's size and
//                   SHA-256, each table's row count and checksum, the audit head
//   stream.db                   SQLite (online backup API, one snapshot; the sealed
//                               identities inside; format 1 also had identity.db)
//   stream.dump                 PostgreSQL (pg_dump -Fc of one exported snapshot)
//   keys/identity.key, keys/randomisation.key   only when asked (with_keys)
// The manifest is written last and only when every check passed, so a folder without
// one is not a backup. Restore checks the files against the manifest before touching
// the target; SQLite then restores into a copy beside the registry, checks it and only
// then renames it over the registry (all or nothing); PostgreSQL restores in one
// transaction and is checked afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/store_opener.h"
#include "core/clock.h"
#include "core/result.h"
#include "storage/sql/table_digest.h"

namespace stream::app {

// What the checks after a backup or restore found, and what to tell the operator.
struct CheckReport {
  storage::DatabaseSummary summary;                        // of the backup's snapshot
  std::vector<std::pair<std::string, std::string>> lines;  // label, text
  std::vector<std::string> problems;                       // empty when every check passed
  int64_t bytes = 0;                                       // size of the backup's files
  double seconds = 0;
  bool ok() const { return problems.empty(); }
};

struct BackupRequest {
  std::string to;  // a new or empty folder
  bool with_keys = false;
  std::string identity_key;  // the key files, copied with with_keys
  std::string randomisation_key;
  std::string postgresql_bin;  // where pg_dump/pg_restore are; empty: search
};

// Takes a consistent backup of the registry at `location` while it may be in use,
// then checks it: SQLite by opening the copy (integrity check, audit chain, summary);
// PostgreSQL by reading the archive back (every table's rows, the audit chain, its head)
// and the source's integrity check. An Error when the backup could not be taken
// (kAlreadyExists: the folder is not empty); a report with problems when a check failed.
Result<CheckReport> BackupRegistry(const StoreLocation& location, const BackupRequest& request,
                                   const Clock& clock);

struct RestoreRequest {
  std::string from;          // a backup folder
  bool force = false;        // replace a non-empty target
  bool migrate = false;      // upgrade an older backup's schema after restoring it
  std::string identity_key;  // where included key files go
  std::string randomisation_key;
  std::string postgresql_bin;
};

// Restores the backup into `location` (SQLite: the data folder's files; PostgreSQL: the
// configured database, as its owner) and checks the result against the manifest.
// Errors: kAlreadyExists when the target is not empty and !force (nothing touched),
// kIntegrityViolation when the backup's files do not match their manifest,
// kInvalidArgument when the backup is of the other engine.
Result<CheckReport> RestoreRegistry(const StoreLocation& location, const RestoreRequest& request);

}  // namespace stream::app
