#include "http/server.h"

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <random>

#include "http/router.h"

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

ApiRequest ToApiRequest(const httplib::Request& req, const std::string& request_id) {
  ApiRequest out;
  out.method = req.method;
  out.path = req.path;
  for (const auto& [k, v] : req.params) out.query.emplace(k, v);
  for (const auto& [k, v] : req.headers) {
    std::string name = k;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = v;
  }
  out.body = req.body;
  out.remote_address = req.remote_addr;
  out.request_id = request_id;
  return out;
}

std::unique_ptr<httplib::Server> MakeServer(const ServerOptions& options) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (!options.tls_certificate_file.empty()) {
    return std::make_unique<httplib::SSLServer>(options.tls_certificate_file.c_str(),
                                                options.tls_private_key_file.c_str());
  }
#endif
  return std::make_unique<httplib::Server>();
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  HealthCheck health;
  const Router* api = nullptr;
  std::unique_ptr<httplib::Server> server;
  std::atomic<int> bound_port{0};
};

Server::Server(ServerOptions options, HealthCheck health, const Router* api)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->health = std::move(health);
  impl_->api = api;
  impl_->server = MakeServer(impl_->options);
  auto& srv = *impl_->server;
  const int threads = impl_->options.threads;
  srv.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  srv.set_payload_max_length(impl_->options.max_body_bytes);
  // Without TCP_NODELAY a response written as headers then body waits for the client's
  // delayed ACK (40 ms on Linux) on every kept-alive request (bench/run-api found it).
  srv.set_tcp_nodelay(true);
  srv.set_keep_alive_max_count(100000);
  srv.set_pre_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Request-Id", NewRequestId());
    SecurityHeaders(res);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  if (api) {
    // Registered per method, because cpp-httplib reads the body only for a matched handler.
    auto handle = [api](const httplib::Request& req, httplib::Response& res) {
      ApiResponse out = api->Handle(ToApiRequest(req, res.get_header_value("X-Request-Id")));
      res.status = out.status;
      for (const auto& [name, value] : out.headers) res.set_header(name, value);
      if (!out.body.empty()) res.set_content(out.body, out.content_type);
    };
    const std::string pattern = std::string(kApiPrefix) + "/.*";
    srv.Get(pattern, handle);
    srv.Post(pattern, handle);
    srv.Patch(pattern, handle);
    srv.Put(pattern, handle);
    srv.Delete(pattern, handle);
  }
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
    if (res.status == 413) {
      res.set_content(nlohmann::json{{"error",
                                      {{"code", "invalid_argument"},
                                       {"message", "the request body is too large"},
                                       {"where", "body"}}}}
                          .dump(),
                      "application/json");
      return;
    }
    if (res.body.empty()) {
      res.set_content(nlohmann::json{{"error", res.status == 404 ? "not_found" : "error"}}.dump(),
                      "application/json");
    }
  });
}

Server::~Server() { Stop(); }

Status Server::Run() {
  auto& srv = *impl_->server;
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

void Server::Stop() { impl_->server->stop(); }

int Server::BoundPort() const { return impl_->bound_port; }

}  // namespace stream::http
