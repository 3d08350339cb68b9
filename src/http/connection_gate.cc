// The count of open connections and busy workers of one server, and waking every
// connection when the server stops.
#include "http/connection_gate.h"

#include <sys/socket.h>

#include <algorithm>

namespace stream::http {

ConnectionGate::ConnectionGate(int max_connections, int workers)
    : max_connections_(std::max(1, max_connections)), workers_(std::max(1, workers)) {}

bool ConnectionGate::Admit() {
  std::lock_guard lock(mu_);
  if (stopping_ || active_ >= max_connections_) return false;
  ++active_;
  return true;
}

void ConnectionGate::Leave() {
  std::lock_guard lock(mu_);
  --active_;
  cv_.notify_all();
}

void ConnectionGate::Register(int sock) {
  std::lock_guard lock(mu_);
  sockets_.insert(sock);
  if (stopping_) ::shutdown(sock, SHUT_RDWR);
}

void ConnectionGate::Unregister(int sock) {
  std::lock_guard lock(mu_);
  sockets_.erase(sock);
}

bool ConnectionGate::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

void ConnectionGate::StopAll() {
  std::unique_lock lock(mu_);
  stopping_ = true;
  for (int sock : sockets_) ::shutdown(sock, SHUT_RDWR);
  cv_.wait(lock, [&] { return active_ == 0; });
}

void ConnectionGate::AcquireWorker() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return busy_ < workers_; });
  ++busy_;
}

void ConnectionGate::ReleaseWorker() {
  std::lock_guard lock(mu_);
  --busy_;
  cv_.notify_all();
}

}  // namespace stream::http
