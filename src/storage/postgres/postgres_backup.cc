#include "storage/postgres/postgres_backup.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include "storage/postgres/connection.h"
#include "storage/postgres/migrations.h"
#include "storage/postgres/tool_process.h"
#include "storage/sql/soci_store.h"

namespace stream::storage {
namespace {

constexpr size_t kFetchRows = 5000;

Result<std::unique_ptr<soci::session>> Connect(const PostgresOptions& options) {
  STREAM_ASSIGN_OR_RETURN(std::string password, ReadPostgresPassword(options));
  try {
    auto session = std::make_unique<soci::session>(
        soci::postgresql, ConnectionWithPassword(options.connection, password));
    *session << "SET client_min_messages = error";
    *session << "SET TIME ZONE 'UTC'";
    return session;
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kStorageError, std::string("cannot connect: ") + e.what());
  }
}

std::vector<std::string> PasswordEnvironment(const PostgresOptions& options) {
  auto password = ReadPostgresPassword(options);
  if (!password.ok() || password->empty()) return {};
  return {"PGPASSWORD=" + *password};
}

// The first lines of what a tool wrote on stderr, for an error message.
std::string FirstLines(const std::string& text) {
  std::string out;
  size_t start = 0;
  for (int i = 0; i < 5 && start < text.size(); ++i) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (!out.empty()) out += "; ";
    out += text.substr(start, end - start);
    start = end + 1;
  }
  return out.empty() ? "no message" : out;
}

// The digest of one table, read through a cursor in the caller's transaction: each row
// as PostgreSQL's text form of the whole row, in key order.
TableDigest DigestTable(soci::session& sql, const std::string& name, const std::string& qualified,
                        const std::string& key) {
  TableDigest digest;
  digest.table = name;
  sql << "DECLARE stream_digest NO SCROLL CURSOR FOR SELECT CAST(t AS TEXT) FROM " << qualified
      << " AS t ORDER BY t." << key;
  RowHasher hasher;
  for (;;) {
    std::vector<std::string> batch(kFetchRows);
    sql << "FETCH FORWARD " << kFetchRows << " FROM stream_digest", soci::into(batch);
    for (const auto& row : batch) {
      hasher.Field("t", row);
      hasher.EndRow();
    }
    digest.rows += static_cast<int64_t>(batch.size());
    if (batch.size() < kFetchRows) break;
  }
  sql << "CLOSE stream_digest";
  digest.sha256 = hasher.Finish();
  return digest;
}

// The summary of what the session's transaction sees. Throws on failure.
DatabaseSummary Summarise(soci::session& sql) {
  DatabaseSummary summary;
  struct Table {
    std::string name, qualified, key;
  };
  std::vector<Table> tables;
  {
    soci::rowset<soci::row> rows =
        (sql.prepare
         << "SELECT n.nspname, c.relname, quote_ident(n.nspname) || '.' || quote_ident(c.relname), "
            "(SELECT quote_ident(a.attname) FROM pg_attribute a WHERE a.attrelid = c.oid AND "
            "a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum LIMIT 1) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname IN ('public', 'identity') AND c.relkind IN ('r', 'p')");
    for (const auto& r : rows) {
      const std::string schema = r.get<std::string>(0);
      const std::string table = r.get<std::string>(1);
      tables.push_back({schema == "public" ? table : schema + "." + table, r.get<std::string>(2),
                        r.get<std::string>(3)});
    }
  }
  std::sort(tables.begin(), tables.end(),
            [](const Table& a, const Table& b) { return a.name < b.name; });
  for (const auto& t : tables)
    summary.tables.push_back(DigestTable(sql, t.name, t.qualified, t.key));
  if (summary.Find("schema_version")) {
    soci::indicator ind = soci::i_null;
    sql << "SELECT MAX(version) FROM schema_version", soci::into(summary.schema_version, ind);
    if (ind == soci::i_null) summary.schema_version = 0;
  }
  if (const TableDigest* audit = summary.Find("audit_log")) {
    summary.audit_rows = audit->rows;
    long long seq = 0;
    std::string hash;
    sql << "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", soci::into(seq),
        soci::into(hash);
    if (sql.got_data()) {
      summary.audit_last_seq = seq;
      summary.audit_last_hash = hash;
    }
  }
  return summary;
}

