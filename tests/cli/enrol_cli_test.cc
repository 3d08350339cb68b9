// stream enrol and stream randomisation, black-box: an eligible patient is randomised,
// a replay returns the same arm, an ineligible one is refused naming the criterion, and
// the list regenerated from the secret matches the hash recorded at activation.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"
#include "support/two_arm_protocol.h"

namespace stream {
namespace {

using testing::RunCommand;
using testing::StreamBinary;

class EnrolCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("protocols"));
    std::ofstream(dir_.File("protocols/two-arm.yaml")) << testing::kTwoArmProtocol;
    ASSERT_EQ(Stream("init").exit_code, 0);
    ASSERT_EQ(Stream("site add IT-FO-01 --name Meldola --country IT").exit_code, 0);
    auto activated =
        Stream("site activate IT-FO-01 --protocol two-arm --approval EC-2024-17 --from 2000-01-01");
    ASSERT_EQ(activated.exit_code, 0) << activated.out;
    for (const char* p : {"T-1", "T-2"}) {
      ASSERT_EQ(
          Stream(std::string("patient add '{\"pseudonym\":\"") + p +
                 "\",\"site\":\"IT-FO-01\",\"sex\":\"male\",\"birth_year\":1960,\"birth_month\":5,"
                 "\"registered_on\":\"2024-03-01\"}'")
              .exit_code,
          0);
      ASSERT_EQ(Stream(std::string("record add consent '{\"patient\":\"") + p +
                       "\",\"form_version\":\"1\",\"consent_date\":\"2024-03-01\",\"scope\":["
                       "\"registry\",\"trial\"]}'")
                    .exit_code,
                0);
    }
    auto dx = Stream(
        R"(record add diagnosis '{"patient":"T-1","disease":"aml","diagnosis_date":"2023-06-01","origin":"de_novo","status_at_registration":"first_relapse"}')");
    ASSERT_EQ(dx.exit_code, 0) << dx.out;
    dx = Stream(
        R"(record add diagnosis '{"patient":"T-2","disease":"all","diagnosis_date":"2023-06-01","origin":"de_novo","status_at_registration":"first_relapse"}')");
    ASSERT_EQ(dx.exit_code, 0) << dx.out;
  }

  testing::CommandOutput Stream(const std::string& args) {
    return RunCommand(StreamBinary() + " --data " + dir_.path() + " --protocols " +
                      dir_.File("protocols") + " " + args + " 2>&1");
  }

  testing::TempDir dir_;
};

TEST_F(EnrolCliTest, RandomisesReplaysRefusesAndRegeneratesTheList) {
  auto first = Stream("enrol --protocol two-arm --patient T-1 --key req-1");
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("\"status\": \"enrolled\""), std::string::npos);
  const bool std_arm = first.out.find("\"arm\": \"std\"") != std::string::npos;
  EXPECT_TRUE(std_arm || first.out.find("\"arm\": \"exp\"") != std::string::npos) << first.out;
  auto replay = Stream("enrol --protocol two-arm --patient T-1 --key req-1");
  EXPECT_NE(replay.out.find("\"status\": \"replayed\""), std::string::npos) << replay.out;
  EXPECT_NE(replay.out.find(std_arm ? "\"arm\": \"std\"" : "\"arm\": \"exp\""), std::string::npos);
  auto refused = Stream("enrol --protocol two-arm --patient T-2 --key req-2");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("aml (Acute myeloid leukaemia): not met"), std::string::npos)
      << refused.out;
  auto list = Stream("randomisation list --protocol two-arm --length 1 --regenerate");
  ASSERT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find("\"matches_recorded\": true"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(std_arm ? "\"arm\": \"std\"" : "\"arm\": \"exp\""), std::string::npos);
  auto unblind =
      Stream("unblind --protocol two-arm --patient T-1 --reason 'suspected anaphylaxis'");
  ASSERT_EQ(unblind.exit_code, 0) << unblind.out;
  EXPECT_NE(unblind.out.find(std_arm ? "\"arm\": \"std\"" : "\"arm\": \"exp\""), std::string::npos);
  EXPECT_EQ(Stream("audit verify").exit_code, 0);
}

