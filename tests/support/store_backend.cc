#include "support/store_backend.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace stream::testing {
namespace {

class SqliteBackend : public StoreBackend {
 public:
  explicit SqliteBackend(const TempDir& dir) : dir_(dir) {}
  std::string name() const override { return "sqlite"; }

  std::unique_ptr<Store> Create() override { return Open(true); }
  std::unique_ptr<Store> Reopen() const override { return Open(false); }

  std::unique_ptr<soci::session> AppSession() const override {
    return std::make_unique<soci::session>(soci::sqlite3, "db=" + dir_.File("stream.db"));
  }
  std::unique_ptr<soci::session> OwnerSession() const override { return AppSession(); }
  std::string DropTriggerSql(const std::string& trigger) const override {
    return "DROP TRIGGER " + trigger;
  }

 private:
  std::unique_ptr<Store> Open(bool create) const {
    storage::SqliteOptions o;
    o.database_path = dir_.File("stream.db");
    o.legacy_identity_path = dir_.File("identity.db");
    o.create = create;
    auto store = storage::OpenSqliteStore(o);
    if (!store.ok()) throw std::runtime_error(store.error().ToString());
    return std::move(*store);
  }

  const TempDir& dir_;
};

std::string AppRole() {
  const char* role = std::getenv("STREAM_PG_APP_ROLE");
  return role && *role ? role : "stream_app";
}

class PostgresBackend : public StoreBackend {
 public:
  explicit PostgresBackend(std::string url) : url_(std::move(url)) {
    static std::atomic<int> counter{0};
    database_ = "stream_t" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    soci::session admin(soci::postgresql, url_);
    admin << "CREATE DATABASE " << database_;
  }

  ~PostgresBackend() override {
    try {
      soci::session admin(soci::postgresql, url_);
      admin << "DROP DATABASE IF EXISTS " << database_ << " WITH (FORCE)";
    } catch (const std::exception&) {
      // The cluster is thrown away after the run anyway.
    }
  }

  std::string name() const override { return "postgres"; }

  std::unique_ptr<Store> Create() override {
    storage::PostgresOptions o;
    o.connection = OwnerConnection();
    o.create = true;
    o.app_role = AppRole();
    {
      auto owner = storage::OpenPostgresStore(o);
      if (!owner.ok()) throw std::runtime_error(owner.error().ToString());
    }
    return Reopen();
  }

  std::unique_ptr<Store> Reopen() const override {
    storage::PostgresOptions o;
    o.connection = AppConnection();
    auto store = storage::OpenPostgresStore(o);
    if (!store.ok()) throw std::runtime_error(store.error().ToString());
    return std::move(*store);
  }

  std::unique_ptr<soci::session> AppSession() const override {
    return std::make_unique<soci::session>(soci::postgresql, AppConnection());
  }
  std::unique_ptr<soci::session> OwnerSession() const override {
    return std::make_unique<soci::session>(soci::postgresql, OwnerConnection());
  }
  std::string DropTriggerSql(const std::string& trigger) const override {
    return "DROP TRIGGER " + trigger + " ON audit_log";
  }

  // Later keywords of a libpq connection string override earlier ones.
  std::string OwnerConnection() const override { return url_ + " dbname=" + database_; }
  std::string AppConnection() const override { return OwnerConnection() + " user=" + AppRole(); }
  std::string DatabaseName() const override { return database_; }

 private:
  std::string url_;
  std::string database_;
};

}  // namespace

std::unique_ptr<StoreBackend> MakeSqliteBackend(const TempDir& dir) {
  return std::make_unique<SqliteBackend>(dir);
}

std::string PostgresAppRole() { return AppRole(); }

std::string PostgresUnavailableReason() {
  const char* url = std::getenv("STREAM_PG_URL");
  if (url == nullptr || *url == '\0') {
    return "STREAM_PG_URL is not set: the PostgreSQL cases need a server "
           "(scripts/run-tests starts one with scripts/pg-test-cluster)";
  }
  return {};
}

std::unique_ptr<StoreBackend> MakePostgresBackend() {
  if (!PostgresUnavailableReason().empty()) throw std::runtime_error(PostgresUnavailableReason());
  return std::make_unique<PostgresBackend>(std::getenv("STREAM_PG_URL"));
}

std::vector<std::string> BackendNames() { return {"sqlite", "postgres"}; }

}  // namespace stream::testing
