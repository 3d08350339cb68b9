#include "service/account_service.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "service/access_policy.h"
#include "service/audit_trail.h"
#include "service/keyed_random.h"
#include "service/transaction_runner.h"

namespace stream::service {
namespace {

constexpr char kTokenPrefix[] = "stk_";

AuditEntry AccountEntry(const Actor& actor, const Clock& clock, std::string entity, int64_t id,
                        std::string action) {
  AuditEntry e;
  e.at = clock.Now();
  e.actor = actor.username;
  e.entity = std::move(entity);
  e.entity_id = id;
  e.action = std::move(action);
  e.request_id = actor.request_id;
  return e;
}

Status CheckRoleAndSite(const std::string& role, const std::string& site) {
  if (!IsRole(role)) {
    std::string known;
    for (const auto& r : Roles()) known += (known.empty() ? "" : ", ") + r;
    return Fail(ErrorCode::kInvalidArgument, "unknown role '" + role + "' (one of " + known + ")",
                "role");
  }
  if (IsSiteRole(role) && site.empty())
    return Fail(ErrorCode::kInvalidArgument, "the role '" + role + "' needs a site", "site");
  if (!IsSiteRole(role) && !site.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the role '" + role + "' is central and has no site",
                "site");
  }
  return Ok();
}

// A token's role and site are within what its owner may do now: the owner's own role
// (administrators may hold tokens of any role) and the owner's site when bound to one.
bool WithinOwner(const User& owner, const std::string& role, const std::string& site) {
  if (role != owner.role && owner.role != "administrator") return false;
  return owner.site.empty() || site == owner.site;
}

void Prune(std::vector<int64_t>& times, int64_t since) {
  times.erase(std::remove_if(times.begin(), times.end(), [&](int64_t t) { return t < since; }),
              times.end());
}

}  // namespace

std::string RandomSecret(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Status AccountService::CheckPassword(const std::string& password) {
  if (password.size() < 12)
    return Fail(ErrorCode::kInvalidArgument, "must have at least 12 characters", "password");
  if (password.size() > 1024)
    return Fail(ErrorCode::kInvalidArgument, "must have at most 1024 characters", "password");
  return Ok();
}

std::string AccountService::HashPassword(const std::string& password) {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return {};  // out of memory: an empty hash disables log-in rather than weakening it
  }
  return hash;
}

std::string AccountService::NewPassword() { return RandomSecret(15); }

Result<User> AccountService::AddAccount(const Actor& actor, const NewAccount& account) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kManageUsers));
  if (account.username.empty() || account.username.size() > 64)
    return Fail(ErrorCode::kInvalidArgument, "needs 1 to 64 characters", "username");
  for (char c : account.username) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return Fail(ErrorCode::kInvalidArgument, "may contain letters, digits, '.', '_' and '-'",
                  "username");
    }
  }
  STREAM_RETURN_IF_ERROR(CheckRoleAndSite(account.role, account.site));
  STREAM_RETURN_IF_ERROR(CheckPassword(account.password));
  User user{0, account.username, account.role, account.site, HashPassword(account.password), false};
  if (user.password_hash.empty()) return Fail(ErrorCode::kInternal, "password hashing failed");
  return RunInTransaction<User>(
      store_, TransactionMode::kWrite, [&](Transaction& tx) -> Result<User> {
        if (!user.site.empty()) {
          STREAM_ASSIGN_OR_RETURN(auto site, tx.FindSite(user.site));
          if (!site)
            return Fail(ErrorCode::kInvalidArgument, "unknown site '" + user.site + "'", "site");
        }
        STREAM_ASSIGN_OR_RETURN(auto existing, tx.FindUser(user.username));
        if (existing) {
          return Fail(ErrorCode::kAlreadyExists, "user '" + user.username + "' exists already",
                      "username");
        }
        STREAM_ASSIGN_OR_RETURN(user.id, tx.InsertUser(user));
        AuditWriter audit(tx);
        AuditEntry e = AccountEntry(actor, clock_, "user", user.id, "create");
        e.new_value = "username=" + user.username + "; role=" + user.role +
                      (user.site.empty() ? "" : "; site=" + user.site);
        STREAM_RETURN_IF_ERROR(audit.Append(std::move(e)));
        return user;
      });
}