// COPY's text format: "\N" is null; backslash escapes the rest.
std::optional<std::string> Unescape(std::string_view field) {
  if (field == "\\N") return std::nullopt;
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      out += field[i];
      continue;
    }
    const char c = field[++i];
    switch (c) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x': {
        int value = 0, digits = 0;
        while (digits < 2 && i + 1 < field.size() && std::isxdigit(field[i + 1])) {
          const char h = field[++i];
          value = value * 16 + (std::isdigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
          ++digits;
        }
        out += static_cast<char>(value);
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          int value = c - '0', digits = 1;
          while (digits < 3 && i + 1 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '7') {
            value = value * 8 + (field[++i] - '0');
            ++digits;
          }
          out += static_cast<char>(value);
        } else {
          out += c;
        }
    }
  }
  return out;
}

// Reads pg_restore's script output line by line: counts the rows of every COPY block
// and turns the audit_log rows into entries.
class ArchiveReader {
 public:
  explicit ArchiveReader(const std::function<void(const AuditEntry&)>& audit) : audit_(audit) {}

  void Feed(std::string_view piece) {
    pending_.append(piece);
    size_t start = 0;
    for (size_t end = pending_.find('\n'); end != std::string::npos;
         end = pending_.find('\n', start)) {
      Line(std::string_view(pending_).substr(start, end - start));
      start = end + 1;
    }
    pending_.erase(0, start);
  }

  std::map<std::string, int64_t>& rows() { return rows_; }
  const std::string& problem() const { return problem_; }
  bool in_copy() const { return !table_.empty(); }

 private:
  void Line(std::string_view line) {
    if (table_.empty()) {
      if (line.starts_with("COPY ")) Header(line);
      return;
    }
    if (line == "\\.") {
      table_.clear();
      return;
    }
    ++rows_[table_];
    if (table_ == "audit_log") AuditRow(line);
  }

  void Header(std::string_view line) {
    line.remove_prefix(5);
    const size_t paren = line.find(" (");
    const size_t from = line.find(" FROM stdin");
    std::string name(line.substr(0, std::min(paren, from)));
    if (name.starts_with("public.")) name.erase(0, 7);
    std::erase(name, '"');
    table_ = name;
    rows_[table_] += 0;
    columns_.clear();
    if (paren != std::string_view::npos && paren < from) {
      std::string_view list = line.substr(paren + 2, line.find(')', paren) - paren - 2);
      while (!list.empty()) {
        size_t comma = list.find(", ");
        std::string column(list.substr(0, comma));
        std::erase(column, '"');
        columns_.push_back(column);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 2);
      }
    }
  }

  void AuditRow(std::string_view line) {
    AuditEntry e;
    size_t column = 0;
    size_t start = 0;
    for (;;) {
      size_t tab = line.find('\t', start);
      const auto value =
          Unescape(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
      if (column < columns_.size()) Assign(e, columns_[column], value);
      ++column;
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (column != columns_.size() && problem_.empty())
      problem_ = "audit_log row " + std::to_string(e.seq) + " has the wrong number of columns";
    if (audit_) audit_(e);
  }

  void Assign(AuditEntry& e, const std::string& column, const std::optional<std::string>& value) {
    const std::string text = value.value_or("");
    const auto number = [&] {
      try {
        return static_cast<int64_t>(std::stoll(text));
      } catch (const std::exception&) {
        return int64_t{0};
      }
    };
    if (column == "seq")
      e.seq = number();
    else if (column == "at")
      e.at = Timestamp::Parse(text).value_or(Timestamp());
    else if (column == "actor")
      e.actor = text;
    else if (column == "site")
      e.site = text;
    else if (column == "entity")
      e.entity = text;
    else if (column == "entity_id")
      e.entity_id = number();
    else if (column == "patient_id")
      e.patient_id = number();
    else if (column == "action")
      e.action = text;
    else if (column == "field")
      e.field = text;
    else if (column == "old_value")
      e.old_value = value;
    else if (column == "new_value")
      e.new_value = value;
    else if (column == "reason")
      e.reason = text;
    else if (column == "request_id")
      e.request_id = text;
    else if (column == "prev_hash")
      e.prev_hash = text;
    else if (column == "hash")
      e.hash = text;
  }

  const std::function<void(const AuditEntry&)>& audit_;
  std::string pending_;
  std::string table_;
  std::vector<std::string> columns_;
  std::map<std::string, int64_t> rows_;
  std::string problem_;
};

}  // namespace

