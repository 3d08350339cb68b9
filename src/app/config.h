// The configuration file (config/stream.yaml documents every key with its default):
// parsed once at start-up into plain structs. Every key is optional; a key the program
// does not know is an error, and every error names the key and its file:line:column.
// Secrets never appear in the file: the PostgreSQL password comes from an environment
// variable or a file named here.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace stream::app {

enum class StorageBackend { kSqlite, kPostgres };

struct PostgresRole {
  std::string user;
  std::string password_env;   // name of an environment variable holding the password
  std::string password_file;  // a file (mode 0600) whose first line is the password
  friend bool operator==(const PostgresRole&, const PostgresRole&) = default;
};

struct PostgresConfig {
  std::string host = "localhost";  // a host name, an address, or a Unix socket folder
  int port = 5432;
  std::string dbname = "stream";
  PostgresRole app{"stream_app", "", ""};  // what the program runs as
  // The owner of the schema, for `init`, `--migrate` and `restore`; empty user: the
  // application role does those itself and no grants are made.
  PostgresRole owner;
  std::string sslmode = "prefer";  // libpq's sslmode: disable … verify-full
  int pool_size = 4;
  int lock_timeout_ms = 10000;
  friend bool operator==(const PostgresConfig&, const PostgresConfig&) = default;
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string static_dir = "web/dist";
  int threads = 8;
  // Both set: serve HTTPS directly; both empty: plain HTTP behind a reverse proxy.
  std::string tls_certificate;
  std::string tls_private_key;
  friend bool operator==(const ServerConfig&, const ServerConfig&) = default;
};

struct Config {
  std::string data = "var";  // SQLite files and, unless set below, the key files
  std::string protocols = "protocols";
  StorageBackend backend = StorageBackend::kSqlite;
  PostgresConfig postgresql;
  ServerConfig server;
  std::string identity_key;       // empty: <data>/identity.key
  std::string randomisation_key;  // empty: <data>/randomisation.key
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  std::string log_level = "info";  // trace, debug, info, warn, error, critical, off
  std::string postgresql_bin;      // pg_dump/pg_restore folder; empty: PATH, then Debian's
  friend bool operator==(const Config&, const Config&) = default;
};

// Parses configuration text; `file_name` is used in error positions.
// kInvalidArgument with where = "file:line:column" and a message starting with the key.
Result<Config> ParseConfig(std::string_view yaml_text, std::string_view file_name);

// Reads and parses a configuration file (kInvalidArgument when it cannot be read).
Result<Config> LoadConfig(const std::string& path);

}  // namespace stream::app