Result<std::vector<User>> AccountService::ListAccounts(const Actor& actor) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kManageUsers));
  return RunInTransaction<std::vector<User>>(store_, TransactionMode::kRead,
                                             [](Transaction& tx) { return tx.ListUsers(); });
}

Result<User> AccountService::ChangeAccount(const Actor& actor, const std::string& username,
                                           const AccountChange& change) {
  const bool own_password_only = username == actor.username && change.password && !change.role &&
                                 !change.site && !change.disabled;
  if (!own_password_only) STREAM_RETURN_IF_ERROR(Require(actor, Permission::kManageUsers));
  if (change.password) STREAM_RETURN_IF_ERROR(CheckPassword(*change.password));
  const std::string new_hash = change.password ? HashPassword(*change.password) : std::string();
  return RunInTransaction<User>(
      store_, TransactionMode::kWrite, [&](Transaction& tx) -> Result<User> {
        STREAM_ASSIGN_OR_RETURN(auto stored, tx.FindUser(username));
        if (!stored) return Fail(ErrorCode::kNotFound, "no user '" + username + "'");
        User user = *stored;
        if (change.role) user.role = *change.role;
        if (change.site) user.site = *change.site;
        if (change.disabled) user.disabled = *change.disabled;
        if (change.password) user.password_hash = new_hash;
        STREAM_RETURN_IF_ERROR(CheckRoleAndSite(user.role, user.site));
        if (!user.site.empty()) {
          STREAM_ASSIGN_OR_RETURN(auto site, tx.FindSite(user.site));
          if (!site)
            return Fail(ErrorCode::kInvalidArgument, "unknown site '" + user.site + "'", "site");
        }
        STREAM_RETURN_IF_ERROR(tx.UpdateUser(user));
        AuditWriter audit(tx);
        auto changed = [&](const char* field, const std::string& before, const std::string& after) {
          if (before == after) return Ok();
          AuditEntry e = AccountEntry(actor, clock_, "user", user.id, "update");
          e.field = field;
          e.old_value = before;
          e.new_value = after;
          return audit.Append(std::move(e));
        };
        STREAM_RETURN_IF_ERROR(changed("role", stored->role, user.role));
        STREAM_RETURN_IF_ERROR(changed("site", stored->site, user.site));
        STREAM_RETURN_IF_ERROR(changed("disabled", stored->disabled ? "true" : "false",
                                       user.disabled ? "true" : "false"));
        if (change.password) {
          // The hash itself never enters the audit trail.
          STREAM_RETURN_IF_ERROR(changed("password", "(set)", "(changed)"));
        }
        // Permissions are live: a demotion, a move, a deactivation or a new password ends
        // every API token of the account in the same transaction (sessions are checked
        // against the account at every request: ActorForSession).
        std::string why;
        if (user.role != stored->role) why = "role changed";
        if (user.site != stored->site) why += std::string(why.empty() ? "" : ", ") + "site changed";
        if (user.disabled && !stored->disabled)
          why += std::string(why.empty() ? "" : ", ") + "account disabled";
        if (change.password) why += std::string(why.empty() ? "" : ", ") + "password changed";
        if (!why.empty()) {
          STREAM_ASSIGN_OR_RETURN(auto tokens, tx.ListApiTokens());
          for (const auto& t : tokens) {
            if (t.username != user.username || t.revoked) continue;
            STREAM_RETURN_IF_ERROR(tx.RevokeApiToken(t.id));
            AuditEntry e = AccountEntry(actor, clock_, "api_token", t.id, "revoke");
            e.reason = "owner's account changed: " + why;
            STREAM_RETURN_IF_ERROR(audit.Append(std::move(e)));
          }
        }
        return user;
      });
}

Status AccountService::CheckThrottle(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.Now().millis() / 1000;
  auto& by_account = failures_by_account_[username];
  auto& by_address = failures_by_address_[address];
  Prune(by_account, now - throttle_.window_seconds);
  Prune(by_address, now - throttle_.window_seconds);
  if (static_cast<int>(by_account.size()) >= throttle_.max_failures_per_account ||
      static_cast<int>(by_address.size()) >= throttle_.max_failures_per_address) {
    return Fail(ErrorCode::kRateLimited, "too many failed log-ins: try again in " +
                                             std::to_string(throttle_.window_seconds / 60) +
                                             " minutes");
  }
  return Ok();
}

