// One plain-HTTP connection as cpp-httplib reads it, with the limits of ServerOptions
// (http/server.h, issue #15): every read waits at most until the current phase's
// deadline, and each phase (request line and headers; body) may read only so many bytes.
//
// Internal to src/http. A LimitedStream is used by one thread at a time: the thread that
// serves its connection, which makes it that thread's CurrentStream meanwhile.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "http/server.h"

namespace stream::http {

class LimitedStream : public httplib::Stream {
 public:
  // `options` must outlive the stream; the socket stays the caller's to close.
  LimitedStream(int sock, const ServerOptions& options) : sock_(sock), options_(options) {}

  // Waits up to `timeout_ms` for the first byte of the next request.
  bool WaitForRequest(int timeout_ms);
  void StartHeaders();
  void StartBody();
  // The current phase hit its byte limit / its deadline.
  bool over_limit() const { return over_limit_; }
  bool timed_out() const { return timed_out_; }
  // The request was refused with its body unread: the connection cannot carry another.
  void CloseAfterResponse() { close_after_response_ = true; }
  bool close_after_response() const { return close_after_response_; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

 private:
  using SteadyClock = std::chrono::steady_clock;

  void Enter(std::chrono::seconds time, size_t bytes);

  const int sock_;
  const ServerOptions& options_;
  char buffer_[16 << 10];
  size_t used_ = 0, filled_ = 0;
  SteadyClock::time_point deadline_ = SteadyClock::now();
  size_t phase_limit_ = 0, phase_bytes_ = 0;
  bool over_limit_ = false, timed_out_ = false, close_after_response_ = false;
};

// The connection the current thread serves (plain HTTP only; null over TLS).
LimitedStream* CurrentStream();
// Set by the thread that serves `stream` for as long as it does; null after.
void SetCurrentStream(LimitedStream* stream);

// Makes `res` the connection's last response (Connection: close); over plain HTTP the
// connection is then closed lingering, as a refused request's body is left unread.
void CloseAfterResponse(httplib::Response& res);

// Reads the rest of what a refused client is still sending for a short while (at most a
// second and 8 MiB), so that closing does not reset the connection before the client has
// read the answer. Shuts down the sending side; the socket stays the caller's to close.
void LingeringClose(int sock);

}  // namespace stream::http
