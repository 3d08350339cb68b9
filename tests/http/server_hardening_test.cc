// Issue 15, HTTP hardening, against the real server on a loopback port: the body limit
// holds for chunked bodies as for sized ones, before authentication (413); compressed
// bodies are refused; slow clients neither take every worker nor stay connected past
// the header time-out; the connection limit answers 503.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "http/api_fixture.h"
#include "http/server.h"

namespace stream::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A raw TCP client, for what ordinary HTTP clients will not do.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{10, 0};  // a liveness bound on every blocking call
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  bool Send(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  // Whether the server has answered (or closed) already.
  bool Readable(int timeout_ms = 0) const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) > 0;
  }
  // Everything the server sends until it closes or stays silent for the time-out.
  std::string ReadAll() {
    std::string out;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
      if (out.find("\r\n\r\n") != std::string::npos && !Readable(500)) break;
    }
    return out;
  }
  // True when the server closed the connection (EOF or reset) within the time-out.
  bool ClosedByServer() {
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET || errno == EPIPE;
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.substr(9, 3).c_str());
}

std::string Chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  return size + data + "\r\n";
}

class ServerHardeningTest : public ApiFixture {
 protected:
  void Start(http::ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<http::Server>(
        options, [] { return Result<nlohmann::json>(nlohmann::json::object()); },
        &stack_->router());
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
    const auto until = std::chrono::steady_clock::now() + seconds(10);
    while (server_->BoundPort() == 0 && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(milliseconds(10));
    port_ = server_->BoundPort();
    ASSERT_GT(port_, 0) << "the server did not bind";
  }
  void TearDown() override {
    if (server_) {
      server_->Stop();
      thread_.join();
      EXPECT_TRUE(run_status_.ok()) << run_status_.error().ToString();
    }
  }
  std::string Post(const std::string& path, const std::string& headers) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
  }
  // GET /healthz through an ordinary client, within a generous liveness bound.
  int Health() {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(5, 0);
    auto r = client.Get("/healthz");
    return r ? r->status : 0;
  }

  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  Status run_status_ = Ok();
  int port_ = 0;
};

// 64 MiB sent chunked without credentials: the server must answer 413 and stop reading
// long before (it used to read all of it into memory: 400 MB -> 2.5 GB).
TEST_F(ServerHardeningTest, AChunkedBodyOverTheLimitIsRefusedWith413BeforeAuthentication) {
  Start();
  RawConnection c(port_);
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(
      Post("/api/v1/sites", "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n")));
  const std::string chunk = Chunk(std::string(64 << 10, ' '));
  size_t sent = 0;
  constexpr size_t kOffered = size_t{64} << 20;
  while (sent < kOffered && !c.Readable()) {
    if (!c.Send(chunk)) break;
    sent += chunk.size();
  }
  const std::string response = c.ReadAll();
  EXPECT_EQ(StatusOf(response), 413) << response.substr(0, 200);
  EXPECT_NE(response.find("too large"), std::string::npos);
  EXPECT_LT(sent, kOffered / 2) << "the server kept reading the oversized body";
  EXPECT_EQ(Health(), 200) << "the server still answers";
}

TEST_F(ServerHardeningTest, ASizedBodyOverTheLimitIsRefusedWith413WithoutReadingIt) {
  Start();
  RawConnection c(port_);
  ASSERT_TRUE(c.Send(Post("/api/v1/sites", "Content-Type: application/json\r\nContent-Length: " +
                                               std::to_string(2 << 20) + "\r\n")));
  const std::string response = c.ReadAll();
  EXPECT_EQ(StatusOf(response), 413) << response.substr(0, 200);
  // The API's one error shape, with the catalogue's code and the request id (issue #24).
  EXPECT_NE(response.find(R"("code":"payload_too_large")"), std::string::npos) << response;
  EXPECT_NE(response.find(R"("request_id":")"), std::string::npos) << response;
}

TEST_F(ServerHardeningTest, AnAnnouncedBodyOverTheLimitGetsNo100Continue) {
  Start();
  RawConnection c(port_);
  ASSERT_TRUE(
      c.Send(Post("/api/v1/sites", "Content-Type: application/json\r\nContent-Length: " +
                                       std::to_string(5 << 20) + "\r\nExpect: 100-continue\r\n")));
  const std::string response = c.ReadAll();
  EXPECT_EQ(StatusOf(response), 413) << response.substr(0, 200);
}

// Chunked bodies within the limit still work: 900 KiB of JSON whitespace around a site,
// in 16 KiB chunks, with an administrator's token.
TEST_F(ServerHardeningTest, AChunkedBodyWithinTheLimitIsServed) {
  Start();
  const std::string token = TokenFor("administrator");
  const std::string json =
      std::string(900 << 10, ' ') + R"({"code": "NL-AM-01", "name": "Amsterdam", "country": "NL"})";
  RawConnection c(port_);
  std::string request = Post("/api/v1/sites", "Authorization: Bearer " + token +
                                                  "\r\nContent-Type: application/json\r\n"
                                                  "Transfer-Encoding: chunked\r\n");
  for (size_t at = 0; at < json.size(); at += 16 << 10) request += Chunk(json.substr(at, 16 << 10));
  request += "0\r\n\r\n";
  ASSERT_TRUE(c.Send(request));
  const std::string response = c.ReadAll();
  EXPECT_EQ(StatusOf(response), 201) << response.substr(0, 300);
  EXPECT_NE(response.find("NL-AM-01"), std::string::npos);
}

TEST_F(ServerHardeningTest, ACompressedBodyIsRefusedWith415) {
  Start();
  RawConnection c(port_);
  ASSERT_TRUE(c.Send(Post("/api/v1/session",
                          "Content-Type: application/json\r\nContent-Encoding: gzip\r\n"
                          "Content-Length: 4\r\n") +
                     "abcd"));
  const std::string response = c.ReadAll();
  EXPECT_EQ(StatusOf(response), 415) << response.substr(0, 200);
  EXPECT_NE(response.find("Content-Encoding"), std::string::npos);
}

// A POST with neither Content-Length nor chunked coding has an empty body (RFC 9112
// 6.3): the route answers at once instead of waiting for the client to close.
TEST_F(ServerHardeningTest, APostWithoutALengthHasAnEmptyBody) {
  Start();
  RawConnection c(port_);
  ASSERT_TRUE(c.Send(Post("/api/v1/session", "")));
  const std::string response = c.ReadAll();
  EXPECT_EQ(StatusOf(response), 422) << response.substr(0, 300);  // the body rule's answer
  EXPECT_NE(response.find(R"("where":"body")"), std::string::npos) << response;
  EXPECT_NE(response.find("a JSON body is required"), std::string::npos) << response;
}

// Slowloris: far more connections than workers, each sending a header byte now and then.
// Other clients must still be answered (the liveness bound is Health's 5 s time-out).
TEST_F(ServerHardeningTest, SlowClientsDoNotStopOtherClientsBeingServed) {
  http::ServerOptions options;
  options.threads = 2;
  Start(options);
  constexpr int kSlow = 48;
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < kSlow; ++i) {
    slow.push_back(std::make_unique<RawConnection>(port_));
    ASSERT_TRUE(slow.back()->connected());
    ASSERT_TRUE(slow.back()->Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    while (!done) {
      for (auto& c : slow) c->Send("X");
      std::this_thread::sleep_for(milliseconds(500));
    }
  });
  std::this_thread::sleep_for(milliseconds(300));
  int answered = 0;
  for (int i = 0; i < 5; ++i) answered += Health() == 200;
  done = true;
  trickle.join();
  EXPECT_EQ(answered, 5);
}