bool AccountService::RecordFailure(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.Now().millis() / 1000;
  auto& by_account = failures_by_account_[username];
  auto& by_address = failures_by_address_[address];
  by_account.push_back(now);
  by_address.push_back(now);
  return static_cast<int>(by_account.size()) == throttle_.max_failures_per_account ||
         static_cast<int>(by_address.size()) == throttle_.max_failures_per_address;
}

Status AccountService::AuditSessionEvent(const std::string& username, const std::string& action,
                                         const std::string& address, const std::string& reason) {
  return RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    AuditEntry e;
    e.at = clock_.Now();
    e.actor = username.substr(0, 100);  // as given: a failed attempt may name no account
    e.entity = "session";
    e.action = action;
    e.new_value = "address=" + address;
    e.reason = reason;
    AuditWriter audit(tx);
    return audit.Append(std::move(e));
  });
}

Status AccountService::LogOut(const Actor& actor, const std::string& client_address) {
  return AuditSessionEvent(actor.username, "logout", client_address);
}

Result<User> AccountService::LogIn(const std::string& username, const std::string& password,
                                   const std::string& client_address) {
  STREAM_RETURN_IF_ERROR(CheckThrottle(username, client_address));
  auto found = RunInTransaction<std::optional<User>>(
      store_, TransactionMode::kRead, [&](Transaction& tx) { return tx.FindUser(username); });
  if (!found.ok()) return found.error();
  const Error refused = Fail(ErrorCode::kUnauthenticated, "unknown user name or wrong password");
  const User* user = found->has_value() ? &**found : nullptr;
  // A missing account costs the same hash verification as a wrong password, so timing
  // does not tell which user names exist.
  static const std::string dummy = HashPassword("not-a-real-password-xx");
  const std::string& hash = user && !user->password_hash.empty() ? user->password_hash : dummy;
  const bool match = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  if (!user || !match || user->disabled || user->password_hash.empty()) {
    const bool locks = RecordFailure(username, client_address);
    const char* why = !user                         ? "unknown user name"
                      : user->disabled              ? "account disabled"
                      : user->password_hash.empty() ? "no password set"
                                                    : "wrong password";
    STREAM_RETURN_IF_ERROR(AuditSessionEvent(username, "login_failed", client_address, why));
    if (locks) {  // once per lock-out: the attempts it refuses are not written one by one
      STREAM_RETURN_IF_ERROR(AuditSessionEvent(username, "lockout", client_address,
                                               "log-in refused for " +
                                                   std::to_string(throttle_.window_seconds / 60) +
                                                   " minutes after repeated failures"));
    }
    return refused;
  }
  {
    std::lock_guard lock(mu_);
    failures_by_account_.erase(username);
  }
  STREAM_RETURN_IF_ERROR(AuditSessionEvent(username, "login", client_address));
  return *user;
}

Result<IssuedToken> AccountService::IssueToken(const Actor& actor, const std::string& label,
                                               const std::string& role, const std::string& site) {
  if (label.empty() || label.size() > 100)
    return Fail(ErrorCode::kInvalidArgument, "needs 1 to 100 characters", "label");
  const std::string token_role = role.empty() ? actor.role : role;
  const std::string token_site = role.empty() && site.empty() ? actor.site : site;
  STREAM_RETURN_IF_ERROR(CheckRoleAndSite(token_role, token_site));
  // A token never exceeds its owner: the owner's role (administrators may issue any), and
  // the owner's site when the owner is bound to one.
  if (token_role != actor.role && actor.role != "administrator") {
    return Fail(ErrorCode::kPermissionDenied,
                "a token may carry only your own role ('" + actor.role + "')", "role");
  }
  if (!actor.site.empty() && token_site != actor.site) {
    return Fail(ErrorCode::kPermissionDenied, "a token may act only at your site", "site");
  }
  IssuedToken issued;
  issued.secret = kTokenPrefix + RandomSecret(32);
  ApiToken& t = issued.token;
  t.token_hash = Sha256Hex(issued.secret);
  t.label = label;
  t.username = actor.username;
  t.role = token_role;
  t.site = token_site;
  t.created_at = clock_.Now();
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    if (!t.site.empty()) {
      STREAM_ASSIGN_OR_RETURN(auto known, tx.FindSite(t.site));
      if (!known) return Fail(ErrorCode::kInvalidArgument, "unknown site '" + t.site + "'", "site");
    }
    STREAM_ASSIGN_OR_RETURN(t.id, tx.InsertApiToken(t));
    AuditWriter audit(tx);
    AuditEntry e = AccountEntry(actor, clock_, "api_token", t.id, "create");
    e.new_value =
        "label=" + t.label + "; role=" + t.role + (t.site.empty() ? "" : "; site=" + t.site);
    return audit.Append(std::move(e));
  });
  if (!s.ok()) return s.error();
  return issued;
}