std::string TodayUtc() {
  const std::time_t now = std::time(nullptr);
  char text[11];
  std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&now));
  return text;
}

TEST_F(EnrolCliTest, ASuspendedSiteRefusesAndAnEnrolmentEndsOffStudy) {
  auto suspend = Stream("site suspend IT-FO-01 --protocol two-arm --reason 'monitoring visit'");
  ASSERT_EQ(suspend.exit_code, 0) << suspend.out;
  auto refused = Stream("enrol --protocol two-arm --patient T-1 --key s-1");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.out.find("two-arm at site IT-FO-01 is suspended since " + TodayUtc() +
                             " (monitoring visit)"),
            std::string::npos)
      << refused.out;
  auto screen = Stream("screen --patient T-1");
  EXPECT_NE(screen.out.find("cannot enrol now: two-arm at site IT-FO-01 is suspended"),
            std::string::npos)
      << screen.out;
  ASSERT_EQ(Stream("site activate IT-FO-01 --protocol two-arm --approval EC-2024-17b").exit_code,
            0);
  auto enrolled = Stream("enrol --protocol two-arm --patient T-1 --key s-1");
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.out;
  auto bad = Stream("enrol --protocol two-arm --patient T-1 --off-study " + TodayUtc() +
                    " --reason bored");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.out.find("reason"), std::string::npos) << bad.out;
  auto ended = Stream("enrol --protocol two-arm --patient T-1 --off-study " + TodayUtc() +
                      " --reason completed");
  ASSERT_EQ(ended.exit_code, 0) << ended.out;
  EXPECT_NE(ended.out.find("\"off_study_reason\": \"completed\""), std::string::npos) << ended.out;
  auto status = Stream("site status --protocol two-arm");
  ASSERT_EQ(status.exit_code, 0) << status.out;
  EXPECT_NE(status.out.find("\"state\": \"active\""), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("\"approval_reference\": \"EC-2024-17b\""), std::string::npos);
  EXPECT_NE(status.out.find("\"on_study\": 0"), std::string::npos) << status.out;
  EXPECT_EQ(Stream("audit verify").exit_code, 0);
}

TEST_F(EnrolCliTest, AnalysesAnEndpointByArmFromTheRegistry) {
  auto enrolled = Stream("enrol --protocol two-arm --patient T-1 --key req-1");
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.out;
  // Enrolment is dated today, so the death that ends follow-up is today too (OS = 0 days).
  const std::string today = RunCommand("date -u +%F").out.substr(0, 10);
  auto death = Stream(R"(record add death '{"patient":"T-1","death_date":")" + today +
                      R"(","cause":"leukaemia"}')");
  ASSERT_EQ(death.exit_code, 0) << death.out;
  auto json = Stream("analyze endpoint --protocol two-arm --endpoint os");
  ASSERT_EQ(json.exit_code, 0) << json.out;
  EXPECT_NE(json.out.find("\"n\": 1"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"events\": 1"), std::string::npos) << json.out;
  auto csv = Stream("analyze endpoint --protocol two-arm --endpoint os --format csv");
  EXPECT_NE(csv.out.find("patient,arm,time,event\nT-1,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find(",0,1\n"), std::string::npos) << csv.out;
  auto cir = Stream("analyze endpoint --protocol two-arm --endpoint cir");
  EXPECT_NE(cir.exit_code, 0) << "nobody reached remission: no CIR data set";
  EXPECT_NE(cir.out.find("no enrolled patient has this endpoint"), std::string::npos) << cir.out;
}

TEST_F(EnrolCliTest, WithoutTheRandomisationKeyNoListIsShown) {
  std::filesystem::remove(dir_.File("randomisation.key"));
  auto list = Stream("randomisation list --protocol two-arm --regenerate");
  EXPECT_NE(list.exit_code, 0);
  EXPECT_NE(list.out.find("randomisation administrator only"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace stream
