// Who may act in the registry, as the store keeps it: sites, user accounts and the API
// tokens of scripts. One of the repositories a store Transaction (core/store.h) offers.
//
// Every method runs inside the Transaction it belongs to and sees that transaction's
// own writes; nothing is durable before Transaction::Commit. Failures are typed
// (core/error.h): kAlreadyExists for a unique value taken, kBusy and
// kSerializationFailure when the engine asks for a retry, kStorageFull for a full disk,
// kStorageError otherwise. Used by one thread, like its Transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace stream {

struct Site {
  int64_t id = 0;
  std::string code;  // e.g. IT-FO-01; unique
  std::string name;
  std::string country;  // ISO 3166-1 alpha-2
};

struct User {
  int64_t id = 0;
  std::string username;       // unique
  std::string role;           // administrator, data_manager, monitor, investigator, data_entry,
                              // statistician, randomisation_admin, board_member
  std::string site;           // site code; empty for central roles
  std::string password_hash;  // argon2id string; empty when login is disabled
  bool disabled = false;
};

// A script's API token (issue #5): only the SHA-256 of the secret is stored. It acts
// with its own role and site, never more than its owner's.
struct ApiToken {
  int64_t id = 0;
  std::string token_hash;  // hex SHA-256 of the secret; unique
  std::string label;
  std::string username;  // the owner
  std::string role;
  std::string site;  // empty for central roles
  Timestamp created_at;
  bool revoked = false;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;

  // Sites, listed in code order. InsertSite gives kAlreadyExists for a code taken.
  virtual Result<int64_t> InsertSite(const Site& site) = 0;
  virtual Result<std::vector<Site>> ListSites() = 0;
  virtual Result<std::optional<Site>> FindSite(std::string_view code) = 0;

  // Users, listed in username order. InsertUser gives kAlreadyExists for a username taken.
  virtual Result<int64_t> InsertUser(const User& user) = 0;
  virtual Result<std::optional<User>> FindUser(std::string_view username) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Role, site, password hash and disabled flag of the user with this id; kNotFound
  // when there is none.
  [[nodiscard]] virtual Status UpdateUser(const User& user) = 0;

  // API tokens: looked up by the hash of their secret, listed in id order.
  virtual Result<int64_t> InsertApiToken(const ApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens() = 0;
  // kNotFound when there is no token with this id.
  [[nodiscard]] virtual Status RevokeApiToken(int64_t id) = 0;
};

}  // namespace stream
