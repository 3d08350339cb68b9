#include "http/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>
#include <string_view>
#include <thread>

#include "http/router.h"

namespace stream::http {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Raw bytes a body may take on the wire beyond its decoded size (chunk framing), so a
// body in small chunks is not refused for its framing alone.
constexpr size_t kBodyFramingFactor = 4;
constexpr size_t kBodyFramingSlack = 64 << 10;
// What a refused connection's remaining upload may cost before it is closed.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr size_t kLingerBytes = 8 << 20;
constexpr size_t kMaxRequestsPerConnection = 100000;

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

int RemainingMillis(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, 24 * 3600 * 1000));
}

bool WaitFor(int sock, short events, int timeout_ms) {
  pollfd p{sock, events, 0};
  int r = 0;
  do {
    r = ::poll(&p, 1, timeout_ms);
  } while (r < 0 && errno == EINTR);
  return r > 0;
}

void AddressOf(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof(text));
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof(text));
    port = ntohs(a.sin6_port);
  }
  ip = text;
}

// Connections and workers of one server. Shared (shared_ptr) by the server, its task
// queue and every connection thread, so no thread outlives what it touches.
class ConnectionGate {
 public:
  ConnectionGate(int max_connections, int workers)
      : max_connections_(std::max(1, max_connections)), workers_(std::max(1, workers)) {}

  // On the accept thread: whether a new connection may have its own thread.
  bool Admit() {
    std::lock_guard lock(mu_);
    if (stopping_ || active_ >= max_connections_) return false;
    ++active_;
    return true;
  }
  void Leave() {
    std::lock_guard lock(mu_);
    --active_;
    cv_.notify_all();
  }
  void Register(int sock) {
    std::lock_guard lock(mu_);
    sockets_.insert(sock);
    if (stopping_) ::shutdown(sock, SHUT_RDWR);
  }
  void Unregister(int sock) {
    std::lock_guard lock(mu_);
    sockets_.erase(sock);
  }
  bool stopping() const {
    std::lock_guard lock(mu_);
    return stopping_;
  }
  // Wakes every connection (its reads fail at once) and waits until all have ended.
  void StopAll() {
    std::unique_lock lock(mu_);
    stopping_ = true;
    for (int sock : sockets_) ::shutdown(sock, SHUT_RDWR);
    cv_.wait(lock, [&] { return active_ == 0; });
  }
  void AcquireWorker() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return busy_ < workers_; });
    ++busy_;
  }
  void ReleaseWorker() {
    std::lock_guard lock(mu_);
    --busy_;
    cv_.notify_all();
  }

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

// Set on the accept thread while it closes a connection it has no room for.
thread_local bool t_refusing = false;

// Gives every admitted connection its own thread; runs a refused one inline, which
// answers 503 and closes without reading.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(std::shared_ptr<ConnectionGate> gate) : gate_(std::move(gate)) {}

  void enqueue(std::function<void()> fn) override {
    auto task = std::make_shared<std::function<void()>>(std::move(fn));
    if (gate_->Admit()) {
      try {
        std::thread([gate = gate_, task] {
          (*task)();
          gate->Leave();
        }).detach();
        return;
      } catch (const std::system_error&) {
        gate_->Leave();  // no thread to be had: refuse like a full server
      }
    }
    t_refusing = true;
    (*task)();
    t_refusing = false;
  }
  void shutdown() override { gate_->StopAll(); }

 private:
  std::shared_ptr<ConnectionGate> gate_;
};

// One plain-HTTP connection as cpp-httplib reads it, with the limits of ServerOptions:
// every read waits at most until the current phase's deadline, and each phase (request
// line and headers; body) may read only so many bytes. Used by one thread at a time.
class LimitedStream : public httplib::Stream {
 public:
  LimitedStream(int sock, const ServerOptions& options) : sock_(sock), options_(options) {}

