// Which store the program runs on: the only place that turns the configuration into a
// concrete storage backend (SQLite files in the data folder, or a PostgreSQL database).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/config.h"
#include "cli/cli_context.h"
#include "core/result.h"
#include "core/store.h"
#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_backup.h"

namespace stream::app {

// Where the registry lives, resolved from the configuration and the --data folder.
struct StoreLocation {
  StorageBackend backend = StorageBackend::kSqlite;
  storage::SqliteFiles sqlite;   // SQLite: <data>/stream.db (and an older <data>/identity.db)
  storage::PostgresOptions app;  // PostgreSQL: the application role's connection
  // PostgreSQL: the schema owner's connection (app_role = the application role), used
  // to create, migrate and restore; empty when no owner is configured.
  std::optional<storage::PostgresOptions> owner;
  // The role that creates, migrates and restores: the owner when configured.
  const storage::PostgresOptions& admin() const { return owner ? *owner : app; }
};

StoreLocation ResolveLocation(const Config& config, const std::string& data_dir);

// "host='…' port='…' dbname='…' user='…' sslmode='…'" for `user` (no password).
std::string PostgresConnection(const PostgresConfig& config, const std::string& user);

// Opens the store, creating or migrating it first when asked. On PostgreSQL the owner
// (when configured) creates and migrates and grants the application role; the store
// returned always runs as the application role.
Result<std::unique_ptr<Store>> OpenStoreAt(const StoreLocation& location, bool create,
                                           bool migrate);

// The opener the command-line context uses: reads `config` when a command opens the
// store (after the command line and the configuration file have been read).
cli::StoreOpener MakeStoreOpener(const Config& config);

}  // namespace stream::app
