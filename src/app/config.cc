#include "app/config.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

namespace stream::app {
namespace {

// Thrown inside the parser only and turned into an Error at ParseConfig's edge.
struct ConfigError {
  std::string message;
  YAML::Mark mark;
};

[[noreturn]] void Throw(const YAML::Node& at, std::string message) {
  throw ConfigError{std::move(message), at.Mark()};
}

using Handler = std::function<void(const YAML::Node& value, const std::string& key)>;

struct Key {
  std::string_view name;
  Handler handle;
};

// Walks a mapping: every key must be one of `keys`, given once.
void Map(const YAML::Node& node, const std::string& path, const std::vector<Key>& keys) {
  if (node.IsNull()) return;  // "section:" with nothing under it keeps every default
  if (!node.IsMap())
    Throw(node, (path.empty() ? "the file" : path) + ": expected a mapping of keys");
  std::set<std::string> seen;
  for (const auto& kv : node) {
    const std::string name = kv.first.Scalar();
    const std::string key = path.empty() ? name : path + "." + name;
    if (!seen.insert(name).second) Throw(kv.first, key + ": given twice");
    bool known = false;
    for (const auto& k : keys) {
      if (k.name == name) {
        k.handle(kv.second, key);
        known = true;
        break;
      }
    }
    if (known) continue;
    if (name == "password") {
      Throw(kv.first, key +
                          ": a password is never written in the configuration; name an "
                          "environment variable (password_env) or a file (password_file)");
    }
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + std::string(k.name);
    Throw(kv.first, key + ": unknown key (known here: " + list + ")");
  }
}

Handler Text(std::string& out) {
  return [&out](const YAML::Node& value, const std::string& key) {
    if (value.IsNull()) return;
    if (!value.IsScalar()) Throw(value, key + ": expected text");
    out = value.Scalar();
  };
}

Handler Whole(int& out, int min, int max) {
  return [&out, min, max](const YAML::Node& value, const std::string& key) {
    if (value.IsNull()) return;
    const std::string expected = key + ": expected a whole number from " + std::to_string(min) +
                                 " to " + std::to_string(max);
    if (!value.IsScalar()) Throw(value, expected);
    const std::string text = value.Scalar();
    size_t used = 0;
    long long n = 0;
    try {
      n = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (text.empty() || used != text.size() || n < min || n > max)
      Throw(value, expected + ", got '" + text + "'");
    out = static_cast<int>(n);
  };
}

Handler Choice(std::string& out, std::vector<std::string> allowed) {
  return [&out, allowed](const YAML::Node& value, const std::string& key) {
    if (value.IsNull()) return;
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    if (!value.IsScalar()) Throw(value, key + ": expected one of " + list);
    for (const auto& a : allowed) {
      if (value.Scalar() == a) {
        out = a;
        return;
      }
    }
    Throw(value, key + ": expected one of " + list + ", got '" + value.Scalar() + "'");
  };
}

std::vector<Key> RoleKeys(PostgresRole& role) {
  return {{"user", Text(role.user)},
          {"password_env", Text(role.password_env)},
          {"password_file", Text(role.password_file)}};
}

void CheckRole(const YAML::Node& node, const std::string& path, const PostgresRole& role) {
  if (!role.password_env.empty() && !role.password_file.empty())
    Throw(node, path + ": give password_env or password_file, not both");
  if (role.user.empty() && (!role.password_env.empty() || !role.password_file.empty()))
    Throw(node, path + ".user: a password is given but no user");
}

Config Build(const YAML::Node& root) {
  Config c;
  std::string backend = "sqlite";
  std::optional<YAML::Node> postgres_node, owner_node, tls_node;
  PostgresConfig& pg = c.postgresql;
  Map(root, "",
      {
          {"data",
           [&](const YAML::Node& value, const std::string& key) {
             Text(c.data)(value, key);
             if (c.data.empty()) Throw(value, key + ": must not be empty");
           }},
          {"protocols", Text(c.protocols)},
          {"storage",
           [&](const YAML::Node& storage, const std::string& key) {
             Map(storage, key,
                 {{"backend", Choice(backend, {"sqlite", "postgresql"})},
                  {"postgresql", [&](const YAML::Node& node, const std::string& pkey) {
                     postgres_node = node;
                     std::vector<Key> keys = RoleKeys(pg.app);
                     keys.push_back({"host", Text(pg.host)});
                     keys.push_back({"port", Whole(pg.port, 1, 65535)});
                     keys.push_back({"dbname", Text(pg.dbname)});
                     keys.push_back(
                         {"sslmode", Choice(pg.sslmode, {"disable", "allow", "prefer", "require",
                                                         "verify-ca", "verify-full"})});
                     keys.push_back({"pool_size", Whole(pg.pool_size, 1, 100)});
                     keys.push_back({"lock_timeout_ms", Whole(pg.lock_timeout_ms, 0, 3600000)});
                     keys.push_back({"owner", [&](const YAML::Node& o, const std::string& okey) {
                                       owner_node = o;
                                       Map(o, okey, RoleKeys(pg.owner));
                                     }});
                     Map(node, pkey, keys);
                   }}});
           }},
          {"server",
           [&](const YAML::Node& server, const std::string& key) {
             Map(server, key,
                 {{"host", Text(c.server.host)},
                  {"port", Whole(c.server.port, 0, 65535)},
                  {"static", Text(c.server.static_dir)},
                  {"threads", Whole(c.server.threads, 1, 256)},
                  {"tls", [&](const YAML::Node& tls, const std::string& tkey) {
                     tls_node = tls;
                     Map(tls, tkey,
                         {{"certificate", Text(c.server.tls_certificate)},
                          {"private_key", Text(c.server.tls_private_key)}});
                   }}});
           }},
          {"keys",
           [&](const YAML::Node& keys, const std::string& key) {
             Map(keys, key,
                 {{"identity", Text(c.identity_key)},
                  {"randomisation", Text(c.randomisation_key)}});
           }},
          {"sessions",
           [&](const YAML::Node& sessions, const std::string& key) {
             Map(sessions, key,
                 {{"idle_minutes", Whole(c.session_idle_minutes, 1, 24 * 60)},
                  {"absolute_hours", Whole(c.session_absolute_hours, 1, 7 * 24)}});
           }},
          {"log",
           [&](const YAML::Node& log, const std::string& key) {
             Map(log, key,
                 {{"level", Choice(c.log_level, {"trace", "debug", "info", "warn", "error",
                                                 "critical", "off"})}});
           }},
          {"backup",
           [&](const YAML::Node& b, const std::string& key) {
             Map(b, key, {{"postgresql_bin", Text(c.postgresql_bin)}});
           }},
      });
  c.backend = backend == "postgresql" ? StorageBackend::kPostgres : StorageBackend::kSqlite;
  if (postgres_node) {
    CheckRole(*postgres_node, "storage.postgresql", pg.app);
    if (pg.app.user.empty()) Throw(*postgres_node, "storage.postgresql.user: must not be empty");
  }
  if (owner_node) CheckRole(*owner_node, "storage.postgresql.owner", pg.owner);
  if (tls_node && c.server.tls_certificate.empty() != c.server.tls_private_key.empty()) {
    Throw(*tls_node,
          "server.tls: give both certificate and private_key (HTTPS), or neither (HTTP "
          "behind a reverse proxy)");
  }
  return c;
}

}  // namespace

Result<Config> ParseConfig(std::string_view yaml_text, std::string_view file_name) {
  const auto where = [&](const YAML::Mark& m) {
    return std::string(file_name) + ":" + std::to_string(m.line + 1) + ":" +
           std::to_string(m.column + 1);
  };
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    if (!root || root.IsNull()) return Config{};
    return Build(root);
  } catch (const ConfigError& e) {
    return Fail(ErrorCode::kInvalidArgument, e.message, where(e.mark));
  } catch (const YAML::Exception& e) {
    return Fail(ErrorCode::kInvalidArgument, e.msg, where(e.mark));
  }
}

Result<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read the configuration file", path);
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), path);
}

}  // namespace stream::app
