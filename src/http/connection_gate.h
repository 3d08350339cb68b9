// How many connections a plain-HTTP server holds open and how many API requests it
// handles at once (http/server.h, issue #15): every admitted connection has its own
// thread, and a WorkerSlot held around each handler bounds the work in progress.
//
// Internal to src/http. Thread-safe: shared (shared_ptr) by the server, its task queue
// and every connection thread, so no thread outlives what it touches.
#pragma once

#include <condition_variable>
#include <mutex>
#include <set>

namespace stream::http {

// Connections and workers of one server.
class ConnectionGate {
 public:
  // Both limits are at least 1.
  ConnectionGate(int max_connections, int workers);

  // On the accept thread: whether a new connection may have its own thread. A connection
  // admitted calls Leave when it ends.
  bool Admit();
  void Leave();
  // The sockets of live connections, so that StopAll can wake them.
  void Register(int sock);
  void Unregister(int sock);
  bool stopping() const;
  // Wakes every connection (its reads fail at once) and waits until all have ended.
  void StopAll();
  // Blocks until fewer than `workers` handlers run.
  void AcquireWorker();
  void ReleaseWorker();

 private:
  const int max_connections_;
  const int workers_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int active_ = 0;
  int busy_ = 0;
  bool stopping_ = false;
  std::set<int> sockets_;
};

// One worker of `gate` for the scope; a null gate (HTTPS, whose thread pool is the bound)
// holds nothing.
class WorkerSlot {
 public:
  explicit WorkerSlot(ConnectionGate* gate) : gate_(gate) {
    if (gate_) gate_->AcquireWorker();
  }
  ~WorkerSlot() {
    if (gate_) gate_->ReleaseWorker();
  }
  WorkerSlot(const WorkerSlot&) = delete;
  WorkerSlot& operator=(const WorkerSlot&) = delete;

 private:
  ConnectionGate* gate_;
};

}  // namespace stream::http
