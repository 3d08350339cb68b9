#include "storage/postgres/connection.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace stream::storage {
namespace {

// Quotes a libpq connection-string value.
std::string QuoteValue(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// Encodes a URI parameter value.
std::string PercentEncode(const std::string& value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

Result<std::string> ReadPostgresPassword(const PostgresOptions& options) {
  if (!options.password_env.empty()) {
    const char* value = std::getenv(options.password_env.c_str());
    if (value == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the environment variable " + options.password_env + " is not set",
                  "password_env");
    }
    return std::string(value);
  }
  if (!options.password_file.empty()) {
    std::ifstream in(options.password_file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      return Fail(ErrorCode::kInvalidArgument, "cannot read " + options.password_file,
                  "password_file");
    }
    return line;
  }
  return std::string();
}

std::string ConnectionWithPassword(const std::string& connection, const std::string& password) {
  if (password.empty()) return connection;
  // A URI takes its options as parameters; a keyword string as one more keyword.
  const bool uri = connection.starts_with("postgres://") || connection.starts_with("postgresql://");
  if (uri) {
    return connection + (connection.find('?') == std::string::npos ? "?" : "&") +
           "password=" + PercentEncode(password);
  }
  return connection + " password=" + QuoteValue(password);
}

}  // namespace stream::storage
