// stream analyze simulate, black-box: rpact's getSimulationSurvival results from
// refdata through the command line (within Monte-Carlo error, as in
// tests/stats/trial_simulation_test.cc), the same output for the same seed, and bad
// input rejected with exit code 2, naming the option, writing nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/refdata.h"
#include "support/temp_dir.h"

namespace stream {
namespace {

using nlohmann::json;
using testing::JsonNumber;
using testing::JsonNumbers;
using testing::LoadExpected;
using testing::Near;
using testing::RunCommand;
using testing::StreamBinary;
using testing::TempDir;

testing::CommandOutput Simulate(const std::string& args) {
  return RunCommand(StreamBinary() + " analyze simulate " + args + " 2>&1");
}

json Case(const std::string& id) {
  const json doc = LoadExpected("rpact.design.json");
  for (const auto& c : doc["cases"]) {
    if (c["id"] == id) return c;
  }
  ADD_FAILURE() << "no case " << id;
  return {};
}

// The call of rpact.hr0.7.OF.alpha0.025.sided1.power0.8 (plannedEvents 84, 168, 252,
// 288 subjects, directionUpper = FALSE by default for HR < 1).
TEST(AnalyzeSimulateTest, OBrienFlemingDesignMatchesRpactWithinMonteCarloError) {
  const json want = Case("rpact.hr0.7.OF.alpha0.025.sided1.power0.8");
  const auto out = Simulate("--hr 0.7 --subjects 288 --events 84,168,252 --seed 20240601");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  const json got = json::parse(out.out);
  const json& sim = want["simulation"];
  EXPECT_EQ(got["type"], "simulation_survival");
  EXPECT_EQ(got["seed"], 20240601);
  EXPECT_EQ(got["maxNumberOfIterations"], 10000);
  EXPECT_EQ(got["directionUpper"], false);
  EXPECT_EQ(got["design"]["typeOfDesign"], "OF");
  EXPECT_EQ(got["plannedEvents"], sim["plannedEvents"]);
  EXPECT_EQ(got["iterations"][0], 10000);
  const auto critical = JsonNumbers(want["design"]["criticalValues"]);
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_TRUE(Near(JsonNumber(got["design"]["criticalValues"][k]), critical[k], 1e-7));
  }
  EXPECT_TRUE(Near(JsonNumber(got["lambda1"]), JsonNumber(sim["lambda1"]), 1e-12));
  EXPECT_TRUE(
      Near(JsonNumber(got["accrualIntensity"]), JsonNumber(sim["accrualIntensity"]), 1e-12));
  // 3 SE of the difference of two independent Monte-Carlo estimates.
  const auto within = [&](const char* field, double rpact, double se_rpact) {
    const double ours = JsonNumber(got[field]);
    const double se_ours = JsonNumber(got["mc_se"][field]);
    const double se = std::sqrt(se_ours * se_ours + se_rpact * se_rpact);
    EXPECT_LE(std::abs(ours - rpact), 3 * se) << field << ": " << ours << " vs rpact " << rpact;
  };
  within("overallReject", JsonNumber(sim["overallReject"]),
         JsonNumber(want["simulation_mc_se_power"]));
  const double early = JsonNumber(sim["earlyStop"]);
  within("earlyStop", early, std::sqrt(early * (1 - early) / 10000));
  within("studyDuration", JsonNumber(sim["studyDuration"]),
         JsonNumber(got["mc_se"]["studyDuration"]));
  within("expectedNumberOfSubjects", JsonNumber(sim["expectedNumberOfSubjects"]),
         JsonNumber(got["mc_se"]["expectedNumberOfSubjects"]));
  // Stage-wise fields are per-stage arrays, conditional power null at stage 1.
  ASSERT_EQ(got["rejectPerStage"].size(), 3u);
  ASSERT_EQ(got["futilityPerStage"].size(), 2u);
  EXPECT_TRUE(got["conditionalPowerAchieved"][0].is_null());
  EXPECT_EQ(got["overallEventsPerStage"], json({84.0, 168.0, 252.0}));
  EXPECT_EQ(got["eventsPerStage"], json({84.0, 84.0, 84.0}));
}

TEST(AnalyzeSimulateTest, SameSeedSameOutputAndCsvHasEveryStage) {
  const std::string args = "--hr 0.8 --subjects 200 --events 60,120 --iterations 300 --seed 9";
  const auto a = Simulate(args);
  const auto b = Simulate(args);
  ASSERT_EQ(a.exit_code, 0) << a.out;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, Simulate(args + "0").out);  // seed 90
  const auto csv = Simulate(args + " --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.out;
  EXPECT_EQ(csv.out.rfind("quantity,stage,value,mc_se\n", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find("\noverallReject,,"), std::string::npos);
  EXPECT_NE(csv.out.find("\nrejectPerStage,2,"), std::string::npos);
  EXPECT_NE(csv.out.find("\nfutilityPerStage,1,"), std::string::npos);
  EXPECT_EQ(csv.out.find("\nfutilityPerStage,2,"), std::string::npos);  // no futility at the end
}

TEST(AnalyzeSimulateTest, BadInputExitsWithTwoNamesTheOptionAndWritesNothing) {
  TempDir dir;
  const std::string base = "--hr 0.7 --iterations 10 ";
  struct Case {
    std::string args;
    std::string expected;
  } cases[] = {
      {"--subjects 284 --events 300", "--events: planned_events cannot exceed the subjects"},
      {"--subjects 284 --events 100,90", "--events: planned_events must be strictly increasing"},
      {"--subjects 284 --events 84,168 --design fixed", "--events: a fixed design has one"},
      {"--subjects 284 --events 247 --allocation 2-1", "--allocation: expected"},
      {"--subjects 284 --events 247 --allocation 0:1", "--allocation: expected"},
      {"--subjects 284 --events 84,168 --information-rates 0.5", "--information-rates:"},
      {"--subjects 284 --events 84,168 --futility-bounds 0 --sided 2", "--futility-bounds:"},
      {"--subjects 284 --events 247 --median-control 0", "--median-control:"},
  };
  for (const auto& c : cases) {
    const auto out = Simulate(base + c.args + " --output " + dir.File("out.json"));
    EXPECT_EQ(out.exit_code, 2) << c.args << "\n" << out.out;
    EXPECT_NE(out.out.find(c.expected), std::string::npos) << c.args << "\n" << out.out;
    EXPECT_FALSE(std::filesystem::exists(dir.File("out.json"))) << c.args;
  }
  EXPECT_NE(Simulate("--subjects 284 --events 247").exit_code, 0);  // --hr is required
}

}  // namespace
}  // namespace stream
