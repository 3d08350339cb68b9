#include "app/store_opener.h"

#include "storage/sqlite/sqlite_store.h"

namespace stream::app {
namespace {

std::string Quote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

storage::PostgresOptions PostgresOptionsFor(const PostgresConfig& config,
                                            const PostgresRole& role) {
  storage::PostgresOptions o;
  o.connection = PostgresConnection(config, role.user);
  o.password_env = role.password_env;
  o.password_file = role.password_file;
  o.pool_size = config.pool_size;
  o.lock_timeout_ms = config.lock_timeout_ms;
  return o;
}

}  // namespace

std::string PostgresConnection(const PostgresConfig& config, const std::string& user) {
  return "host=" + Quote(config.host) + " port=" + Quote(std::to_string(config.port)) +
         " dbname=" + Quote(config.dbname) + " user=" + Quote(user) +
         " sslmode=" + Quote(config.sslmode) + " application_name=stream";
}

StoreLocation ResolveLocation(const Config& config, const std::string& data_dir) {
  StoreLocation location;
  location.backend = config.backend;
  location.sqlite = {data_dir + "/stream.db", data_dir + "/identity.db"};
  location.app = PostgresOptionsFor(config.postgresql, config.postgresql.app);
  if (!config.postgresql.owner.user.empty()) {
    location.owner = PostgresOptionsFor(config.postgresql, config.postgresql.owner);
    location.owner->app_role = config.postgresql.app.user;
  }
  return location;
}

Result<std::unique_ptr<Store>> OpenStoreAt(const StoreLocation& location, bool create,
                                           bool migrate) {
  if (location.backend == StorageBackend::kSqlite) {
    storage::SqliteOptions options;
    options.database_path = location.sqlite.database;
    options.legacy_identity_path = location.sqlite.legacy_identity;
    options.create = create;
    options.migrate = migrate;
    return storage::OpenSqliteStore(options);
  }
  storage::PostgresOptions app = location.app;
  if (location.owner && (create || migrate)) {
    storage::PostgresOptions owner = *location.owner;
    owner.create = create;
    owner.migrate = migrate;
    owner.pool_size = 1;
    STREAM_ASSIGN_OR_RETURN(auto schema_owner, storage::OpenPostgresStore(owner));
  } else {
    app.create = create;
    app.migrate = migrate;
  }
  return storage::OpenPostgresStore(app);
}

cli::StoreOpener MakeStoreOpener(const Config& config) {
  return [&config](const cli::OpenRequest& request) {
    return OpenStoreAt(ResolveLocation(config, request.data_dir), request.create, request.migrate);
  };
}

}  // namespace stream::app