Result<DatabaseSummary> BackupPostgres(const PostgresOptions& options, const std::string& archive,
                                       const std::string& bin_dir) {
  if (std::filesystem::exists(archive))
    return Fail(ErrorCode::kAlreadyExists, "the backup file exists already", archive);
  STREAM_ASSIGN_OR_RETURN(std::string pg_dump, FindPostgresTool("pg_dump", bin_dir));
  STREAM_ASSIGN_OR_RETURN(auto session, Connect(options));
  soci::session& sql = *session;
  try {
    sql << "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    std::string snapshot;
    sql << "SELECT pg_export_snapshot()", soci::into(snapshot);
    STREAM_ASSIGN_OR_RETURN(ToolRun run,
                            RunTool(pg_dump,
                                    {"--format=custom", "--no-password", "--snapshot=" + snapshot,
                                     "--file=" + archive, "--dbname=" + options.connection},
                                    PasswordEnvironment(options), {}));
    if (run.exit_code != 0) {
      std::error_code ec;
      std::filesystem::remove(archive, ec);
      return Fail(ErrorCode::kStorageError, "pg_dump failed: " + FirstLines(run.errors), archive);
    }
    DatabaseSummary summary = Summarise(sql);
    sql << "COMMIT";
    return summary;
  } catch (const std::exception& e) {
    std::error_code ec;
    std::filesystem::remove(archive, ec);
    return Fail(ErrorCode::kStorageError, std::string("backup: ") + e.what());
  }
}

Result<std::map<std::string, int64_t>> ScanPostgresArchive(
    const std::string& archive, const std::string& bin_dir,
    const std::function<void(const AuditEntry&)>& audit) {
  if (!std::filesystem::exists(archive)) return Fail(ErrorCode::kNotFound, "no such file", archive);
  STREAM_ASSIGN_OR_RETURN(std::string pg_restore, FindPostgresTool("pg_restore", bin_dir));
  ArchiveReader reader(audit);
  STREAM_ASSIGN_OR_RETURN(ToolRun run,
                          RunTool(pg_restore, {"--data-only", "--file=-", archive}, {},
                                  [&](std::string_view piece) { reader.Feed(piece); }));
  if (run.exit_code != 0) {
    return Fail(ErrorCode::kIntegrityViolation,
                "pg_restore cannot read the archive: " + FirstLines(run.errors), archive);
  }
  if (reader.in_copy()) {
    return Fail(ErrorCode::kIntegrityViolation, "the archive ends inside a table's data", archive);
  }
  if (!reader.problem().empty())
    return Fail(ErrorCode::kIntegrityViolation, reader.problem(), archive);
  return std::move(reader.rows());
}

Result<bool> PostgresDatabaseIsEmpty(const PostgresOptions& options) {
  STREAM_ASSIGN_OR_RETURN(auto session, Connect(options));
  try {
    long long relations = 0, schemas = 0;
    *session << "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname IN ('public', 'identity') AND c.relkind IN ('r', 'p', 'S', 'v', "
                "'m')",
        soci::into(relations);
    *session << "SELECT COUNT(*) FROM pg_namespace WHERE nspname = 'identity'", soci::into(schemas);
    return relations == 0 && schemas == 0;
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kStorageError, std::string("inspect the target: ") + e.what());
  }
}

Status RestorePostgres(const PostgresOptions& options, const std::string& archive,
                       const std::string& bin_dir, bool clean) {
  for (char c : options.app_role) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return Fail(ErrorCode::kInvalidArgument, "a role name is letters, digits and '_'",
                  "app_role");
    }
  }
  if (!std::filesystem::exists(archive)) return Fail(ErrorCode::kNotFound, "no such file", archive);
  STREAM_ASSIGN_OR_RETURN(std::string pg_restore, FindPostgresTool("pg_restore", bin_dir));
  // Ownership and grants are the target's own: the restoring role owns what it creates
  // and the application role gets the privileges a migration gives it.
  std::vector<std::string> args = {"--no-owner",      "--no-acl",
                                   "--exit-on-error", "--single-transaction",
                                   "--no-password",   "--dbname=" + options.connection};
  if (clean) {
    args.push_back("--clean");
    args.push_back("--if-exists");
  }
  args.push_back(archive);
  STREAM_ASSIGN_OR_RETURN(ToolRun run, RunTool(pg_restore, args, PasswordEnvironment(options), {}));
  if (run.exit_code != 0)
    return Fail(ErrorCode::kStorageError, "pg_restore failed: " + FirstLines(run.errors), archive);
  if (options.app_role.empty()) return Ok();
  STREAM_ASSIGN_OR_RETURN(auto session, Connect(options));
  try {
    *session << "BEGIN";
    RunScript(*session, PostgresGrantsSql(options.app_role));
    *session << "COMMIT";
    return Ok();
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kStorageError, std::string("grant the application role: ") + e.what());
  }
}

Result<DatabaseSummary> SummarisePostgres(const PostgresOptions& options) {
  STREAM_ASSIGN_OR_RETURN(auto session, Connect(options));
  try {
    *session << "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    DatabaseSummary summary = Summarise(*session);
    *session << "COMMIT";
    return summary;
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kStorageError, std::string("summarise: ") + e.what());
  }
}

}  // namespace stream::storage
