// stream analyze, black-box: R's numbers from refdata through the command line, bad
// input rejected with exit code 2 and nothing written.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/refdata.h"
#include "support/temp_dir.h"

namespace stream {
namespace {

using nlohmann::json;
using testing::JsonNumber;
using testing::LoadExpected;
using testing::Near;
using testing::RefdataPath;
using testing::RunCommand;
using testing::StreamBinary;
using testing::TempDir;

testing::CommandOutput Analyze(const std::string& args) {
  return RunCommand(StreamBinary() + " analyze " + args + " 2>&1");
}

json Case(const std::string& file, const std::string& id) {
  const json expected = LoadExpected(file);
  for (const auto& c : expected["cases"]) {
    if (c["id"] == id) return c;
  }
  ADD_FAILURE() << "no case " << id;
  return {};
}

TEST(AnalyzeTest, KmByGroupMatchesSurvfit) {
  auto out = Analyze("km --input " + RefdataPath("datasets/aml.csv") + " --group x");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  const json got = json::parse(out.out);
  const json want = Case("aml.km.json", "aml.km.by_x");
  EXPECT_EQ(got["n"], 23);
  EXPECT_EQ(got["n_dropped_missing"], 0);
  ASSERT_EQ(got["strata"].size(), 2u);
  for (size_t s = 0; s < 2; ++s) {
    const auto& g = got["strata"][s];
    const auto& w = want["strata"][s];
    EXPECT_EQ(g["stratum"], w["stratum"]);
    EXPECT_EQ(g["n_risk"], w["n_risk"]);
    for (size_t i = 0; i < w["surv"].size(); ++i) {
      EXPECT_TRUE(Near(JsonNumber(g["surv"][i]), JsonNumber(w["surv"][i]), 1e-12));
      EXPECT_TRUE(Near(JsonNumber(g["lower"][i]), JsonNumber(w["ci95"]["log"]["lower"][i]), 1e-11));
    }
    EXPECT_TRUE(
        Near(JsonNumber(g["median"]["median"]), JsonNumber(w["median"]["log"]["median"]), 1e-12));
  }
}

TEST(AnalyzeTest, KmDropsRowsWithMissingValuesAsR) {
  // rfs_time is NA for patients without CR: R's subset(cr == 1) is the complete cases.
  auto out = Analyze("km --input " + RefdataPath("datasets/myeloid_endpoints.csv") +
                     " --time rfs_time --event rfs_event --group trt --conf-type log-log");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  const json got = json::parse(out.out);
  const json want = Case("myeloid.km.json", "myeloid.km.rfs.by_trt");
  EXPECT_EQ(got["n"], 454);
  EXPECT_EQ(got["n_dropped_missing"], 646 - 454);
  const auto& w = want["strata"][1];
  const auto& g = got["strata"][1];
  EXPECT_EQ(g["stratum"], w["stratum"]);
  const size_t last = w["surv"].size() / 2;
  EXPECT_TRUE(
      Near(JsonNumber(g["upper"][last]), JsonNumber(w["ci95"]["log-log"]["upper"][last]), 1e-11));
}

TEST(AnalyzeTest, LogRankMatchesSurvdiffPlainPetoAndStratified) {
  auto out = Analyze("logrank --input " + RefdataPath("datasets/aml.csv") + " --group x");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  json got = json::parse(out.out);
  json want = Case("aml.logrank.json", "aml.logrank.x");
  EXPECT_TRUE(Near(got["chisq"], want["chisq"], 1e-12));
  EXPECT_TRUE(Near(got["p"], want["p"], 1e-12));
  EXPECT_TRUE(Near(got["expected"][0], want["expected"][0], 1e-12));
  EXPECT_EQ(got["df"], 1);

  out = Analyze("logrank --input " + RefdataPath("datasets/aml.csv") + " --group x --rho 1");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  got = json::parse(out.out);
  want = Case("aml.logrank.json", "aml.petopeto.x");
  EXPECT_TRUE(Near(got["chisq"], want["chisq"], 1e-12));

  out = Analyze("logrank --input " + RefdataPath("datasets/myeloid_endpoints.csv") +
                " --time os_time --event os_event --group trt --strata flt3");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  got = json::parse(out.out);
  want = Case("myeloid.logrank.json", "myeloid.logrank.os.trt.strata_flt3");
  EXPECT_TRUE(Near(got["chisq"], want["chisq"], 1e-11));
  EXPECT_TRUE(Near(got["p"], want["p"], 1e-10));
}

TEST(AnalyzeTest, RateMatchesBinomTestAndPropTest) {
  const json expected = LoadExpected("binomial.ci.json");
  for (const auto& c : expected["cases"]) {
    const std::string x = std::to_string(c["x"].get<int>());
    const std::string n = std::to_string(c["n"].get<int>());
    auto out = Analyze("rate --events " + x + " --n " + n);
    ASSERT_EQ(out.exit_code, 0) << out.out;
    const json got = json::parse(out.out);
    const auto& cp = c["clopper_pearson"];
    EXPECT_TRUE(Near(got["clopper_pearson"]["conf"]["lower"], cp["conf95"][0], 1e-10)) << x;
    EXPECT_TRUE(Near(got["clopper_pearson"]["conf"]["upper"], cp["conf95"][1], 1e-10)) << x;
    EXPECT_TRUE(Near(got["clopper_pearson"]["p"], cp["p_two_sided_vs_0.5"], 1e-10)) << x;
    EXPECT_TRUE(Near(got["wilson"]["conf"]["upper"], c["wilson"]["conf95"][1], 1e-10)) << x;
    EXPECT_TRUE(Near(got["wilson"]["p"], c["wilson"]["p_vs_0.5"], 1e-10)) << x;
  }
}

TEST(AnalyzeTest, RateFromAColumnCountsOnesAndDropsMissing) {
  TempDir dir;
  std::ofstream(dir.File("r.csv")) << "id,response\n1,1\n2,0\n3,\n4,1\n5,NA\n";
  auto out = Analyze("rate --input " + dir.File("r.csv"));
  ASSERT_EQ(out.exit_code, 0) << out.out;
  const json got = json::parse(out.out);
  EXPECT_EQ(got["x"], 2);
  EXPECT_EQ(got["n"], 3);
  EXPECT_EQ(got["n_dropped_missing"], 2);
}

TEST(AnalyzeTest, SampleSizeMatchesRpactFixedDesigns) {
  const json want = Case("rpact.design.json", "rpact.hr0.7.fixed.alpha0.025.sided1.power0.8");
  auto out = Analyze(
      "samplesize --hr 0.7 --alpha 0.025 --power 0.8 --sided 1 "
      "--median-control 6 --accrual 24 --follow-up 12");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  json got = json::parse(out.out);
  EXPECT_TRUE(Near(got["events"], want["sample_size"]["maxNumberOfEvents"], 1e-9));
  EXPECT_TRUE(Near(got["subjects"], want["sample_size"]["maxNumberOfSubjects"], 1e-9));
  EXPECT_TRUE(Near(got["accrual_intensity"], want["sample_size"]["accrualIntensity"], 1e-9));
  EXPECT_EQ(got["planned"]["subjects"], 284);
  EXPECT_EQ(got["planned"]["events"], 247);
  EXPECT_TRUE(Near(got["planned"]["power"], want["power_calc"]["overallReject"], 1e-8));

  const json freedman =
      Case("rpact.design.json", "rpact.hr0.7.fixed.alpha0.025.sided1.power0.8.Freedman");
  out = Analyze("samplesize --hr 0.7 --method freedman");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  got = json::parse(out.out);
  EXPECT_TRUE(Near(got["events"], freedman["sample_size"]["maxNumberOfEvents"], 1e-9));
}

TEST(AnalyzeTest, KmSvgIsAPlotWithOneCurvePerGroupAndTheNumbersAtRisk) {
  TempDir dir;
  auto out = Analyze("km --input " + RefdataPath("datasets/aml.csv") +
                     " --group x --format svg --output " + dir.File("km.svg"));
  ASSERT_EQ(out.exit_code, 0) << out.out;
  std::ifstream in(dir.File("km.svg"));
  const std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  size_t curves = 0;
  for (size_t at = svg.find("class=\"curve\""); at != std::string::npos;
       at = svg.find("class=\"curve\"", at + 1)) {
    ++curves;
  }
  EXPECT_EQ(curves, 2u);
  EXPECT_NE(svg.find("class=\"band\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"censor\""), std::string::npos);
  EXPECT_NE(svg.find("Number at risk"), std::string::npos);
  // At t = 0: 11 and 12 at risk; at t = 25 (second tick): 6 and 5.
  EXPECT_NE(svg.find(">11</text>"), std::string::npos);
  EXPECT_NE(svg.find(">12</text>"), std::string::npos);
  EXPECT_NE(svg.find(">6</text>"), std::string::npos);
}

TEST(AnalyzeTest, BadInputExitsWithTwoNamesColumnAndLineAndWritesNothing) {
  TempDir dir;
  struct Case {
    std::string csv;
    std::string args;
    std::string expected;
  } cases[] = {
      {"time,status,arm\n5,1,A\n-3,0,B\n", "--group arm", "in.csv:3: column 'time': negative time"},
      {"time,status,arm\n5,1,A\nsoon,0,B\n", "--group arm",
       "column 'time': 'soon' is not a number"},
      {"time,status,arm\n5,1,A\n7,2,B\n", "--group arm", "column 'status': '2' is not 0 or 1"},
      {"time,status,arm\n5,1,A\n7,0,B\n", "--group arm --group-levels A,B,C",
       "group 'C' has no rows"},
      {"time,status,arm\n5,1,A\n7,0,B\n", "--group treatment", "no column 'treatment'"},
      {"time,status\n5,1\n7,0\n", "--group arm", "no column 'arm'"},
  };
  for (const auto& c : cases) {
    std::ofstream(dir.File("in.csv")) << c.csv;
    for (const std::string sub : {"km", "logrank"}) {
      auto out = Analyze(sub + " --input " + dir.File("in.csv") + " " + c.args + " --output " +
                         dir.File("out.json"));
      EXPECT_EQ(out.exit_code, 2) << sub << " " << c.csv << out.out;
      EXPECT_NE(out.out.find(c.expected), std::string::npos) << out.out;
      EXPECT_FALSE(std::filesystem::exists(dir.File("out.json"))) << sub << " " << c.csv;
    }
  }
  auto out = Analyze("km --input " + dir.File("in.csv") + " --time time --event status");
  EXPECT_EQ(out.exit_code, 0) << out.out;
  out = Analyze("km --input " + dir.File("missing.csv"));
  EXPECT_NE(out.exit_code, 0);
  out = Analyze("logrank --input " + dir.File("in.csv") + " --group arm --format svg");
  EXPECT_NE(out.exit_code, 0);
}

}  // namespace
}  // namespace stream
