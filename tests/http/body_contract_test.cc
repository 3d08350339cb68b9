// The body rules every route shares, read from the OpenAPI document's request schemas.
#include "http/body_contract.h"

#include <gtest/gtest.h>

#include "http/openapi.h"

namespace stream::http {
namespace {

using nlohmann::json;

Error Refusal(const json& body, const std::string& schema) {
  Status s = CheckBody(body, OpenApiSchemas(), schema);
  EXPECT_FALSE(s.ok()) << body.dump();
  return s.ok() ? Error{} : s.error();
}

TEST(BodyContract, AValidBodyPasses) {
  EXPECT_TRUE(CheckBody({{"label", "nightly export"}}, OpenApiSchemas(), "NewToken").ok());
  EXPECT_TRUE(
      CheckBody({{"role", "monitor"}, {"disabled", false}}, OpenApiSchemas(), "UserChange").ok());
}

TEST(BodyContract, NoBodyIsRefusedAtOnce) {
  const Error e = Refusal(json(), "UserChange");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.where, "body");
}

TEST(BodyContract, AnArrayIsNotAnObject) {
  const Error e = Refusal(json::array({1, 2}), "UserChange");
  EXPECT_EQ(e.where, "body");
  EXPECT_NE(e.message.find("JSON object"), std::string::npos);
}

TEST(BodyContract, AnUnknownMemberIsNamed) {
  const Error e = Refusal({{"label", "x"}, {"lable", "typo"}}, "NewToken");
  EXPECT_EQ(e.where, "lable");
  EXPECT_EQ(e.message, "is not a member of NewToken");
}

TEST(BodyContract, ARequiredMemberMissingOrNullIsNamed) {
  EXPECT_EQ(Refusal({{"username", "a"}}, "Credentials").where, "password");
  EXPECT_EQ(Refusal({{"username", "a"}, {"password", nullptr}}, "Credentials").where, "password");
}

TEST(BodyContract, AMemberOfTheWrongTypeIsNamed) {
  const Error e = Refusal({{"disabled", "yes"}}, "UserChange");
  EXPECT_EQ(e.where, "disabled");
  EXPECT_EQ(e.message, "must be a boolean");
  EXPECT_EQ(Refusal({{"patient_id", "7"}, {"idempotency_key", "k"}}, "EnrolmentRequest").where,
            "patient_id");
}

TEST(BodyContract, AnOpenSchemaTakesAnyMember) {
  // A record's fields are checked by the data model's own validation, not here.
  EXPECT_TRUE(CheckBody({{"disease", "aml"}, {"anything", 1}}, OpenApiSchemas(), "Record").ok());
}

}  // namespace
}  // namespace stream::http
