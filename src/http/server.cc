// http::Server: the routes it answers (health, the API through the router, static
// files) with the headers every response carries and the checks made before routing,
// and binding and running the cpp-httplib server that serves them.
#include "http/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "http/connection_gate.h"
#include "http/gated_server.h"
#include "http/limited_stream.h"
#include "http/request_body.h"
#include "http/router.h"

namespace stream::http {
namespace {

void SecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
}

ApiRequest ToApiRequest(const httplib::Request& req, std::string body,
                        const std::string& request_id) {
  ApiRequest out;
  out.method = req.method;
  out.path = req.path;
  for (const auto& [k, v] : req.params) out.query.emplace(k, v);
  for (const auto& [k, v] : req.headers) {
    std::string name = k;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = v;
  }
  out.body = std::move(body);
  out.remote_address = req.remote_addr;
  out.request_id = request_id;
  return out;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  HealthCheck health;
  const Router* api = nullptr;
  std::shared_ptr<ConnectionGate> gate;
  std::unique_ptr<httplib::Server> server;
  std::atomic<int> bound_port{0};
};

Server::Server(ServerOptions options, HealthCheck health, const Router* api)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->health = std::move(health);
  impl_->api = api;
  const ServerOptions& opts = impl_->options;
  impl_->gate = std::make_shared<ConnectionGate>(opts.max_connections, opts.threads);
  impl_->server = MakeServer(opts, impl_->gate);
  auto& srv = *impl_->server;
  const bool gated = dynamic_cast<GatedServer*>(&srv) != nullptr;
  if (gated) {
    srv.new_task_queue = [gate = impl_->gate] { return new ConnectionThreads(gate); };
  } else {
    const int threads = opts.threads;
    srv.new_task_queue = [threads] {
      return new httplib::ThreadPool(static_cast<size_t>(threads));
    };
    srv.set_read_timeout(opts.header_timeout_seconds, 0);
    srv.set_keep_alive_timeout(opts.keep_alive_seconds);
  }
  ConnectionGate* workers = gated ? impl_->gate.get() : nullptr;
  srv.set_payload_max_length(opts.max_body_bytes);
  // Without TCP_NODELAY a response written as headers then body waits for the client's
  // delayed ACK (40 ms on Linux) on every kept-alive request (bench/run-api found it).
  srv.set_tcp_nodelay(true);
  srv.set_keep_alive_max_count(kMaxRequestsPerConnection);
  // cpp-httplib sets SO_REUSEPORT, with which a second `stream serve` on the same port
  // starts and the kernel splits connections between the two; SO_REUSEADDR alone still
  // allows a restart while old connections linger in TIME_WAIT.
  srv.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // A body announced too large is refused before the client sends it.
  const size_t max_body = opts.max_body_bytes;
  srv.set_expect_100_continue_handler(
      [max_body](const httplib::Request& req, httplib::Response& res) {
        const std::string length = req.get_header_value("Content-Length");
        if (!length.empty() &&
            (length.size() > 19 || std::strtoull(length.c_str(), nullptr, 10) > max_body)) {
          // cpp-httplib writes the response as it is, status included.
          Refuse(res, ErrorCode::kPayloadTooLarge, "the request body is too large", "body");
          return 413;
        }
        return 100;
      });
  const bool serves_api = api != nullptr;
  srv.set_pre_routing_handler([serves_api](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Request-Id", NewRequestId());
    SecurityHeaders(res);
    const bool api_route = req.path.rfind(std::string(kApiPrefix) + "/", 0) == 0;
    const bool body_method = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                             req.method == "DELETE";
    if (body_method && !(serves_api && api_route)) {
      // Only API routes read bodies: refuse before cpp-httplib reads one for nobody.
      Refuse(res, ErrorCode::kNotFound, "no such route", req.path);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!body_method && HasBodyHeaders(req)) {
      Refuse(res, ErrorCode::kMalformedRequest, "a " + req.method + " request has no body", "body");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  if (api) {
    auto respond = [api, workers](const httplib::Request& req, std::string body,
                                  httplib::Response& res) {
      WorkerSlot slot(workers);
      ApiResponse out =
          api->Handle(ToApiRequest(req, std::move(body), res.get_header_value("X-Request-Id")));
      res.status = out.status;
      for (const auto& [name, value] : out.headers) res.set_header(name, value);
      if (!out.body.empty()) res.set_content(out.body, out.content_type);
    };
    // With a content reader, so the body is read here within the limit, not by cpp-httplib.
    auto with_body = [respond, max_body](const httplib::Request& req, httplib::Response& res,
                                         const httplib::ContentReader& reader) {
      std::string body;
      if (!ReadBody(req, res, reader, max_body, body)) return;
      respond(req, std::move(body), res);
    };
    auto without_body = [respond](const httplib::Request& req, httplib::Response& res) {
      respond(req, std::string(), res);
    };
    const std::string pattern = std::string(kApiPrefix) + "/.*";
    srv.Get(pattern, without_body);
    srv.Post(pattern, with_body);
    srv.Patch(pattern, with_body);
    srv.Put(pattern, with_body);
    srv.Delete(pattern, with_body);
  }
  srv.Get("/healthz", [this, workers](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    WorkerSlot slot(workers);
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
  if (!opts.static_dir.empty() && std::filesystem::is_directory(opts.static_dir)) {
    srv.set_mount_point("/", opts.static_dir);
  }
  srv.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 413) {
      Refuse(res, ErrorCode::kPayloadTooLarge, "the request body is too large", "body");
      return;
    }
    if (res.body.empty()) {
      // What cpp-httplib refuses itself (a bad request line, headers too large, a URI too
      // long, no such file): the same error shape, the status it chose kept.
      const int status = res.status;
      if (status == 404) {
        Refuse(res, ErrorCode::kNotFound, "not found", "path");
      } else {
        Refuse(res, status < 500 ? ErrorCode::kMalformedRequest : ErrorCode::kInternal,
               status < 500 ? "the request could not be read" : "unexpected failure", "");
      }
      res.status = status;
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
