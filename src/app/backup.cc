#include "app/backup.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "service/audit_trail.h"
#include "service/identity_vault.h"
#include "service/transaction_runner.h"
#include "storage/postgres/postgres_backup.h"

namespace stream::app {
namespace {

namespace fs = std::filesystem;

// 2: a SQLite backup is the one file stream.db, the sealed identities inside it.
// 1: a SQLite backup also had identity.db; still restored (its identities are imported).
constexpr int kFormatVersion = 2;
constexpr char kManifest[] = "manifest.json";
constexpr char kArchive[] = "stream.dump";

const char* EngineName(StorageBackend backend) {
  return backend == StorageBackend::kSqlite ? "sqlite" : "postgresql";
}

// 12345 -> "12,345"
std::string Count(int64_t n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Size(int64_t bytes) {
  char buf[32];
  if (bytes < 1024) return std::to_string(bytes) + " B";
  if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024 * 1024));
  }
  return buf;
}

Result<std::string> FileSha256(const std::string& path, int64_t& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read file", path);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buf(1 << 16);
  bytes = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = in.gcount();
    if (n <= 0) break;
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buf.data()),
                              static_cast<unsigned long long>(n));
    bytes += n;
  }
  if (in.bad()) return Fail(ErrorCode::kStorageError, "cannot read file", path);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

nlohmann::json SummaryJson(const storage::DatabaseSummary& s) {
  nlohmann::json tables = nlohmann::json::array();
  for (const auto& t : s.tables)
    tables.push_back({{"table", t.table}, {"rows", t.rows}, {"sha256", t.sha256}});
  return {
      {"schema_version", s.schema_version},
      {"tables", tables},
      {"audit",
       {{"rows", s.audit_rows}, {"last_seq", s.audit_last_seq}, {"last_hash", s.audit_last_hash}}}};
}

storage::DatabaseSummary SummaryFromJson(const nlohmann::json& j) {
  storage::DatabaseSummary s;
  s.schema_version = j.at("schema_version").get<int>();
  for (const auto& t : j.at("tables"))
    s.tables.push_back({t.at("table").get<std::string>(), t.at("rows").get<int64_t>(),
                        t.at("sha256").get<std::string>()});
  const auto& audit = j.at("audit");
  s.audit_rows = audit.at("rows").get<int64_t>();
  s.audit_last_seq = audit.at("last_seq").get<int64_t>();
  s.audit_last_hash = audit.at("last_hash").get<std::string>();
  return s;
}

// "24 tables, 12,345 rows (patients 500, enrolments 40)"
std::string Describe(const storage::DatabaseSummary& s) {
  std::string text = "schema " + std::to_string(s.schema_version) + ", " +
                     std::to_string(s.tables.size()) + " tables, " + Count(s.TotalRows()) + " rows";
  std::string detail;
  for (const char* table : {"patients", "enrolments", "identities", "identity.identities"}) {
    if (const auto* t = s.Find(table))
      detail += (detail.empty() ? "" : ", ") + std::string(table) + " " + Count(t->rows);
  }
  if (!detail.empty()) text += " (" + detail + ")";
  return text;
}

std::string AuditHead(const storage::DatabaseSummary& s) {
  if (s.audit_rows == 0) return "empty";
  return Count(s.audit_rows) + " rows, last row " + std::to_string(s.audit_last_seq) + " hash " +
         s.audit_last_hash.substr(0, 16) + "…";
}

Status PrepareFolder(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      return Fail(ErrorCode::kAlreadyExists, "exists and is not a folder", dir);
    if (!fs::is_empty(dir, ec))
      return Fail(ErrorCode::kAlreadyExists, "the backup folder is not empty", dir);
  }
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kStorageError, ec.message(), dir);
  ::chmod(dir.c_str(), 0700);
  return Ok();
}

Status CopyKey(const std::string& from, const std::string& to) {
  std::error_code ec;
  const fs::path parent = fs::path(to).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return Fail(ErrorCode::kStorageError, "cannot copy key file: " + ec.message(), from);
  ::chmod(to.c_str(), 0600);
  return Ok();
}

