// Serving plain-HTTP connections within the gate's limits (a thread each, one request
// after another), and choosing between that and cpp-httplib's HTTPS server at start-up.
#include "http/gated_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <system_error>
#include <thread>

#include "http/limited_stream.h"

namespace stream::http {
namespace {

// Set on the accept thread while it closes a connection it has no room for.
thread_local bool t_refusing = false;

}  // namespace

void ConnectionThreads::enqueue(std::function<void()> fn) {
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

bool GatedServer::process_and_close_socket(socket_t sock) {
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
    SetCurrentStream(&strm);
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
    SetCurrentStream(nullptr);
  }
  if (linger) LingeringClose(sock);
  gate_->Unregister(sock);
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return true;
}

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

}  // namespace stream::http
