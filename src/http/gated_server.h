// The cpp-httplib server behind http::Server: over plain HTTP a GatedServer, which serves
// each connection on its own thread through a LimitedStream within the gate's limits;
// over HTTPS cpp-httplib's own TLS server, with its thread pool.
//
// Internal to src/http. Thread safety as cpp-httplib's: configure before listening.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <functional>
#include <memory>

#include "http/connection_gate.h"
#include "http/server.h"

namespace stream::http {

// Requests one kept-alive connection may carry.
inline constexpr size_t kMaxRequestsPerConnection = 100000;

// The task queue of a GatedServer: gives every admitted connection its own thread; runs
// a refused one inline, which answers 503 and closes without reading.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(std::shared_ptr<ConnectionGate> gate) : gate_(std::move(gate)) {}

  void enqueue(std::function<void()> fn) override;
  void shutdown() override { gate_->StopAll(); }

 private:
  std::shared_ptr<ConnectionGate> gate_;
};

// cpp-httplib's server with each plain-HTTP connection served on its own thread through
// a LimitedStream, one request after another (keep-alive), instead of its own loop.
// Its `new_task_queue` must make ConnectionThreads of the same gate.
class GatedServer : public httplib::Server {
 public:
  // `options` must outlive the server.
  GatedServer(const ServerOptions& options, std::shared_ptr<ConnectionGate> gate)
      : options_(options), gate_(std::move(gate)) {}

 private:
  bool process_and_close_socket(socket_t sock) override;

  const ServerOptions& options_;
  std::shared_ptr<ConnectionGate> gate_;
};

// An HTTPS server when `options` names a certificate (and cpp-httplib was built with
// OpenSSL), else a GatedServer on `gate`. `options` must outlive the server.
std::unique_ptr<httplib::Server> MakeServer(const ServerOptions& options,
                                            const std::shared_ptr<ConnectionGate>& gate);

}  // namespace stream::http