// Whether the identity key at `key_path` opens the registry's sealed identities: one is
// opened (a wrong key fails every one). Nothing to check in a registry without any; a
// key not in place is said, not a problem (restore tells where to copy it).
void CheckIdentityKey(Store& store, const std::string& key_path, const std::string& what,
                      CheckReport& report) {
  std::optional<std::string> sealed;
  Status s =
      service::RunInTransaction(store, TransactionMode::kRead, [&](Transaction& tx) -> Status {
        sealed.reset();
        STREAM_ASSIGN_OR_RETURN(auto ids, tx.ListIdentityPatients());
        if (ids.empty()) return Ok();
        STREAM_ASSIGN_OR_RETURN(sealed, tx.FindIdentity(ids.front()));
        return Ok();
      });
  if (!s.ok()) return report.problems.push_back("cannot read identities: " + s.error().ToString());
  if (!sealed) return report.lines.push_back({"identity key", "no identities to open"});
  if (!fs::exists(key_path)) {
    return report.lines.push_back(
        {"identity key", "not in place (" + key_path + "): not checked; see keys below"});
  }
  auto key = cli::ReadInput(key_path);
  auto vault = key.ok() ? service::IdentityVault::FromKey(*key)
                        : Result<service::IdentityVault>(key.error());
  if (!vault.ok() || !vault->Open(*sealed).ok()) {
    report.problems.push_back(what + ": the identity key " + key_path +
                              " does not open its identities: a wrong key");
    return;
  }
  report.lines.push_back({"identity key", "opens the identities"});
}

// Opens the registry at `location` and runs the engine's integrity check, the audit
// chain verification with the tables and identities checked against it, and, with a
// `key_path`, the identity key; what they find goes to `report`.
void VerifyRegistry(const StoreLocation& location, bool migrate, const std::string& what,
                    CheckReport& report, const std::string& key_path = "") {
  auto store = OpenStoreAt(location, false, migrate);
  if (!store.ok()) {
    report.problems.push_back("cannot open " + what + ": " + store.error().ToString());
    return;
  }
  auto verification = service::VerifyAuditTrail(**store);
  if (!verification.ok()) {
    report.problems.push_back("cannot verify " + what + ": " + verification.error().ToString());
    return;
  }
  for (const auto& p : verification->storage_problems)
    report.problems.push_back(what + ": integrity: " + p);
  for (const auto& p : verification->problems)
    report.problems.push_back(what + ": " + service::Describe(p));
  report.lines.push_back(
      {"checks", what + ": integrity " +
                     (verification->storage_problems.empty() ? "ok" : "FAILED") + "; audit chain " +
                     (verification->problems.empty() ? "intact" : "BROKEN") + " (" +
                     Count(verification->rows_checked) + " rows verified)"});
  if (!key_path.empty()) CheckIdentityKey(**store, key_path, what, report);
}

struct KeyFile {
  const char* name;
  std::string path;  // where it lives in the registry's configuration
};

// The key files a backup may carry, where the registry keeps them.
template <typename Request>
std::vector<KeyFile> KeysOf(const Request& request) {
  return {{"identity.key", request.identity_key}, {"randomisation.key", request.randomisation_key}};
}

// A SQLite backup made before the identities moved into stream.db names their table
// identity.identities: the same rows, now in `identities`.
void CompareWithBackup(storage::DatabaseSummary expected, bool sqlite, CheckReport& report) {
  for (auto& t : expected.tables)
    if (sqlite && t.table == "identity.identities") t.table = "identities";
  std::sort(expected.tables.begin(), expected.tables.end(),
            [](const auto& a, const auto& b) { return a.table < b.table; });
  report.lines.push_back({"restored", Describe(report.summary)});
  report.lines.push_back({"audit", AuditHead(report.summary)});
  const auto differences = storage::CompareSummaries(expected, report.summary);
  for (const auto& d : differences) report.problems.push_back("restored database: " + d);
  report.lines.push_back(
      {"checks", std::string("row counts and checksums of every table ") +
                     (differences.empty() ? "equal to the backup's" : "DIFFER from the backup's")});
}

// Copies the backup's key files into place, or says which are missing.
Status RestoreKeys(const RestoreRequest& request, bool keys_included, CheckReport& report) {
  const std::vector<KeyFile> keys = KeysOf(request);
  if (keys_included) {
    for (const auto& k : keys)
      STREAM_RETURN_IF_ERROR(CopyKey(request.from + "/keys/" + k.name, k.path));
    report.lines.push_back({"keys", "restored to " + keys[0].path + " and " + keys[1].path});
    return Ok();
  }
  std::string missing;
  for (const auto& k : keys)
    if (!fs::exists(k.path)) missing += (missing.empty() ? "" : " and ") + k.path;
  report.lines.push_back(
      {"keys", missing.empty() ? "not in the backup; the key files in place are kept"
                               : "not in the backup: copy them from your key backup to " + missing +
                                     " (without identity.key sealed identities "
                                     "cannot be opened)"});
  return Ok();
}

