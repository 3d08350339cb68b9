#include "http/server.h"

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <random>

namespace stream::http {
namespace {

std::string NewRequestId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  uint64_t x = rng();
  for (auto& c : id) {
    c = kHex[x & 15];
    x >>= 4;
  }
  return id;
}

void SecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  HealthCheck health;
  httplib::Server server;
  std::atomic<int> bound_port{0};
};

Server::Server(ServerOptions options, HealthCheck health) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->health = std::move(health);
  auto& srv = impl_->server;
  const int threads = impl_->options.threads;
  srv.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  srv.set_payload_max_length(impl_->options.max_body_bytes);
  srv.set_pre_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Request-Id", NewRequestId());
    SecurityHeaders(res);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  srv.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    auto report = impl_->health();
    if (!report.ok()) {
      res.status = 503;
      res.set_content(
          nlohmann::json{{"status", "unavailable"}, {"error", Describe(report.error().code).name}}
              .dump(),
          "application/json");
      return;
    }
    nlohmann::json body = *report;
    body["status"] = "ok";
    res.set_content(body.dump(), "application/json");
  });
  if (!impl_->options.static_dir.empty() &&
      std::filesystem::is_directory(impl_->options.static_dir)) {
    srv.set_mount_point("/", impl_->options.static_dir);
  }
  srv.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      res.set_content(nlohmann::json{{"error", res.status == 404 ? "not_found" : "error"}}.dump(),
                      "application/json");
    }
  });
}

Server::~Server() { Stop(); }

Status Server::Run() {
  auto& srv = impl_->server;
  int port = impl_->options.port;
  if (port == 0) {
    port = srv.bind_to_any_port(impl_->options.host);
  } else if (!srv.bind_to_port(impl_->options.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return Fail(ErrorCode::kStorageError, "cannot listen (address in use?)",
                impl_->options.host + ":" + std::to_string(impl_->options.port));
  }
  impl_->bound_port = port;
  if (!srv.listen_after_bind())
    return Fail(ErrorCode::kInternal, "the server stopped unexpectedly");
  return Ok();
}

void Server::Stop() { impl_->server.stop(); }

int Server::BoundPort() const { return impl_->bound_port; }

}  // namespace stream::http
