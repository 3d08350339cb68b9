// Black-box: the real `stream serve` on a loopback port, driven over HTTP as a site
// investigator's browser would: log in → register a patient → record consent and the
// diagnosis → screen → enrol → read the patient's audit trail, which names each request.
// Also the headers every response carries.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/temp_dir.h"
#include "support/two_arm_protocol.h"

namespace stream {
namespace {

using testing::RunCommand;
using testing::StreamBinary;

class ServeBlackBoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("protocols"));
    std::ofstream(dir_.File("protocols/two-arm.yaml")) << testing::kTwoArmProtocol;
    ASSERT_EQ(Stream("init").exit_code, 0);
    ASSERT_EQ(Stream("site add IT-FO-01 --name Meldola --country IT").exit_code, 0);
    auto activated =
        Stream("site activate IT-FO-01 --protocol two-arm --approval EC-2024-17 --from 2000-01-01");
    ASSERT_EQ(activated.exit_code, 0) << activated.out;
    auto admin = Stream("user add root --admin");
    ASSERT_EQ(admin.exit_code, 0) << admin.out;
    EXPECT_NE(admin.out.find("password (shown once): "), std::string::npos);
    auto inv =
        RunCommand("echo 'a-site-investigator-password' | " + Command() +
                   " user add ana --role investigator --site IT-FO-01 --password-stdin 2>&1");
    ASSERT_EQ(inv.exit_code, 0) << inv.out;
    StartServer();
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      EXPECT_TRUE(WIFEXITED(status)) << "the server stops cleanly on SIGTERM";
    }
  }

  std::string Command() const {
    return StreamBinary() + " --data " + dir_.path() + " --protocols " + dir_.File("protocols");
  }
  testing::CommandOutput Stream(const std::string& args) {
    return RunCommand(Command() + " " + args + " 2>&1");
  }

  void StartServer() {
    const std::string log = dir_.File("serve.log");
    pid_ = fork();
    if (pid_ == 0) {
      const std::string cmd =
          "exec " + Command() + " serve --port 0 --static '' > " + log + " 2>&1";
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      std::ifstream in(log);
      std::string line;
      while (std::getline(in, line)) {
        const auto at = line.find("http://127.0.0.1:");
        if (at != std::string::npos) port_ = std::stoi(line.substr(at + 17));
      }
    }
    ASSERT_GT(port_, 0) << "the server did not announce its port";
  }

  httplib::Headers Browser() const {
    return {{"Cookie", "__Host-stream_session=" + cookie_},
            {"X-CSRF-Token", csrf_},
            {"Origin", "http://127.0.0.1:" + std::to_string(port_)}};
  }

  nlohmann::json Post(httplib::Client& client, const std::string& path, const nlohmann::json& body,
                      int expected, std::string* request_id = nullptr) {
    auto res = client.Post(path, Browser(), body.dump(), "application/json");
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expected) << path << ": " << res->body;
    if (request_id) *request_id = res->get_header_value("X-Request-Id");
    return nlohmann::json::parse(res->body, nullptr, false);
  }

  testing::TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string cookie_, csrf_;
};

TEST_F(ServeBlackBoxTest, LogInRegisterScreenEnrolAndReadTheAuditTrail) {
  httplib::Client client("127.0.0.1", port_);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  // Anonymous: the database answers, and nothing about its content is told (issue #15.8).
  EXPECT_EQ(health->body.find("sites"), std::string::npos) << health->body;
  for (const char* header :
       {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id"}) {
    EXPECT_TRUE(health->has_header(header)) << header;
  }
  const std::string csp = health->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_FALSE(health->has_header("Server")) << "no version banner";

  auto anonymous = client.Get("/api/v1/patients");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("Cache-Control"), "no-store");

  const std::string credentials = R"({"username":"ana","password":"a-site-investigator-password"})";
  auto login = client.Post("/api/v1/session", httplib::Headers{}, credentials, "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 201) << login->body;
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  cookie_ =
      set_cookie.substr(set_cookie.find('=') + 1, set_cookie.find(';') - set_cookie.find('=') - 1);
  csrf_ = nlohmann::json::parse(login->body)["csrf_token"];

  std::string create_request;
  auto patient = Post(client, "/api/v1/patients",
                      {{"pseudonym", "BB-1"},
                       {"site", "IT-FO-01"},
                       {"sex", "female"},
                       {"birth_year", 1958},
                       {"birth_month", 7},
                       {"registered_on", "2024-03-01"}},
                      201, &create_request);
  const int64_t id = patient["id"];
  const std::string base = "/api/v1/patients/" + std::to_string(id);
  Post(client, base + "/records/consent",
       {{"form_version", "1"}, {"consent_date", "2024-03-01"}, {"scope", {"registry", "trial"}}},
       201);
  Post(client, base + "/records/diagnosis",
       {{"disease", "aml"},
        {"diagnosis_date", "2023-06-01"},
        {"origin", "de_novo"},
        {"status_at_registration", "first_relapse"}},
       201);

  auto screening = client.Get(base + "/screening", Browser());
  ASSERT_TRUE(screening);
  ASSERT_EQ(screening->status, 200) << screening->body;
  const auto protocols = nlohmann::json::parse(screening->body)["protocols"];
  ASSERT_EQ(protocols.size(), 1u);
  EXPECT_EQ(protocols[0]["verdict"], "eligible");

  std::string enrol_request;
  auto enrolled = Post(client, "/api/v1/protocols/two-arm/enrolments",
                       {{"patient_id", id}, {"idempotency_key", "bb-1"}}, 201, &enrol_request);
  EXPECT_EQ(enrolled["status"], "enrolled");
  const std::string arm = enrolled["enrolment"]["arm"];
  EXPECT_TRUE(arm == "std" || arm == "exp") << arm;

  auto audit = client.Get(base + "/audit", Browser());
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->status, 200) << audit->body;
  const auto rows = nlohmann::json::parse(audit->body)["items"];
  ASSERT_EQ(rows.size(), 4u);  // patient, consent, diagnosis, enrolment
  EXPECT_EQ(rows[0]["entity"], "enrolment");
  EXPECT_EQ(rows[0]["actor"], "ana");
  EXPECT_EQ(rows[0]["request_id"], enrol_request);
  EXPECT_EQ(rows[3]["entity"], "patient");
  EXPECT_EQ(rows[3]["request_id"], create_request);

  auto logout = client.Delete("/api/v1/session", Browser());
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 204);
  auto after = client.Get(base, Browser());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
  EXPECT_EQ(Stream("audit verify").exit_code, 0);
}

}  // namespace
}  // namespace stream
