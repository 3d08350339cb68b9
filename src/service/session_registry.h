// Browser sessions (issue #5): a random 256-bit id per log-in, held in the server's
// memory only (a restart signs everyone out), with an idle and an absolute time-out and
// a CSRF token per session. The id is never stored or logged in clear: the table is
// keyed by its SHA-256. A session records the account's credential stamp at log-in, so
// every request can check it against the account as it is now
// (AccountService::ActorForSession): sessions of this and of every other server end when
// the account changes. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/store.h"
#include "service/actor.h"

namespace stream::service {

struct SessionLimits {
  int64_t idle_seconds = 30 * 60;
  int64_t absolute_seconds = 12 * 60 * 60;
};

struct SessionInfo {
  Actor actor;
  std::string csrf_token;
  std::string credential_stamp;  // CredentialStamp of the account at log-in
  Timestamp started_at;
  Timestamp expires_at;  // the earlier of the idle and the absolute limit, as of now
};

struct NewSession {
  std::string id;  // for the cookie; shown once
  SessionInfo info;
};

class SessionRegistry {
 public:
  SessionRegistry(const Clock& clock, SessionLimits limits) : clock_(clock), limits_(limits) {}

  // A fresh session (a new id at every log-in: no session fixation).
  NewSession Start(const User& user);
  // The session of `id` when it is live, touching its idle clock; nullopt otherwise
  // (unknown, idle too long, or past its absolute limit — expired ones are removed).
  std::optional<SessionInfo> Find(const std::string& id);
  void End(const std::string& id);
  // Ends every session of a user (disabled account, changed password).
  void EndAllOf(const std::string& username);
  size_t size() const;

 private:
  struct Entry {
    SessionInfo info;
    int64_t last_seen_ms = 0;
  };
  SessionInfo Current(const Entry& e) const;

  const Clock& clock_;
  SessionLimits limits_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> sessions_;  // by SHA-256 of the id
};

}  // namespace stream::service