// A client that never finishes its headers is disconnected after the header time-out,
// however regularly it sends (cpp-httplib's per-read time-out alone never fires).
TEST_F(ServerHardeningTest, HeadersMustArriveWithinTheHeaderTimeout) {
  http::ServerOptions options;
  options.header_timeout_seconds = 1;
  Start(options);
  RawConnection c(port_);
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  bool closed = false;
  const auto start = std::chrono::steady_clock::now();
  // Up to 8 s of one byte every 200 ms; the server must hang up long before.
  while (std::chrono::steady_clock::now() - start < seconds(8)) {
    if (c.Readable(200)) {
      closed = c.ClosedByServer();
      break;
    }
    if (!c.Send("X")) {
      closed = true;
      break;
    }
  }
  EXPECT_TRUE(closed) << "a slow client kept its connection past the header time-out";
  EXPECT_EQ(Health(), 200);
}

// Header lines of 1 KB each, never ending: the server must stop reading at its header
// limit (it used to keep every line). Up to 64 MB is offered, more than socket buffers
// hold, so a server that stopped reading makes the client's send fail or block.
TEST_F(ServerHardeningTest, HeadersLongerThanTheLimitAreRefused) {
  http::ServerOptions options;
  options.max_header_bytes = 16 << 10;
  Start(options);
  RawConnection c(port_);
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  bool refused = false;
  const std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
  for (int i = 0; i < 64 * 1024 && !refused; ++i) {
    if (c.Readable() || !c.Send(line)) refused = true;
  }
  EXPECT_TRUE(refused) << "the server read 64 MB of headers";
  EXPECT_EQ(Health(), 200);
}

TEST_F(ServerHardeningTest, ConnectionsBeyondTheLimitAreAnswered503) {
  http::ServerOptions options;
  options.max_connections = 4;
  Start(options);
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<RawConnection>(port_));
    ASSERT_TRUE(idle.back()->Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  }
  std::this_thread::sleep_for(milliseconds(200));  // let the server admit all four
  RawConnection extra(port_);
  ASSERT_TRUE(extra.connected());
  const std::string response = extra.ReadAll();
  EXPECT_EQ(StatusOf(response), 503) << response;
  idle.clear();  // the four leave
  const auto until = std::chrono::steady_clock::now() + seconds(10);
  int status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < until) {
    status = Health();
    if (status != 200) std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(status, 200);
}

// A second server on a port already in use must fail at start-up, not share the port
// with the first (SO_REUSEPORT let the kernel split the traffic between the two).
TEST_F(ServerHardeningTest, ASecondServerOnABoundPortFailsAtStartUp) {
  Start();
  http::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = port_;
  http::Server second(options, [] { return Result<nlohmann::json>(nlohmann::json::object()); });
  std::atomic<bool> returned{false};
  Status status = Ok();
  std::thread run([&] {
    status = second.Run();
    returned = true;
  });
  const auto until = std::chrono::steady_clock::now() + seconds(5);
  while (!returned && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(milliseconds(10));
  const bool failed_fast = returned;
  if (!returned) second.Stop();
  run.join();
  EXPECT_TRUE(failed_fast) << "the second server started on a port in use";
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().where.find(std::to_string(port_)), std::string::npos);
  EXPECT_EQ(Health(), 200) << "the first server is untouched";
}

}  // namespace
}  // namespace stream::testing
