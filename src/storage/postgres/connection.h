// How the PostgreSQL backend reaches its server: the password from the environment or
// a file, and the connection string that carries it. Internal to storage/postgres: the
// store, backup and restore share it. The password never appears in an error message.
#pragma once

#include <string>

#include "core/result.h"
#include "storage/postgres/postgres_store.h"

namespace stream::storage {

// The password named by `options` (password_env, then password_file); empty when
// neither is set (libpq then tries ~/.pgpass and PGPASSWORD itself). kInvalidArgument
// naming the setting when the variable is unset or the file unreadable.
Result<std::string> ReadPostgresPassword(const PostgresOptions& options);

// `connection` (keyword=value string or postgresql:// URI) with the password added.
std::string ConnectionWithPassword(const std::string& connection, const std::string& password);

}  // namespace stream::storage
