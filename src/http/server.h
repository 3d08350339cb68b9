// The HTTP server, behind which cpp-httplib is kept: nothing outside src/http includes
// httplib.h. It serves the health endpoint, the REST API under /api/v1 (http/router.h)
// and the browser app's static files, over HTTPS when given a certificate.
//
// Every response carries the security headers of reliability.md and a request id; no
// response names the server software.
// Run blocks until Stop is called from another thread (or a signal handler's helper).
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"

namespace stream::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;         // 0 picks a free port (see BoundPort)
  std::string static_dir;  // the browser app; empty to serve none
  int threads = 8;
  size_t max_body_bytes = 1 << 20;
  // TLS: both set to serve HTTPS directly; both empty to serve HTTP behind a reverse proxy.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // Sessions (issue #5): idle and absolute time-outs.
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
};

// What GET /healthz reports; an error makes it answer 503.
using HealthCheck = std::function<Result<nlohmann::json>()>;

class Server {
 public:
  // `api` may be null (health and static files only); it must outlive the server.
  Server(ServerOptions options, HealthCheck health, const class Router* api = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves until Stop. kStorageError (with the address) when it cannot bind.
  [[nodiscard]] Status Run();
  void Stop();
  // The bound port once Run has bound (useful with port 0); 0 before.
  int BoundPort() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stream::http
