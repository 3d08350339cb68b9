// The configuration file: the shipped sample is every default; errors name the key and
// its file:line:column; secrets are refused inline.
#include "app/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "app/store_opener.h"

namespace stream::app {
namespace {

std::string Sample() {
  std::ifstream in(std::string(STREAM_SOURCE_DIR) + "/config/stream.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Error ParseError(const std::string& yaml) {
  auto config = ParseConfig(yaml, "stream.yaml");
  EXPECT_FALSE(config.ok()) << yaml;
  return config.ok() ? Error{} : config.error();
}

TEST(ConfigTest, TheShippedSampleGivesEveryDefault) {
  const std::string sample = Sample();
  ASSERT_FALSE(sample.empty());
  auto config = ParseConfig(sample, "config/stream.yaml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(*config, Config{});
  EXPECT_EQ(config->session_idle_minutes, 30);
  EXPECT_EQ(config->session_absolute_hours, 12);
  EXPECT_EQ(config->backend, StorageBackend::kSqlite);
  auto empty = ParseConfig("", "empty.yaml");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, Config{});
}

TEST(ConfigTest, ReadsAPostgresDeploymentWithPasswordsFromOutside) {
  auto config = ParseConfig(R"yaml(
data: /var/lib/stream
storage:
  backend: postgresql
  postgresql:
    host: db1.example.org
    port: 5433
    user: stream_app
    password_file: /etc/stream/app.password
    owner: {user: stream_owner, password_env: STREAM_OWNER_PASSWORD}
    sslmode: verify-full
server:
  port: 9000
  tls: {certificate: /etc/stream/cert.pem, private_key: /etc/stream/key.pem}
keys: {identity: /etc/stream/keys/identity.key}
sessions: {idle_minutes: 15}
log: {level: warn}
)yaml",
                            "prod.yaml");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->backend, StorageBackend::kPostgres);
  EXPECT_EQ(config->postgresql.port, 5433);
  EXPECT_EQ(config->postgresql.app.password_file, "/etc/stream/app.password");
  EXPECT_EQ(config->postgresql.owner.password_env, "STREAM_OWNER_PASSWORD");
  EXPECT_EQ(config->server.tls_private_key, "/etc/stream/key.pem");
  EXPECT_EQ(config->identity_key, "/etc/stream/keys/identity.key");
  EXPECT_EQ(config->randomisation_key, "");
  EXPECT_EQ(config->session_idle_minutes, 15);
  EXPECT_EQ(config->session_absolute_hours, 12);
  EXPECT_EQ(config->log_level, "warn");

  const StoreLocation location = ResolveLocation(*config, config->data);
  EXPECT_EQ(location.app.connection,
            "host='db1.example.org' port='5433' dbname='stream' user='stream_app' "
            "sslmode='verify-full' application_name=stream");
  ASSERT_TRUE(location.owner.has_value());
  EXPECT_EQ(location.owner->app_role, "stream_app");
  EXPECT_EQ(location.admin().password_env, "STREAM_OWNER_PASSWORD");
  EXPECT_EQ(location.sqlite.database, "/var/lib/stream/stream.db");
}

TEST(ConfigTest, AnUnknownKeyIsNamedWithItsLineAndTheKnownKeys) {
  const Error e = ParseError("server:\n  host: 0.0.0.0\n  hots: 1\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.where, "stream.yaml:3:3");
  EXPECT_NE(e.message.find("server.hots: unknown key"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("host, port"), std::string::npos) << e.message;
  EXPECT_EQ(ParseError("colour: red\n").where, "stream.yaml:1:1");
}

TEST(ConfigTest, ABadValueNamesTheKeyTheLineAndWhatWasExpected) {
  struct Case {
    std::string yaml, where, message;
  } cases[] = {
      {"server:\n  port: eighty\n", "stream.yaml:2:9",
       "server.port: expected a whole number from 0 to 65535, got 'eighty'"},
      {"server:\n  port: 70000\n", "stream.yaml:2:9", "got '70000'"},
      {"sessions:\n  idle_minutes: [1, 2]\n", "stream.yaml:2:17",
       "sessions.idle_minutes: expected"},
      {"storage:\n  backend: mysql\n", "stream.yaml:2:12",
       "storage.backend: expected one of sqlite, postgresql, got 'mysql'"},
      {"log:\n  level: loud\n", "stream.yaml:2:10", "log.level: expected one of trace"},
      {"server: 8080\n", "stream.yaml:1:9", "server: expected a mapping"},
      {"data: {a: 1}\n", "stream.yaml:1:7", "data: expected text"},
      {"server:\n  port: 1\n  port: 2\n", "stream.yaml:3:3", "server.port: given twice"},
  };
  for (const auto& c : cases) {
    const Error e = ParseError(c.yaml);
    EXPECT_EQ(e.where, c.where) << c.yaml;
    EXPECT_NE(e.message.find(c.message), std::string::npos) << c.yaml << " -> " << e.message;
  }
}

TEST(ConfigTest, APasswordIsNeverAcceptedInline) {
  const Error e =
      ParseError("storage:\n  postgresql:\n    user: stream_app\n    password: hunter2\n");
  EXPECT_EQ(e.where, "stream.yaml:4:5");
  EXPECT_NE(e.message.find("storage.postgresql.password: a password is never written"),
            std::string::npos)
      << e.message;
  EXPECT_EQ(e.message.find("hunter2"), std::string::npos);
  const Error owner = ParseError("storage:\n  postgresql:\n    owner:\n      password: x\n");
  EXPECT_NE(owner.message.find("storage.postgresql.owner.password"), std::string::npos);
  const Error both =
      ParseError("storage:\n  postgresql:\n    password_env: A\n    password_file: /b\n");
  EXPECT_NE(both.message.find("not both"), std::string::npos) << both.message;
}

TEST(ConfigTest, TlsNeedsBothFilesOrNeither) {
  const Error e = ParseError("server:\n  tls:\n    certificate: /etc/cert.pem\n");
  EXPECT_EQ(e.where, "stream.yaml:3:5");
  EXPECT_NE(e.message.find("give both certificate and private_key"), std::string::npos);
}

TEST(ConfigTest, ASyntaxErrorHasItsPosition) {
  const Error e = ParseError("server:\n  host: [unclosed\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_NE(e.where.find("stream.yaml:"), std::string::npos);
  auto missing = LoadConfig("/nonexistent/stream.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace stream::app