  // Waits up to `timeout_ms` for the first byte of the next request.
  bool WaitForRequest(int timeout_ms) {
    return used_ < filled_ || WaitFor(sock_, POLLIN, timeout_ms);
  }
  void StartHeaders() {
    Enter(std::chrono::seconds(options_.header_timeout_seconds), options_.max_header_bytes);
  }
  void StartBody() {
    Enter(std::chrono::seconds(options_.body_timeout_seconds),
          options_.max_body_bytes * kBodyFramingFactor + kBodyFramingSlack);
  }
  // The current phase hit its byte limit / its deadline.
  bool over_limit() const { return over_limit_; }
  bool timed_out() const { return timed_out_; }
  // The request was refused with its body unread: the connection cannot carry another.
  void CloseAfterResponse() { close_after_response_ = true; }
  bool close_after_response() const { return close_after_response_; }

  bool is_readable() const override {
    return used_ < filled_ || WaitFor(sock_, POLLIN, RemainingMillis(deadline_));
  }
  bool is_writable() const override {
    return WaitFor(sock_, POLLOUT, options_.body_timeout_seconds * 1000);
  }
  ssize_t read(char* ptr, size_t size) override {
    if (phase_bytes_ >= phase_limit_) {
      over_limit_ = true;
      return -1;
    }
    size = std::min(size, phase_limit_ - phase_bytes_);
    if (used_ == filled_) {
      if (!WaitFor(sock_, POLLIN, RemainingMillis(deadline_))) {
        timed_out_ = true;
        return -1;
      }
      ssize_t n = 0;
      do {
        n = ::recv(sock_, buffer_, sizeof(buffer_), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      used_ = 0;
      filled_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, filled_ - used_);
    std::memcpy(ptr, buffer_ + used_, n);
    used_ += n;
    phase_bytes_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n = 0;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      AddressOf(addr, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      AddressOf(addr, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  void Enter(std::chrono::seconds time, size_t bytes) {
    deadline_ = SteadyClock::now() + time;
    phase_limit_ = bytes;
    phase_bytes_ = 0;
    over_limit_ = timed_out_ = false;
  }

  const int sock_;
  const ServerOptions& options_;
  char buffer_[16 << 10];
  size_t used_ = 0, filled_ = 0;
  SteadyClock::time_point deadline_ = SteadyClock::now();
  size_t phase_limit_ = 0, phase_bytes_ = 0;
  bool over_limit_ = false, timed_out_ = false, close_after_response_ = false;
};

// The connection the current thread serves (plain HTTP only; null over TLS).
thread_local LimitedStream* t_stream = nullptr;

void CloseAfterResponse(httplib::Response& res) {
  if (t_stream) t_stream->CloseAfterResponse();
  res.set_header("Connection", "close");
}

// Reads the rest of what a refused client is still sending for a short while, so that
// closing does not reset the connection before the client has read the answer.
void LingeringClose(int sock) {
  ::shutdown(sock, SHUT_WR);
  const auto until = SteadyClock::now() + kLingerTime;
  char scratch[16 << 10];
  size_t drained = 0;
  while (drained < kLingerBytes && WaitFor(sock, POLLIN, RemainingMillis(until))) {
    const ssize_t n = ::recv(sock, scratch, sizeof(scratch), 0);
    if (n <= 0) break;
    drained += static_cast<size_t>(n);
  }
}

// cpp-httplib's server with each plain-HTTP connection served on its own thread through
// a LimitedStream, one request after another (keep-alive), instead of its own loop.
class GatedServer : public httplib::Server {
 public:
  GatedServer(const ServerOptions& options, std::shared_ptr<ConnectionGate> gate)
      : options_(options), gate_(std::move(gate)) {}

 private:
  bool process_and_close_socket(socket_t sock) override {
    if (t_refusing) {
      static constexpr char kBusy[] =
          "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
      [[maybe_unused]] auto n = ::send(sock, kBusy, sizeof(kBusy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(sock);
      return false;
    }
    gate_->Register(sock);
    bool linger = false;
    {
      LimitedStream strm(sock, options_);
      t_stream = &strm;
      for (size_t served = 0; served < kMaxRequestsPerConnection; ++served) {
        if (gate_->stopping()) break;
        if (!strm.WaitForRequest(options_.keep_alive_seconds * 1000)) break;
        strm.StartHeaders();
        bool connection_closed = false;
        const bool last = served + 1 == kMaxRequestsPerConnection;
        const bool ok = process_request(strm, last, connection_closed,
                                        [&](httplib::Request&) { strm.StartBody(); });
        if (strm.close_after_response()) linger = true;
        if (!ok || connection_closed || last || linger || strm.over_limit() || strm.timed_out())
          break;
      }
      t_stream = nullptr;
    }
    if (linger) LingeringClose(sock);
    gate_->Unregister(sock);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return true;
  }

  const ServerOptions& options_;
  std::shared_ptr<ConnectionGate> gate_;
};

std::unique_ptr<httplib::Server> MakeServer(const ServerOptions& options,
                                            const std::shared_ptr<ConnectionGate>& gate) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (!options.tls_certificate_file.empty()) {
    return std::make_unique<httplib::SSLServer>(options.tls_certificate_file.c_str(),
                                                options.tls_private_key_file.c_str());
  }
#endif
  return std::make_unique<GatedServer>(options, gate);
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool HasBodyHeaders(const httplib::Request& req) {
  return req.has_header("Transfer-Encoding") ||
         (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

std::string ErrorBody(const std::string& code, const std::string& message,
                      const std::string& where) {
  return nlohmann::json{{"error", {{"code", code}, {"message", message}, {"where", where}}}}.dump();
}

// Reads the request body within `max_bytes` (sized or chunked alike); on failure sets
// the response (413, 415 or 400) and returns false.
bool ReadBody(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader& reader, size_t max_bytes, std::string& body) {
  auto refuse = [&](int status, const std::string& code, const std::string& message,
                    const std::string& where) {
    res.status = status;
    res.set_content(ErrorBody(code, message, where), "application/json");
    CloseAfterResponse(res);
    return false;
  };
  const std::string encoding = req.get_header_value("Content-Encoding");
  if (!encoding.empty() && encoding != "identity") {
    return refuse(415, "invalid_argument", "compressed request bodies are not accepted",
                  "Content-Encoding");
  }
  const std::string transfer = req.get_header_value("Transfer-Encoding");
  const bool chunked = EqualsIgnoringCase(transfer, "chunked");
  if (!transfer.empty() && !chunked) {
    return refuse(400, "invalid_argument", "only chunked transfer coding is accepted",
                  "Transfer-Encoding");
  }
  if (!chunked && !req.has_header("Content-Length")) return true;  // no body (RFC 9112 6.3)
  const std::string length = req.get_header_value("Content-Length");
  if (!chunked && (length.size() > 19 || std::strtoull(length.c_str(), nullptr, 10) > max_bytes)) {
    return refuse(413, "invalid_argument", "the request body is too large", "body");
  }
  bool too_large = false;
  const bool read = reader([&](const char* data, size_t n) {
    if (body.size() + n > max_bytes) {
      too_large = true;
      return false;
    }
    body.append(data, n);
    return true;
  });
  if (read) return true;
  if (too_large || res.status == 413 || (t_stream && t_stream->over_limit())) {
    return refuse(413, "invalid_argument", "the request body is too large", "body");
  }
  return refuse(400, "invalid_argument",
                t_stream && t_stream->timed_out() ? "the request body came too slowly"
                                                  : "the request body could not be read",
                "body");
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
          res.set_content(ErrorBody("invalid_argument", "the request body is too large", "body"),
                          "application/json");
          res.status = 413;  // cpp-httplib writes the response as it is, status included
          CloseAfterResponse(res);
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
      res.status = 404;
      res.set_content(nlohmann::json{{"error", "not_found"}}.dump(), "application/json");
      CloseAfterResponse(res);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!body_method && HasBodyHeaders(req)) {
      res.status = 400;
      res.set_content(
          ErrorBody("invalid_argument", "a " + req.method + " request has no body", "body"),
          "application/json");
      CloseAfterResponse(res);
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
      res.set_content(ErrorBody("invalid_argument", "the request body is too large", "body"),
                      "application/json");
      CloseAfterResponse(res);
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
