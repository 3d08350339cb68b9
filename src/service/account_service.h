// Accounts, log-in and API tokens (issue #5).
//
// Passwords are stored only as argon2id strings (libsodium crypto_pwhash_str with the
// "interactive" limits, 64 MiB and 2 passes, above OWASP's minimum of 19 MiB); there is
// no default password. Failed log-ins
// are throttled per account and per client address. API tokens are random 256-bit
// secrets shown once; only their SHA-256 is stored, and each acts with its own role
// and site, never beyond its owner's as the owner is now. Every change is audited.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/store.h"
#include "service/actor.h"

namespace stream::service {

struct NewAccount {
  std::string username;
  std::string role;
  std::string site;  // required for site roles, empty for central roles
  std::string password;
};

// What may change on an account; unset members stay as they are.
struct AccountChange {
  std::optional<std::string> role;
  std::optional<std::string> site;
  std::optional<bool> disabled;
  std::optional<std::string> password;
};

struct IssuedToken {
  ApiToken token;      // as stored (hash only)
  std::string secret;  // "stk_…": shown once, never stored
};

// Log-in throttling: how many failures in the window lock an account or an address.
struct ThrottlePolicy {
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  int64_t window_seconds = 15 * 60;
};

class AccountService {
 public:
  AccountService(Store& store, const Clock& clock, ThrottlePolicy throttle = {})
      : store_(store), clock_(clock), throttle_(throttle) {}

  // kManageUsers. (The first administrator is added on the command line, whose operator
  // holds the database files: `stream user add --admin`.)
  Result<User> AddAccount(const Actor& actor, const NewAccount& account);
  Result<std::vector<User>> ListAccounts(const Actor& actor);
  Result<User> ChangeAccount(const Actor& actor, const std::string& username,
                             const AccountChange& change);

  // The account, when the password matches and the account is enabled; otherwise
  // kUnauthenticated with one message for every cause, or kRateLimited while throttled.
  // Every attempt is a security event in the audit trail (entity `session`, by the user
  // name given, with the client address): `login`, `login_failed` with its cause, and
  // `lockout` once when repeated failures start the throttle (attempts refused while
  // throttled are not written one by one).
  Result<User> LogIn(const std::string& username, const std::string& password,
                     const std::string& client_address);
  // Audits the end of a browser session (`logout`); the session registry ends it.
  Status LogOut(const Actor& actor, const std::string& client_address);

  // Tokens: an actor issues tokens for themselves; administrators list and revoke all.
  Result<IssuedToken> IssueToken(const Actor& actor, const std::string& label,
                                 const std::string& role, const std::string& site);
  Result<std::vector<ApiToken>> ListTokens(const Actor& actor);
  Status RevokeToken(const Actor& actor, int64_t token_id);
  // The actor a presented secret acts as; kUnauthenticated when unknown, revoked, its
  // owner is disabled, or its role or site is beyond what the owner holds now. A change
  // of the owner's role, site, password or a deactivation (ChangeAccount) revokes every
  // token of the owner in the same transaction, audited with the reason.
  Result<Actor> ActorForToken(const std::string& secret);
  // Live check of a browser session (issue 15): the signed-in actor as the account is
  // now, or kUnauthenticated when the account is gone or disabled, or its role, site or
  // password changed since log-in (`credential_stamp` = CredentialStamp at log-in). The
  // caller ends such a session. One read of the store per call.
  Result<Actor> ActorForSession(const Actor& signed_in, const std::string& credential_stamp);

  // Password rules: at least 12 characters. Exposed for the command line.
  static Status CheckPassword(const std::string& password);
  static std::string HashPassword(const std::string& password);
  static std::string NewPassword();  // 20 random characters, for demo accounts

 private:
  Status CheckThrottle(const std::string& username, const std::string& address);
  // Counts a failure; true when it is the one that starts the throttle.
  bool RecordFailure(const std::string& username, const std::string& address);
  Status AuditSessionEvent(const std::string& username, const std::string& action,
                           const std::string& address, const std::string& reason = "");

  Store& store_;
  const Clock& clock_;
  ThrottlePolicy throttle_;
  std::mutex mu_;
  std::map<std::string, std::vector<int64_t>> failures_by_account_;  // epoch seconds
  std::map<std::string, std::vector<int64_t>> failures_by_address_;
};

// A digest of what a session was granted on: role, site and password hash. A session
// whose stamp differs from its account's current one has ended.
std::string CredentialStamp(const User& user);

// URL-safe base64 of `bytes` random bytes from the operating system (libsodium): the
// secrets of passwords made for demo accounts, API tokens, session ids and CSRF tokens.
std::string RandomSecret(size_t bytes);

}  // namespace stream::service
