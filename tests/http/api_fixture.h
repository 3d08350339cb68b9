// The whole API in-process: a real SQLite registry (support/registry_fixture.h), the
// shipped protocols, every service wired as `stream serve` wires them (app/api_stack.h),
// and helpers to call the router as a browser (cookie + CSRF) or a script (token) would.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "app/api_stack.h"
#include "support/registry_fixture.h"

namespace stream::testing {

struct ApiCall {
  int status = 0;
  nlohmann::json json;  // null when the body is not JSON
  std::string body;
  std::string content_type;
  std::map<std::string, std::string> headers;
};

// "METHOD /api/v1/pattern" of every route a fixture request reached past authentication
// (for the coverage check of api_routes_test.cc).
std::set<std::string>& CalledRoutes();

class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override;

  // A user of `role` (at `site` for site roles) with an API token; returns the token.
  std::string TokenFor(const std::string& role, const std::string& site = "");
  // A user of `role` logged in through POST /session: the cookie value and CSRF token.
  struct Browser {
    std::string cookie;
    std::string csrf;
  };
  Browser LogIn(const std::string& role, const std::string& site = "");

  ApiCall Send(const std::string& method, const std::string& target, const nlohmann::json& body,
               const std::map<std::string, std::string>& headers);
  ApiCall WithToken(const std::string& token, const std::string& method, const std::string& target,
                    const nlohmann::json& body = nullptr);
  ApiCall WithBrowser(const Browser& browser, const std::string& method, const std::string& target,
                      const nlohmann::json& body = nullptr);

  // Activates `protocol` at both fixture sites from 2000-01-01 through the API, as the
  // administrator (issue #23: enrolment needs an active site).
  void ActivateProtocol(const std::string& protocol);

  // A patient at `site` with an AML diagnosis (through the services).
  int64_t AddPatient(const std::string& pseudonym, const std::string& site);

  std::unique_ptr<RegistryFixture> registry_;
  std::unique_ptr<app::ApiStack> stack_;
  std::map<std::string, std::string> passwords_;  // username -> password
  int users_ = 0;
};

}  // namespace stream::testing
