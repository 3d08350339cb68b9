// stream analyze cox, cif and crr, black-box on R's reference data: the numbers reach the
// command line intact (relative 1e-9: the statistics tests already check 1e-10 and
// tighter; here only the plumbing — columns, factors, strata — is under test).
#include <gtest/gtest.h>

#include <filesystem>

#include "support/refdata.h"
#include "support/temp_dir.h"

namespace stream {
namespace {

using testing::AllNear;
using testing::JsonNumbers;
using testing::LoadExpected;
using testing::RefdataPath;
using testing::RunCommand;
using testing::StreamBinary;

nlohmann::json Analyze(const std::string& args, int expected_exit = 0) {
  auto out = RunCommand(StreamBinary() + " analyze " + args);
  EXPECT_EQ(out.exit_code, expected_exit) << out.out;
  return nlohmann::json::parse(out.out, nullptr, false);
}

const nlohmann::json& Case(const nlohmann::json& file, const std::string& id) {
  for (const auto& c : file["cases"]) {
    if (c["id"] == id) return c;
  }
  throw std::runtime_error("no case " + id);
}

TEST(AnalyzeRegressionTest, CoxWithAFactorAndStrataMatchesR) {
  const auto expected = LoadExpected("veteran.cox.json");
  for (const auto& c : expected["cases"]) {
    const std::string call = c["call"];
    nlohmann::json out;
    if (call ==
        R"(coxph(Surv(time, status) ~ trt + celltype + karno, data=veteran, ties="efron"))") {
      out = Analyze("cox --input " + RefdataPath("datasets/veteran.csv") +
                    " --covariates trt,celltype,karno --factor celltype");
    } else if (
        call ==
        R"(coxph(Surv(time, status) ~ trt + karno + strata(celltype), data=veteran, ties="breslow"))") {
      out = Analyze("cox --input " + RefdataPath("datasets/veteran.csv") +
                    " --covariates trt,karno --strata celltype --ties breslow");
    } else {
      continue;
    }
    EXPECT_TRUE(AllNear(JsonNumbers(out["coef"]), JsonNumbers(c["coef"]), 1e-9)) << call;
    EXPECT_TRUE(AllNear(JsonNumbers(out["se"]), JsonNumbers(c["se"]), 1e-9)) << call;
    EXPECT_TRUE(testing::Near(out["loglik_final"], testing::JsonNumber(c["loglik_final"]), 1e-9))
        << call;
  }
}

TEST(AnalyzeRegressionTest, CumulativeIncidenceAndGraysTestMatchCmprsk) {
  const auto file = LoadExpected("bmt.competing.json");
  const auto& c = Case(file, "bmt.cuminc.by_group");
  auto out = Analyze("cif --input " + RefdataPath("datasets/bmt_derived.csv") +
                     " --time cr_time --status cr_cause --group group_f");
  ASSERT_EQ(out["gray_test"].size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(
        testing::Near(out["gray_test"][i]["stat"], c["gray_test"]["stat"][i].get<double>(), 1e-9));
    EXPECT_TRUE(
        testing::Near(out["gray_test"][i]["p"], c["gray_test"]["p"][i].get<double>(), 0, 1e-9));
  }
}

TEST(AnalyzeRegressionTest, CumulativeIncidenceDrawsAnSvgWithTheAtRiskTable) {
  auto out = RunCommand(StreamBinary() + " analyze cif --input " +
                        RefdataPath("datasets/bmt_derived.csv") +
                        " --time cr_time --status cr_cause --group group_f --format svg");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  EXPECT_NE(out.out.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_NE(out.out.find("Cumulative incidence of cause 1"), std::string::npos);
  EXPECT_NE(out.out.find("AML-high 1"), std::string::npos);
  EXPECT_NE(out.out.find("Number at risk"), std::string::npos);
  EXPECT_NE(out.out.find("</svg>"), std::string::npos);
}

TEST(AnalyzeRegressionTest, FineGrayMatchesCrr) {
  const auto file = LoadExpected("bmt.competing.json");
  const auto& c = Case(file, "bmt.crr.relapse");
  auto out =
      Analyze("crr --input " + RefdataPath("datasets/bmt_derived.csv") +
              " --time cr_time --status cr_cause --covariates group_f,z1,z10 --factor group_f");
  EXPECT_EQ(out["coef_names"], c["coef_names"]);
  EXPECT_TRUE(AllNear(JsonNumbers(out["coef"]), JsonNumbers(c["coef"]), 1e-9));
  EXPECT_TRUE(AllNear(JsonNumbers(out["se"]), JsonNumbers(c["se"]), 1e-9));
}

TEST(AnalyzeRegressionTest, BadInputIsNamedAndWritesNothing) {
  testing::TempDir dir;
  const std::string out_file = dir.File("out.json");
  auto constant = RunCommand("printf 'time,status,x\\n1,1,2\\n2,0,2\\n3,1,2\\n' > " +
                             dir.File("c.csv") + " && " + StreamBinary() + " analyze cox --input " +
                             dir.File("c.csv") + " --covariates x -o " + out_file + " 2>&1");
  EXPECT_NE(constant.exit_code, 0);
  EXPECT_NE(constant.out.find("x"), std::string::npos) << constant.out;
  EXPECT_FALSE(std::filesystem::exists(out_file));
  auto negative =
      RunCommand("printf 'time,status\\n-1,1\\n2,2\\n' > " + dir.File("n.csv") + " && " +
                 StreamBinary() + " analyze cif --input " + dir.File("n.csv") + " 2>&1");
  EXPECT_NE(negative.exit_code, 0);
  EXPECT_NE(negative.out.find("negative time"), std::string::npos) << negative.out;
  auto unknown = RunCommand(StreamBinary() + " analyze crr --input " +
                            RefdataPath("datasets/bmt_derived.csv") +
                            " --time cr_time --status cr_cause --covariates colour 2>&1");
  EXPECT_NE(unknown.out.find("no column 'colour'"), std::string::npos) << unknown.out;
}

}  // namespace
}  // namespace stream