// SQLite, all or nothing: the backup is copied to `stream.db.restoring` beside the
// registry and checked there (manifest, integrity, audit chain, tables, identities, key);
// only when all pass is the copy renamed over stream.db, and then the keys copied. A
// failed check, a crash or a kill before the rename leaves the registry as it was.
Status RestoreSqliteAllOrNothing(const StoreLocation& location, const RestoreRequest& request,
                                 const storage::DatabaseSummary& expected, bool keys_included,
                                 CheckReport& report) {
  const std::string target = fs::path(location.sqlite.database).parent_path().string();
  std::error_code ec;
  if (!target.empty()) {
    fs::create_directories(target, ec);
    ::chmod(target.c_str(), 0700);
  }
  const std::string restoring = location.sqlite.database + ".restoring";
  const std::string restoring_identities = restoring + ".identity";  // a format-1 backup's
  const auto clean_up = [&] {
    storage::RemoveSqliteFiles(restoring);
    for (const auto& f : {restoring_identities, restoring_identities + ".imported"})
      fs::remove(f, ec);
  };
  clean_up();  // what a restore that was killed left
  STREAM_RETURN_IF_ERROR(storage::CopySqliteBackup(request.from + "/stream.db", restoring));
  ::chmod(restoring.c_str(), 0600);
  StoreLocation copy = location;
  copy.sqlite = {restoring, ""};
  if (fs::exists(request.from + "/identity.db")) {
    // A format-1 backup: its identities are imported as the copy is first opened.
    fs::copy_file(request.from + "/identity.db", restoring_identities, ec);
    copy.sqlite.legacy_identity = restoring_identities;
    (void)OpenStoreAt(copy, false, false);  // an older schema is refused after the import
    copy.sqlite.legacy_identity.clear();
  }
  STREAM_ASSIGN_OR_RETURN(report.summary, storage::SummariseSqlite(restoring));
  CompareWithBackup(expected, true, report);
  VerifyRegistry(copy, request.migrate, "restored database", report,
                 keys_included ? request.from + "/keys/identity.key" : request.identity_key);
  if (!report.ok()) {
    clean_up();
    report.lines.push_back({"registry", "left as it was: the restored copy failed its checks"});
    return Ok();
  }
  // An identity file of an older registry in place would be imported into the restored one.
  if (fs::exists(location.sqlite.legacy_identity, ec))
    fs::rename(location.sqlite.legacy_identity, location.sqlite.legacy_identity + ".replaced", ec);
  STREAM_RETURN_IF_ERROR(storage::SwapInSqlite(restoring, location.sqlite.database));
  clean_up();
  report.lines.push_back({"registry", "replaced by the checked copy"});
  return RestoreKeys(request, keys_included, report);
}

// PostgreSQL: reads the archive back and checks it holds the snapshot that was summarised.
void VerifyArchive(const std::string& archive, const std::string& bin_dir, CheckReport& report) {
  service::UnorderedAuditChainVerifier chain;  // pg_dump writes rows in heap order
  auto rows =
      storage::ScanPostgresArchive(archive, bin_dir, [&](const AuditEntry& e) { chain.Add(e); });
  if (!rows.ok()) {
    report.problems.push_back(rows.error().ToString());
    return;
  }
  std::vector<std::string> problems;
  for (const auto& t : report.summary.tables) {
    auto it = rows->find(t.table);
    if (it == rows->end()) {
      problems.push_back("archive: table " + t.table + " is missing");
    } else if (it->second != t.rows) {
      problems.push_back("archive: " + t.table + " holds " + Count(it->second) +
                         " rows, the snapshot had " + Count(t.rows));
    }
  }
  for (const auto& [table, n] : *rows) {
    if (!report.summary.Find(table))
      problems.push_back("archive: unexpected table " + table + " (" + Count(n) + " rows)");
  }
  const bool counts_equal = problems.empty();
  const auto chain_problems =
      chain.Finish(report.summary.audit_last_seq, report.summary.audit_last_hash);
  for (const auto& p : chain_problems) {
    problems.push_back("archive: audit " +
                       (p.seq > 0 ? "row " + std::to_string(p.seq) : std::string("trail")) + ": " +
                       p.what);
  }
  report.lines.push_back({"checks", "archive: every table's rows read back " +
                                        std::string(counts_equal ? "and equal" : "UNEQUAL") +
                                        "; audit chain " +
                                        (chain_problems.empty() ? "intact" : "BROKEN") + " (" +
                                        Count(chain.rows_checked()) + " rows verified)"});
  report.problems.insert(report.problems.end(), problems.begin(), problems.end());
}

