// The online backup API works on raw connections: SOCI has no wrapper for it, and the
// backup holds one read transaction across the copy, which is plain C API work.
#include "storage/sqlite/sqlite_backup.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace stream::storage {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

struct FinalizeStmt {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

Error SqliteError(int rc, sqlite3* db, std::string_view doing, const std::string& path) {
  std::string message = std::string(doing) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Fail(ErrorCode::kBusy, message, path);
    case SQLITE_FULL:
      return Fail(ErrorCode::kStorageFull, message, path);
    default:
      return Fail(ErrorCode::kStorageError, message, path);
  }
}

Result<Db> Open(const std::string& path, bool create, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return SqliteError(rc, db.get(), "open", path);
  sqlite3_busy_timeout(db.get(), busy_timeout_ms);
  return db;
}

Status Exec(sqlite3* db, const std::string& sql, const std::string& path) {
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, db, sql, path);
  return Ok();
}

Result<Stmt> Prepare(sqlite3* db, const std::string& sql, const std::string& path) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  Stmt stmt(raw);
  if (rc != SQLITE_OK) return SqliteError(rc, db, sql, path);
  return stmt;
}

// Starts a read transaction on `db` (it begins with the first read).
Status BeginSnapshot(sqlite3* db, const std::string& path) {
  STREAM_RETURN_IF_ERROR(Exec(db, "BEGIN", path));
  STREAM_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db, "SELECT COUNT(*) FROM main.sqlite_master", path));
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return SqliteError(rc, db, "begin snapshot", path);
  return Ok();
}

// Opens an existing file, or kNotFound.
Result<Db> OpenExisting(const std::string& path, int busy_timeout_ms) {
  if (!std::filesystem::exists(path)) return Fail(ErrorCode::kNotFound, "no such file", path);
  return Open(path, false, busy_timeout_ms);
}

// Copies schema `schema` of `source` into the file `to` in one step (one snapshot).
Status CopyInto(sqlite3* source, const char* schema, const std::string& to, bool create,
                int busy_timeout_ms) {
  STREAM_ASSIGN_OR_RETURN(Db dest, Open(to, create, busy_timeout_ms));
  sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source, schema);
  if (backup == nullptr) {
    return SqliteError(sqlite3_errcode(dest.get()), dest.get(), "backup init", to);
  }
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, -1);
    // Only a lock held by another connection on the destination makes it wait.
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  const int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return SqliteError(rc, dest.get(), "backup", to);
  if (finish != SQLITE_OK) return SqliteError(finish, dest.get(), "backup", to);
  return Ok();
}

std::vector<std::string> TablesOf(sqlite3* db, const std::string& schema, const std::string& path,
                                  Status& status) {
  std::vector<std::string> tables;
  auto stmt = Prepare(db,
                      "SELECT name FROM " + schema +
                          ".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                          "ORDER BY name",
                      path);
  if (!stmt.ok()) {
    status = stmt.error();
    return tables;
  }
  while (sqlite3_step(stmt->get()) == SQLITE_ROW)
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt->get(), 0)));
  return tables;
}

Result<TableDigest> DigestTable(sqlite3* db, const std::string& schema, const std::string& table,
                                const std::string& path) {
  TableDigest digest;
  digest.table = schema == "main" ? table : schema + "." + table;
  STREAM_ASSIGN_OR_RETURN(
      Stmt stmt, Prepare(db, "SELECT * FROM " + schema + ".\"" + table + "\" ORDER BY 1", path));
  RowHasher hasher;
  const int columns = sqlite3_column_count(stmt.get());
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    ++digest.rows;
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(stmt.get(), c)) {
        case SQLITE_INTEGER:
          hasher.Field("i", std::to_string(sqlite3_column_int64(stmt.get(), c)));
          break;
        case SQLITE_FLOAT: {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(stmt.get(), c));
          hasher.Field("r", buf);
          break;
        }
        case SQLITE_TEXT:
          hasher.Field("t", std::string_view(
                                reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), c)),
                                static_cast<size_t>(sqlite3_column_bytes(stmt.get(), c))));
          break;
        case SQLITE_BLOB: {
          const void* blob = sqlite3_column_blob(stmt.get(), c);
          const auto size = static_cast<size_t>(sqlite3_column_bytes(stmt.get(), c));
          hasher.Field("b", std::string_view(static_cast<const char*>(blob), size));
          break;
        }
        default:
          hasher.Null();
      }
    }
    hasher.EndRow();
  }
  if (rc != SQLITE_DONE) return SqliteError(rc, db, "read " + digest.table, path);
  digest.sha256 = hasher.Finish();
  return digest;
}

}  // namespace

void RemoveSqliteFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(path + suffix, ec);
}

Status BackupSqlite(const std::string& from, const std::string& to, int busy_timeout_ms) {
  if (std::filesystem::exists(to))
    return Fail(ErrorCode::kAlreadyExists, "the backup file exists already", to);
  STREAM_ASSIGN_OR_RETURN(Db source, OpenExisting(from, busy_timeout_ms));
  STREAM_RETURN_IF_ERROR(BeginSnapshot(source.get(), from));
  Status copied = CopyInto(source.get(), "main", to, true, busy_timeout_ms);
  Status ended = Exec(source.get(), "COMMIT", from);
  if (!copied.ok() || !ended.ok()) {
    RemoveSqliteFiles(to);
    return copied.ok() ? ended : copied;
  }
  return Ok();
}

Status CopySqliteBackup(const std::string& from, const std::string& to, int busy_timeout_ms) {
  if (std::filesystem::exists(to))
    return Fail(ErrorCode::kAlreadyExists, "the restore file exists already", to);
  STREAM_ASSIGN_OR_RETURN(Db source, OpenExisting(from, busy_timeout_ms));
  Status copied = CopyInto(source.get(), "main", to, true, busy_timeout_ms);
  if (!copied.ok()) RemoveSqliteFiles(to);
  return copied;
}

// Moves the whole write-ahead log of `path` into the file and empties it; kBusy when a
// reader or writer still holds it (then nothing may be renamed or removed).
Status CheckpointWholeLog(const std::string& path, int busy_timeout_ms) {
  STREAM_ASSIGN_OR_RETURN(Db db, OpenExisting(path, busy_timeout_ms));
  int log_frames = 0;
  int checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                           &log_frames, &checkpointed);
  if (rc != SQLITE_OK) return SqliteError(rc, db.get(), "checkpoint", path);
  if (log_frames > 0 && checkpointed < log_frames)
    return Fail(ErrorCode::kBusy, "the registry is in use (is a server running?)", path);
  return Ok();
}

Status SwapInSqlite(const std::string& restored, const std::string& database, int busy_timeout_ms) {
  // Both logs go into their files first: only the files themselves are renamed.
  if (std::filesystem::exists(database))
    STREAM_RETURN_IF_ERROR(CheckpointWholeLog(database, busy_timeout_ms));
  STREAM_RETURN_IF_ERROR(CheckpointWholeLog(restored, busy_timeout_ms));
  for (const char* suffix : {"-wal", "-shm"}) {
    std::error_code ec;
    std::filesystem::remove(database + suffix, ec);
    std::filesystem::remove(restored + suffix, ec);
  }
  std::error_code ec;
  std::filesystem::rename(restored, database, ec);
  if (ec)
    return Fail(ErrorCode::kStorageError, "cannot rename the restored file: " + ec.message(),
                database);
  return Ok();
}

Result<DatabaseSummary> SummariseSqlite(const std::string& database, int busy_timeout_ms) {
  STREAM_ASSIGN_OR_RETURN(Db db, OpenExisting(database, busy_timeout_ms));
  STREAM_RETURN_IF_ERROR(BeginSnapshot(db.get(), database));
  DatabaseSummary summary;
  Status status = Ok();
  for (const auto& table : TablesOf(db.get(), "main", database, status)) {
    auto digest = DigestTable(db.get(), "main", table, database);
    if (!digest.ok()) return digest.error();
    summary.tables.push_back(std::move(*digest));
  }
  if (!status.ok()) return status.error();
  std::sort(summary.tables.begin(), summary.tables.end(),
            [](const auto& a, const auto& b) { return a.table < b.table; });
  {
    STREAM_ASSIGN_OR_RETURN(Stmt version, Prepare(db.get(), "PRAGMA main.user_version", database));
    if (sqlite3_step(version.get()) == SQLITE_ROW)
      summary.schema_version = sqlite3_column_int(version.get(), 0);
  }
  if (const TableDigest* audit = summary.Find("audit_log")) {
    summary.audit_rows = audit->rows;
    STREAM_ASSIGN_OR_RETURN(
        Stmt head,
        Prepare(db.get(), "SELECT seq, hash FROM main.audit_log ORDER BY seq DESC LIMIT 1",
                database));
    if (sqlite3_step(head.get()) == SQLITE_ROW) {
      summary.audit_last_seq = sqlite3_column_int64(head.get(), 0);
      summary.audit_last_hash = reinterpret_cast<const char*>(sqlite3_column_text(head.get(), 1));
    }
  }
  STREAM_RETURN_IF_ERROR(Exec(db.get(), "COMMIT", database));
  return summary;
}

}  // namespace stream::storage
