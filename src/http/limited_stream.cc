// The reads and writes of one plain-HTTP connection within its phase's deadline and byte
// limit, and the lingering close of a connection whose request was refused.
#include "http/limited_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

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

// The connection the current thread serves (plain HTTP only; null over TLS).
thread_local LimitedStream* t_stream = nullptr;

}  // namespace

bool LimitedStream::WaitForRequest(int timeout_ms) {
  return used_ < filled_ || WaitFor(sock_, POLLIN, timeout_ms);
}

void LimitedStream::StartHeaders() {
  Enter(std::chrono::seconds(options_.header_timeout_seconds), options_.max_header_bytes);
}

void LimitedStream::StartBody() {
  Enter(std::chrono::seconds(options_.body_timeout_seconds),
        options_.max_body_bytes * kBodyFramingFactor + kBodyFramingSlack);
}

bool LimitedStream::is_readable() const {
  return used_ < filled_ || WaitFor(sock_, POLLIN, RemainingMillis(deadline_));
}

bool LimitedStream::is_writable() const {
  return WaitFor(sock_, POLLOUT, options_.body_timeout_seconds * 1000);
}

ssize_t LimitedStream::read(char* ptr, size_t size) {
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

ssize_t LimitedStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n = 0;
  do {
    n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void LimitedStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    AddressOf(addr, ip, port);
}

void LimitedStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    AddressOf(addr, ip, port);
}

void LimitedStream::Enter(std::chrono::seconds time, size_t bytes) {
  deadline_ = SteadyClock::now() + time;
  phase_limit_ = bytes;
  phase_bytes_ = 0;
  over_limit_ = timed_out_ = false;
}

LimitedStream* CurrentStream() { return t_stream; }

void SetCurrentStream(LimitedStream* stream) { t_stream = stream; }

void CloseAfterResponse(httplib::Response& res) {
  if (t_stream) t_stream->CloseAfterResponse();
  res.set_header("Connection", "close");
}

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

}  // namespace stream::http