Result<std::vector<ApiToken>> AccountService::ListTokens(const Actor& actor) {
  auto all = RunInTransaction<std::vector<ApiToken>>(
      store_, TransactionMode::kRead, [](Transaction& tx) { return tx.ListApiTokens(); });
  if (!all.ok()) return all.error();
  if (Allows(actor.role, Permission::kManageUsers)) return *all;
  std::vector<ApiToken> own;
  for (auto& t : *all)
    if (t.username == actor.username) own.push_back(std::move(t));
  return own;
}

Status AccountService::RevokeToken(const Actor& actor, int64_t token_id) {
  return RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    STREAM_ASSIGN_OR_RETURN(auto all, tx.ListApiTokens());
    auto it =
        std::find_if(all.begin(), all.end(), [&](const ApiToken& t) { return t.id == token_id; });
    // Another user's token is reported as missing, unless the actor manages accounts.
    if (it == all.end() ||
        (it->username != actor.username && !Allows(actor.role, Permission::kManageUsers))) {
      return Fail(ErrorCode::kNotFound, "no API token " + std::to_string(token_id));
    }
    if (it->revoked) return Ok();
    STREAM_RETURN_IF_ERROR(tx.RevokeApiToken(token_id));
    AuditWriter audit(tx);
    return audit.Append(AccountEntry(actor, clock_, "api_token", token_id, "revoke"));
  });
}

Result<Actor> AccountService::ActorForToken(const std::string& secret) {
  const Error refused = Fail(ErrorCode::kUnauthenticated, "unknown or revoked API token");
  if (secret.rfind(kTokenPrefix, 0) != 0) return refused;
  const std::string hash = Sha256Hex(secret);
  return RunInTransaction<Actor>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<Actor> {
        STREAM_ASSIGN_OR_RETURN(auto token, tx.FindApiToken(hash));
        if (!token || token->revoked) return refused;
        STREAM_ASSIGN_OR_RETURN(auto owner, tx.FindUser(token->username));
        if (!owner || owner->disabled) return refused;
        // Never beyond the owner as the owner is now (changes revoke tokens, but the
        // account may have been changed by other means).
        if (!WithinOwner(*owner, token->role, token->site)) return refused;
        return Actor{token->username, token->role, token->site, ""};
      });
}

std::string CredentialStamp(const User& user) {
  return Sha256Hex(user.role + '\n' + user.site + '\n' + user.password_hash);
}

Result<Actor> AccountService::ActorForSession(const Actor& signed_in,
                                              const std::string& credential_stamp) {
  const Error ended =
      Fail(ErrorCode::kUnauthenticated, "the session has ended: the account changed; log in again");
  return RunInTransaction<Actor>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<Actor> {
        STREAM_ASSIGN_OR_RETURN(auto user, tx.FindUser(signed_in.username));
        if (!user || user->disabled || user->password_hash.empty()) return ended;
        if (user->role != signed_in.role || user->site != signed_in.site) return ended;
        const std::string stamp = CredentialStamp(*user);
        if (stamp.size() != credential_stamp.size() ||
            sodium_memcmp(stamp.data(), credential_stamp.data(), stamp.size()) != 0) {
          return ended;
        }
        return Actor{user->username, user->role, user->site, signed_in.request_id};
      });
}

}  // namespace stream::service
