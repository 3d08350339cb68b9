// stream instrument: the shipped PRO instruments are listed, a questionnaire is scored as
// the QLQ-C30 manual says (with "not scorable" rather than a number for a scale short of
// half its items), a bad answer names its item, and licensed wording is installed only
// when it fits the instrument.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

namespace stream {
namespace {

using testing::CommandOutput;
using testing::RunCommand;
using testing::StreamBinary;

class InstrumentCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy(std::string(STREAM_SOURCE_DIR) + "/instruments", dir_.File("inst"));
  }
  CommandOutput Stream(const std::string& args) {
    return RunCommand(StreamBinary() + " instrument --instruments " + dir_.File("inst") + " " +
                      args + " 2>&1");
  }
  testing::TempDir dir_;
};

TEST_F(InstrumentCliTest, ScoresAQuestionnaireAsTheManualSays) {
  auto list = Stream("list");
  ASSERT_EQ(list.exit_code, 0) << list.out;
  EXPECT_EQ(nlohmann::json::parse(list.out).size(), 3u);
  auto scored = Stream(
      R"(score --instrument eortc_qlq_c30 --answers '{"1":1,"2":1,"3":2,"4":1,"5":1,"6":2,"29":5,"30":6}')");
  ASSERT_EQ(scored.exit_code, 0) << scored.out;
  const auto json = nlohmann::json::parse(scored.out);
  std::map<std::string, nlohmann::json> by_code;
  for (const auto& s : json["scales"]) by_code[s["code"]] = s;
  EXPECT_NEAR(by_code["PF2"]["score"].get<double>(), 93.333333333333, 1e-9);
  EXPECT_NEAR(by_code["QL2"]["score"].get<double>(), 75.0, 1e-12);
  EXPECT_NEAR(by_code["RF2"]["score"].get<double>(), 66.666666666667, 1e-9) << "1 of 2: half";
  EXPECT_TRUE(by_code["EF"]["score"].is_null());
  EXPECT_NE(by_code["EF"]["not_scorable"].get<std::string>().find("0 of 4"), std::string::npos);
  EXPECT_TRUE(json["summary"].is_null());

  auto stored = Stream("score --instrument eortc_qlq_c30 --answers '29=5;30=6'");
  ASSERT_EQ(stored.exit_code, 0) << stored.out;
  EXPECT_NE(stored.out.find("\"score\": 75.0"), std::string::npos) << stored.out;

  auto bad = Stream(R"(score --instrument eortc_qlq_c30 --answers '{"29":9}')");
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.out.find("item 29"), std::string::npos) << bad.out;
  EXPECT_NE(Stream("score --instrument nothing --answers '{}'").exit_code, 0);
}

TEST_F(InstrumentCliTest, InstallsLicensedWordingOnlyWhenItFits) {
  std::ofstream(dir_.File("wrong.yaml")) << "instrument: eortc_qlq_c30\nversion: '2.0'\n"
                                            "items: {1: Some text}\n";
  auto wrong = Stream("wording --instrument eortc_qlq_c30 --file " + dir_.File("wrong.yaml"));
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.out.find("wrong.yaml:2:"), std::string::npos) << wrong.out;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("inst/wording/eortc_qlq_c30.yaml")));
  std::ofstream(dir_.File("right.yaml")) << "instrument: eortc_qlq_c30\nversion: '3.0'\n"
                                            "items: {1: Licensed text one}\n";
  auto right = Stream("wording --instrument eortc_qlq_c30 --file " + dir_.File("right.yaml"));
  ASSERT_EQ(right.exit_code, 0) << right.out;
  auto shown = Stream("show --instrument eortc_qlq_c30");
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  const auto items = nlohmann::json::parse(shown.out)["items"];
  EXPECT_EQ(items[0]["wording"], "Licensed text one");
  EXPECT_NE(items[1]["wording"].get<std::string>().find("not loaded"), std::string::npos);
}

}  // namespace
}  // namespace stream
