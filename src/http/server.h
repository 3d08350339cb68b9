// The HTTP server, behind which cpp-httplib is kept: nothing outside src/http includes
// httplib.h. It serves the health endpoint, the REST API under /api/v1 (http/router.h)
// and the browser app's static files, over HTTPS when given a certificate.
//
// Every response carries the security headers of reliability.md and a request id; no
// response names the server software.
//
// Limits that hold before authentication (issue #15), for plain HTTP:
//  - every connection has its own thread (at most `max_connections`; beyond that a new
//    connection is answered 503 and closed), while API handlers run at most `threads` at
//    a time: a client that sends slowly holds a cheap waiting thread, never a worker;
//  - the request line and headers must arrive within `header_timeout_seconds` and
//    `max_header_bytes`, the body within `body_timeout_seconds`, and an idle kept-alive
//    connection is closed after `keep_alive_seconds`;
//  - a body larger than `max_body_bytes` is refused with 413 whether it is sized
//    (Content-Length) or chunked, and the connection is closed; compressed request
//    bodies (Content-Encoding) are refused with 415 and bodies on GET with 400.
// Over HTTPS (cpp-httplib's own TLS server) the body limits hold, but connections share
// the `threads` workers and only cpp-httplib's per-read timeout applies.
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
  int port = 8080;             // 0 picks a free port (see BoundPort)
  std::string static_dir;      // the browser app; empty to serve none
  int threads = 8;             // API requests handled at the same time
  int max_connections = 1024;  // open connections (each waits on its own thread)
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 64 << 10;  // request line and headers together
  int header_timeout_seconds = 10;     // from the first byte (or connecting) to the last header
  int body_timeout_seconds = 60;       // from the last header to the end of the body
  int keep_alive_seconds = 5;          // idle time allowed between two requests
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
