// The SQL statements of who may act (core/account_repository.h): sites, user accounts
// and API tokens.
#include "storage/sql/sql_transaction.h"

namespace stream::storage {
namespace {

constexpr const char* kSiteSelect = "SELECT id, code, name, country FROM sites";
constexpr const char* kUserSelect =
    "SELECT id, username, role, site, password_hash, disabled FROM users";
constexpr const char* kTokenSelect =
    "SELECT id, token_hash, label, username, role, site, created_at, revoked FROM api_tokens";

Site ReadSite(const soci::row& r) {
  return {RowInt(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3)};
}

User ReadUser(const soci::row& r) {
  return {RowInt(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3), RowText(r, 4), RowBool(r, 5)};
}

ApiToken ReadToken(const soci::row& r) {
  return {RowInt(r, 0),  RowText(r, 1), RowText(r, 2),      RowText(r, 3),
          RowText(r, 4), RowText(r, 5), RowTimestamp(r, 6), RowBool(r, 7)};
}

// Central roles have no site: NULL, not "", so the foreign key to sites holds.
soci::indicator SiteIndicator(const std::string& site) {
  return site.empty() ? soci::i_null : soci::i_ok;
}

}  // namespace

Result<int64_t> SqlTransaction::InsertSite(const Site& s) {
  return InsertRow("insert site", "INSERT INTO sites (code, name, country) VALUES (:c, :n, :k)",
                   soci::use(s.code), soci::use(s.name), soci::use(s.country));
}

Result<std::vector<Site>> SqlTransaction::ListSites() {
  return ReadRows("list sites", std::string(kSiteSelect) + " ORDER BY code", ReadSite);
}

Result<std::optional<Site>> SqlTransaction::FindSite(std::string_view code) {
  const std::string c(code);
  return ReadRow("find site", std::string(kSiteSelect) + " WHERE code = :c", ReadSite,
                 soci::use(c));
}

Result<int64_t> SqlTransaction::InsertUser(const User& u) {
  soci::indicator site_ind = SiteIndicator(u.site);
  const int disabled = u.disabled ? 1 : 0;
  return InsertRow("insert user",
                   "INSERT INTO users (username, role, site, password_hash, disabled) "
                   "VALUES (:u, :r, :s, :p, :d)",
                   soci::use(u.username), soci::use(u.role), soci::use(u.site, site_ind),
                   soci::use(u.password_hash), soci::use(disabled));
}

Result<std::optional<User>> SqlTransaction::FindUser(std::string_view username) {
  const std::string name(username);
  return ReadRow("find user", std::string(kUserSelect) + " WHERE username = :u", ReadUser,
                 soci::use(name));
}

Result<std::vector<User>> SqlTransaction::ListUsers() {
  return ReadRows("list users", std::string(kUserSelect) + " ORDER BY username", ReadUser);
}

Status SqlTransaction::UpdateUser(const User& u) {
  soci::indicator site_ind = SiteIndicator(u.site);
  const int disabled = u.disabled ? 1 : 0;
  const long long id = u.id;
  return UpdateRow("update user",
                   "UPDATE users SET role = :r, site = :s, password_hash = :p, disabled = :d "
                   "WHERE id = :id",
                   "no such user", soci::use(u.role), soci::use(u.site, site_ind),
                   soci::use(u.password_hash), soci::use(disabled), soci::use(id));
}

Result<int64_t> SqlTransaction::InsertApiToken(const ApiToken& t) {
  soci::indicator site_ind = SiteIndicator(t.site);
  const std::string at = t.created_at.ToString();
  const int revoked = t.revoked ? 1 : 0;
  return InsertRow("insert API token",
                   "INSERT INTO api_tokens (token_hash, label, username, role, site, created_at, "
                   "revoked) VALUES (:h, :l, :u, :r, :s, :at, :rv)",
                   soci::use(t.token_hash), soci::use(t.label), soci::use(t.username),
                   soci::use(t.role), soci::use(t.site, site_ind), soci::use(at),
                   soci::use(revoked));
}

Result<std::optional<ApiToken>> SqlTransaction::FindApiToken(std::string_view token_hash) {
  const std::string h(token_hash);
  return ReadRow("find API token", std::string(kTokenSelect) + " WHERE token_hash = :h", ReadToken,
                 soci::use(h));
}

Result<std::vector<ApiToken>> SqlTransaction::ListApiTokens() {
  return ReadRows("list API tokens", std::string(kTokenSelect) + " ORDER BY id", ReadToken);
}

Status SqlTransaction::RevokeApiToken(int64_t id) {
  const long long i = id;
  return UpdateRow("revoke API token", "UPDATE api_tokens SET revoked = 1 WHERE id = :id",
                   "no such API token", soci::use(i));
}

}  // namespace stream::storage