// The files of a backup folder, relative to it, as the manifest lists them.
Result<nlohmann::json> DescribeFiles(const std::string& dir, const std::vector<std::string>& names,
                                     int64_t& total) {
  nlohmann::json files = nlohmann::json::array();
  total = 0;
  for (const auto& name : names) {
    int64_t bytes = 0;
    STREAM_ASSIGN_OR_RETURN(std::string sha, FileSha256(dir + "/" + name, bytes));
    files.push_back({{"path", name}, {"bytes", bytes}, {"sha256", sha}});
    total += bytes;
  }
  return files;
}

}  // namespace

Result<CheckReport> BackupRegistry(const StoreLocation& location, const BackupRequest& request,
                                   const Clock& clock) {
  const auto start = std::chrono::steady_clock::now();
  CheckReport report;
  const std::vector<KeyFile> keys = KeysOf(request);
  if (request.with_keys) {
    for (const auto& k : keys) {
      if (!fs::exists(k.path))
        return Fail(ErrorCode::kNotFound, "no key file to include in the backup", k.path);
    }
  }
  STREAM_RETURN_IF_ERROR(PrepareFolder(request.to));
  const std::string& dir = request.to;
  std::vector<std::string> files;
  if (location.backend == StorageBackend::kSqlite) {
    const std::string copy = dir + "/stream.db";
    // Opening the registry first imports an older registry's identity.db into stream.db,
    // so that the one file copied holds every identity.
    if (fs::exists(location.sqlite.legacy_identity))
      STREAM_RETURN_IF_ERROR(OpenStoreAt(location, false, false).status());
    STREAM_RETURN_IF_ERROR(storage::BackupSqlite(location.sqlite.database, copy));
    STREAM_ASSIGN_OR_RETURN(report.summary, storage::SummariseSqlite(copy));
    report.lines.push_back({"snapshot", Describe(report.summary)});
    report.lines.push_back({"audit", AuditHead(report.summary)});
    StoreLocation backup = location;
    backup.sqlite = {copy, ""};
    VerifyRegistry(backup, false, "backup copy", report);
    files = {"stream.db"};
  } else {
    const std::string archive = dir + "/" + kArchive;
    STREAM_ASSIGN_OR_RETURN(
        report.summary, storage::BackupPostgres(location.admin(), archive, request.postgresql_bin));
    report.lines.push_back({"snapshot", Describe(report.summary)});
    report.lines.push_back({"audit", AuditHead(report.summary)});
    VerifyArchive(archive, request.postgresql_bin, report);
    VerifyRegistry(location, false, "source database", report);
    files = {kArchive};
  }
  if (request.with_keys) {
    for (const auto& k : keys) {
      STREAM_RETURN_IF_ERROR(CopyKey(k.path, dir + "/keys/" + k.name));
      files.push_back(std::string("keys/") + k.name);
    }
    report.lines.push_back({"keys", "included (keys/): keep this backup as secret as the keys"});
  } else {
    report.lines.push_back(
        {"keys", "not included: back up identity.key and randomisation.key separately"});
  }
  STREAM_ASSIGN_OR_RETURN(nlohmann::json described, DescribeFiles(dir, files, report.bytes));
  std::string listing;
  for (const auto& f : described)
    listing += (listing.empty() ? "" : ", ") + f.at("path").get<std::string>() + " " +
               Size(f.at("bytes").get<int64_t>());
  report.lines.insert(report.lines.begin(), {"files", listing});
  if (report.ok()) {
    nlohmann::json manifest = {{"format", "stream-backup"},
                               {"format_version", kFormatVersion},
                               {"created_at", clock.Now().ToString()},
                               {"engine", EngineName(location.backend)},
                               {"files", described},
                               {"keys_included", request.with_keys},
                               {"snapshot", SummaryJson(report.summary)}};
    STREAM_RETURN_IF_ERROR(cli::WriteOutput(dir + "/" + kManifest, manifest.dump(2) + "\n"));
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

Result<CheckReport> RestoreRegistry(const StoreLocation& location, const RestoreRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  CheckReport report;
  const std::string& dir = request.from;
  STREAM_ASSIGN_OR_RETURN(std::string text, cli::ReadInput(dir + "/" + kManifest));
  nlohmann::json manifest;
  storage::DatabaseSummary expected;
  try {
    manifest = nlohmann::json::parse(text);
    if (manifest.at("format") != "stream-backup" || manifest.at("format_version").get<int>() < 1 ||
        manifest.at("format_version").get<int>() > kFormatVersion) {
      return Fail(ErrorCode::kInvalidArgument, "not a STREAM backup of a known format",
                  dir + "/" + kManifest);
    }
    expected = SummaryFromJson(manifest.at("snapshot"));
  } catch (const nlohmann::json::exception& e) {
    return Fail(ErrorCode::kInvalidArgument, std::string("unreadable manifest: ") + e.what(),
                dir + "/" + kManifest);
  }
  const std::string engine = manifest.value("engine", "");
  if (engine != EngineName(location.backend)) {
    return Fail(ErrorCode::kInvalidArgument,
                "this backup holds a " + engine + " registry but the target is " +
                    EngineName(location.backend) +
                    "; backup and restore do not move a registry between engines",
                dir);
  }
  // The backup's files must be exactly those the manifest describes.
  for (const auto& f : manifest.at("files")) {
    const std::string path = dir + "/" + f.at("path").get<std::string>();
    int64_t bytes = 0;
    auto sha = FileSha256(path, bytes);
    if (!sha.ok()) return Fail(ErrorCode::kIntegrityViolation, "a backup file is missing", path);
    if (*sha != f.at("sha256").get<std::string>() || bytes != f.at("bytes").get<int64_t>()) {
      return Fail(ErrorCode::kIntegrityViolation,
                  "the backup file does not match its manifest (damaged or altered)", path);
    }
    report.bytes += bytes;
  }
  report.lines.push_back({"backup", "taken " + manifest.value("created_at", std::string("?")) +
                                        "; files match the manifest (" + Size(report.bytes) + ")"});

  // Refuse before touching anything: a non-empty target, or keys that differ.
  bool empty = true;
  if (location.backend == StorageBackend::kSqlite) {
    empty = !fs::exists(location.sqlite.database) && !fs::exists(location.sqlite.legacy_identity);
  } else {
    STREAM_ASSIGN_OR_RETURN(empty, storage::PostgresDatabaseIsEmpty(location.admin()));
  }
  const std::string target = location.backend == StorageBackend::kSqlite
                                 ? fs::path(location.sqlite.database).parent_path().string()
                                 : location.app.connection;
  if (!empty && !request.force) {
    return Fail(ErrorCode::kAlreadyExists,
                "the target registry is not empty; restore refuses to overwrite it (use --force "
                "to replace it)",
                location.backend == StorageBackend::kSqlite ? target : "postgresql database");
  }
  const bool keys_included = manifest.value("keys_included", false);
  const std::vector<KeyFile> keys = KeysOf(request);
  if (keys_included && !request.force) {
    for (const auto& k : keys) {
      int64_t bytes = 0;
      auto existing = FileSha256(k.path, bytes);
      auto restored = FileSha256(dir + "/keys/" + k.name, bytes);
      if (existing.ok() && restored.ok() && *existing != *restored) {
        return Fail(ErrorCode::kAlreadyExists,
                    "a different key file exists; restore refuses to overwrite it (use --force)",
                    k.path);
      }
    }
  }

  if (location.backend == StorageBackend::kSqlite) {
    STREAM_RETURN_IF_ERROR(
        RestoreSqliteAllOrNothing(location, request, expected, keys_included, report));
  } else {
    STREAM_RETURN_IF_ERROR(storage::RestorePostgres(location.admin(), dir + "/" + kArchive,
                                                    request.postgresql_bin, !empty));
    STREAM_RETURN_IF_ERROR(RestoreKeys(request, keys_included, report));
    // The restored database against the manifest, before any migration changes it.
    STREAM_ASSIGN_OR_RETURN(report.summary, storage::SummarisePostgres(location.admin()));
    CompareWithBackup(expected, false, report);
    VerifyRegistry(location, request.migrate, "restored database", report, request.identity_key);
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace stream::app
