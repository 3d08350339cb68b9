// The API's descriptions are generated from the route table and committed:
// docs/openapi.json (served at /api/v1/openapi.json) and docs/api.md. Regenerate with
//   build/bin/stream api openapi > docs/openapi.json
//   build/bin/stream api reference > docs/api.md
#include "http/openapi.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "http/router.h"

namespace stream {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(OpenApiTest, CommittedDescriptionMatchesTheRouteTable) {
  const std::string generated = http::OpenApiDocument(http::AllRoutes()).dump(2) + "\n";
  EXPECT_EQ(ReadFile(std::string(STREAM_SOURCE_DIR) + "/docs/openapi.json"), generated)
      << "regenerate: build/bin/stream api openapi > docs/openapi.json";
}

TEST(OpenApiTest, CommittedReferenceMatchesTheRouteTable) {
  EXPECT_EQ(ReadFile(std::string(STREAM_SOURCE_DIR) + "/docs/api.md"),
            http::ApiReferenceMarkdown(http::AllRoutes()))
      << "regenerate: build/bin/stream api reference > docs/api.md";
}

TEST(OpenApiTest, EveryRouteIsDescribedWithItsParametersAndErrors) {
  const auto doc = http::OpenApiDocument(http::AllRoutes());
  size_t operations = 0;
  for (const auto& route : http::AllRoutes()) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(doc["paths"].contains(route.path)) << route.path;
    const auto& op = doc["paths"][route.path][method];
    ASSERT_FALSE(op.is_null()) << route.method << " " << route.path;
    EXPECT_FALSE(op["summary"].get<std::string>().empty());
    if (!route.is_public) {
      EXPECT_TRUE(op["responses"].contains("401")) << route.path;
    }
    // The router checks a body against the schema the route names: it must exist.
    if (!route.body.empty()) {
      EXPECT_TRUE(http::OpenApiSchemas().contains(route.body)) << route.path << " " << route.body;
    }
    if (route.path.find("{id}") != std::string::npos) {
      bool has = false;
      for (const auto& p : op["parameters"]) has = has || p["name"] == "id";
      EXPECT_TRUE(has) << route.path;
    }
    for (const auto& [code, response] : op["responses"].items()) {
      if (!response.contains("content")) continue;
      for (const auto& [type, media] : response["content"].items()) {
        const auto ref = media["schema"].value("$ref", std::string());
        if (ref.empty()) continue;
        EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(ref.rfind('/') + 1))) << ref;
      }
    }
    ++operations;
  }
  EXPECT_EQ(operations, http::AllRoutes().size());
}

}  // namespace
}  // namespace stream
