#include "service/session_registry.h"

#include <algorithm>

#include "service/account_service.h"
#include "service/keyed_random.h"

namespace stream::service {
SessionInfo SessionRegistry::Current(const Entry& e) const {
  SessionInfo info = e.info;
  const int64_t idle_end = e.last_seen_ms + limits_.idle_seconds * 1000;
  const int64_t absolute_end = e.info.started_at.millis() + limits_.absolute_seconds * 1000;
  info.expires_at = Timestamp::FromMillis(std::min(idle_end, absolute_end));
  return info;
}

NewSession SessionRegistry::Start(const User& user) {
  NewSession out;
  out.id = RandomSecret(32);
  Entry e;
  e.info.actor = Actor{user.username, user.role, user.site, ""};
  e.info.csrf_token = RandomSecret(32);
  e.info.credential_stamp = CredentialStamp(user);
  e.info.started_at = clock_.Now();
  e.last_seen_ms = e.info.started_at.millis();
  out.info = Current(e);
  std::lock_guard lock(mu_);
  sessions_[Sha256Hex(out.id)] = std::move(e);
  return out;
}

std::optional<SessionInfo> SessionRegistry::Find(const std::string& id) {
  if (id.empty()) return std::nullopt;
  const std::string key = Sha256Hex(id);
  const int64_t now = clock_.Now().millis();
  std::lock_guard lock(mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  if (Current(it->second).expires_at.millis() <= now) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen_ms = now;
  return Current(it->second);
}

void SessionRegistry::End(const std::string& id) {
  std::lock_guard lock(mu_);
  sessions_.erase(Sha256Hex(id));
}

void SessionRegistry::EndAllOf(const std::string& username) {
  std::lock_guard lock(mu_);
  std::erase_if(sessions_,
                [&](const auto& kv) { return kv.second.info.actor.username == username; });
}

size_t SessionRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace stream::service
