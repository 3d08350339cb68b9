// The core of the SQL store: the connection pool, the transaction's begin, commit and
// rollback, the column readers every aggregate shares, and the migration helpers the
// engines use. The statements of each aggregate are in soci_<aggregate>.cc.
#include "storage/sql/soci_store.h"

#include "storage/sql/sql_transaction.h"

namespace stream::storage {

long long RowInt(const soci::row& row, std::size_t i) {
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(i);
    case soci::dt_long_long:
      return row.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(row.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<long long>(row.get<double>(i));
    default:
      return std::stoll(row.get<std::string>(i));
  }
}

double RowDouble(const soci::row& row, std::size_t i) {
  if (row.get_properties(i).get_data_type() == soci::dt_double) return row.get<double>(i);
  return static_cast<double>(RowInt(row, i));
}

std::string RowText(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return {};
  if (row.get_properties(i).get_data_type() == soci::dt_string) return row.get<std::string>(i);
  return std::to_string(RowInt(row, i));
}

bool RowBool(const soci::row& row, std::size_t i) { return RowInt(row, i) != 0; }

Date RowDate(const soci::row& row, std::size_t i) {
  return Date::Parse(RowText(row, i)).value_or(Date());
}

Timestamp RowTimestamp(const soci::row& row, std::size_t i) {
  return Timestamp::Parse(RowText(row, i)).value_or(Timestamp());
}

SqlTransaction::SqlTransaction(const SqlEngine& engine, SqlPool& pool,
                               std::unique_ptr<SqlConnection> conn, TransactionMode mode)
    : engine_(engine), pool_(pool), conn_(std::move(conn)), sql_(conn_->session()), mode_(mode) {}

SqlTransaction::~SqlTransaction() {
  try {
    if (begun_ && !done_) {
      sql_ << "ROLLBACK";
      engine_.End(sql_, mode_);
    }
    // Statements of this transaction are finalised while the connection is still
    // ours: once given back, another thread may be using it.
    audit_insert_.reset();
  } catch (const std::exception&) {
    broken_ = true;
  }
  if (broken_) conn_.reset();  // in an unknown state: drop it (closing releases its locks)
  pool_.Give(std::move(conn_));
}

Status SqlTransaction::Begin() {
  return Guard(engine_, "begin", [&]() -> Status {
    engine_.Begin(sql_, mode_);
    begun_ = true;
    return Ok();
  });
}

Status SqlTransaction::Commit() {
  return Guard(engine_, "commit", [&]() -> Status {
    sql_ << "COMMIT";
    done_ = true;
    // The commit stands even if ending fails; the connection is then dropped.
    try {
      engine_.End(sql_, mode_);
    } catch (const std::exception&) {
      broken_ = true;
    }
    return Ok();
  });
}

SqlPool::SqlPool(const SqlEngine& engine, int size) : engine_(engine), size_(size) {}

SqlPool::~SqlPool() = default;

std::unique_ptr<SqlConnection> SqlPool::Take() {
  std::unique_lock lock(mu_);
  if (free_.empty() && created_ < size_) {
    ++created_;
    lock.unlock();
    try {
      return std::make_unique<SqlConnection>(engine_.Connect());
    } catch (...) {
      Give(nullptr);
      throw;
    }
  }
  cv_.wait(lock, [&] { return !free_.empty(); });
  auto c = std::move(free_.back());
  free_.pop_back();
  return c;
}

void SqlPool::Give(std::unique_ptr<SqlConnection> c) {
  {
    std::lock_guard lock(mu_);
    if (c) {
      free_.push_back(std::move(c));
    } else {
      --created_;  // a broken connection is dropped
    }
  }
  cv_.notify_one();
}

Result<std::unique_ptr<Transaction>> SqlPool::Begin(TransactionMode mode) {
  std::unique_ptr<SqlConnection> conn;
  try {
    conn = Take();
  } catch (const std::exception& e) {
    return engine_.MapError(e, "open connection");
  }
  auto tx = std::make_unique<SqlTransaction>(engine_, *this, std::move(conn), mode);
  STREAM_RETURN_IF_ERROR(tx->Begin());
  return std::unique_ptr<Transaction>(std::move(tx));
}

Status SqlPool::WithSession(std::string_view doing,
                            const std::function<Status(soci::session&)>& body) {
  std::unique_ptr<SqlConnection> conn;
  try {
    conn = Take();
  } catch (const std::exception& e) {
    return engine_.MapError(e, "open connection");
  }
  Status status = Guard(engine_, doing, [&]() -> Status { return body(conn->session()); });
  Give(std::move(conn));
  return status;
}

SqlStore::SqlStore(std::unique_ptr<SqlEngine> engine, int pool_size)
    : engine_(std::move(engine)), pool_(*engine_, pool_size) {}

Result<std::unique_ptr<Transaction>> SqlStore::Begin(TransactionMode mode) {
  return pool_.Begin(mode);
}

void RunScript(soci::session& sql, const std::string& script) {
  size_t start = 0;
  while (start < script.size()) {
    size_t end = script.find(";\n", start);
    if (end == std::string::npos) end = script.size();
    const std::string statement = script.substr(start, end - start);
    if (statement.find_first_not_of(" \n") != std::string::npos) sql << statement;
    start = end + 1;
  }
}

void RunInSqlTransaction(soci::session& sql, const char* begin, const std::function<void()>& body) {
  sql << begin;
  try {
    body();
    sql << "COMMIT";
  } catch (...) {
    sql << "ROLLBACK";
    throw;
  }
}

Status CheckSchemaVersion(int found, int current, bool create, bool migrate) {
  if (found > current) {
    return Fail(ErrorCode::kSchemaTooNew,
                "the database has schema version " + std::to_string(found) +
                    " but this program knows only up to " + std::to_string(current));
  }
  if (found < current && found > 0 && !migrate) {
    return Fail(ErrorCode::kSchemaOutdated,
                "the database has schema version " + std::to_string(found) +
                    "; run with --migrate to upgrade it to " + std::to_string(current));
  }
  if (found == 0 && !create) {
    return Fail(ErrorCode::kNotFound, "no STREAM database here; run 'stream init' first");
  }
  return Ok();
}

}  // namespace stream::storage
