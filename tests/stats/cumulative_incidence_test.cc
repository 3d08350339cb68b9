// cmprsk::cuminc (curves, variances, Gray's test, timepoints) against R's output in refdata.
//
// Tolerances: cuminc estimates and variances to relative 1e-12 (plus absolute 1e-15 for
// zeros): the code transcribes cmprsk's Fortran (cinc, crstm, tpoi) in the same
// floating-point order (measured: < 1e-13). Gray's statistic to relative 1e-10 (a small
// matrix solve; measured < 1e-11) and its p-value to absolute 1e-12.
// survival::survfit's Aalen–Johansen estimate: counts exactly, pstate to 1e-12, the
// infinitesimal-jackknife std_err and the log limits to 1e-10 (the influence sums are
// propagated as a K × K matrix instead of per subject: same algebra, other rounding;
// measured < 1e-12).
#include "stats/cumulative_incidence.h"

#include <gtest/gtest.h>

#include <regex>

#include "stats/aalen_johansen.h"
#include "stats/regression_support.h"
#include "support/refdata.h"

namespace stream::stats {
namespace {

using testing::AllNear;
using testing::JsonNumber;
using testing::JsonNumbers;
using testing::Near;

constexpr double kRel = 1e-12;
constexpr double kAbs = 1e-15;

void CheckCase(const nlohmann::json& e, const std::string& dataset) {
  const std::string call = e["call"];
  SCOPED_TRACE(e["id"].get<std::string>());
  static const std::regex re(
      R"re(cmprsk::cuminc\((\w+), (\w+)(?:, (\w+))?(?:, strata=(\w+))?, cencode=0\)(.*))re");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(call, m, re)) << call;
  testing::Frame f = testing::LoadFrame(dataset);
  if (std::string(m[5]).find("cr==1") != std::string::npos) f.Subset("cr", 1);
  std::vector<std::string> used = {m[1], m[2]};
  if (m[3].matched) used.push_back(m[3]);
  if (m[4].matched) used.push_back(m[4]);
  f.DropMissing(used);
  std::vector<double> time = f.Numbers(m[1]);
  std::vector<int> cause, group, stratum;
  for (double c : f.Numbers(m[2])) cause.push_back(static_cast<int>(c));
  CumincOptions options;
  if (m[3].matched) {
    group = testing::StratumIds(f, m[3]);
    options.group_labels = f.levels.at(m[3]);
  }
  if (m[4].matched) stratum = testing::StratumIds(f, m[4]);
  auto r = CumulativeIncidence(time, cause, group, stratum, options);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const auto& curves = e["curves"];
  ASSERT_EQ(r->curves.size(), curves.size());
  for (size_t k = 0; k < curves.size(); ++k) {
    const CumincCurve& c = r->curves[k];
    const auto& ce = curves[k];
    SCOPED_TRACE(ce["name"].get<std::string>());
    EXPECT_EQ(c.name, ce["name"].get<std::string>());
    EXPECT_TRUE(AllNear(c.raw_time, JsonNumbers(ce["raw"]["time"]), 0)) << "raw time";
    EXPECT_TRUE(AllNear(c.raw_est, JsonNumbers(ce["raw"]["est"]), kRel, kAbs)) << "raw est";
    EXPECT_TRUE(AllNear(c.raw_var, JsonNumbers(ce["raw"]["var"]), kRel, kAbs)) << "raw var";
    EXPECT_TRUE(AllNear(c.time, JsonNumbers(ce["step"]["time"]), 0)) << "step time";
    EXPECT_TRUE(AllNear(c.est, JsonNumbers(ce["step"]["est"]), kRel, kAbs)) << "step est";
    EXPECT_TRUE(AllNear(c.var, JsonNumbers(ce["step"]["var"]), kRel, kAbs)) << "step var";
  }
  if (e.contains("gray_test")) {
    const auto& g = e["gray_test"];
    ASSERT_EQ(r->tests.size(), g["stat"].size());
    for (size_t k = 0; k < r->tests.size(); ++k) {
      EXPECT_EQ(std::to_string(r->tests[k].cause), g["cause"][k].get<std::string>());
      EXPECT_TRUE(Near(r->tests[k].stat, JsonNumber(g["stat"][k]), 1e-10)) << "gray stat";
      EXPECT_TRUE(Near(r->tests[k].p, JsonNumber(g["p"][k]), 1e-10, 1e-12)) << "gray p";
      EXPECT_EQ(r->tests[k].df, g["df"][k].get<int>());
    }
  } else {
    EXPECT_TRUE(r->tests.empty());
  }
  if (e.contains("timepoints")) {
    const auto& tp = e["timepoints"];
    const CumincTimepoints t = Timepoints(*r, JsonNumbers(tp["times"]));
    ASSERT_EQ(t.est.size(), tp["est"].size());
    for (size_t k = 0; k < t.est.size(); ++k) {
      EXPECT_TRUE(AllNear(t.est[k], JsonNumbers(tp["est"][k]), kRel, kAbs)) << "tp est " << k;
      EXPECT_TRUE(AllNear(t.var[k], JsonNumbers(tp["var"][k]), kRel, kAbs)) << "tp var " << k;
    }
  }
}

void CheckMatrix(const std::vector<std::vector<double>>& actual, const nlohmann::json& expected,
                 const std::string& what, double rel) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t k = 0; k < actual.size(); ++k) {
    EXPECT_TRUE(AllNear(actual[k], JsonNumbers(expected[k]), rel, kAbs)) << what << " row " << k;
  }
}

// survfit(Surv(t, factor(cause, 0:2, ...)) ~ group, data=..., conf.type="log").
void CheckAalenJohansen(const nlohmann::json& e, const std::string& dataset) {
  const std::string call = e["call"];
  SCOPED_TRACE(e["id"].get<std::string>());
  static const std::regex re(
      R"re(survfit\(Surv\((\w+), factor\((\w+), 0:2, c\([^)]*\)\)\) ~ (\w+), data=([^,]*(?:, cr==1\))?), conf.type="log"\))re");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(call, m, re)) << call;
  testing::Frame f = testing::LoadFrame(dataset);
  if (std::string(m[4]).find("cr==1") != std::string::npos) f.Subset("cr", 1);
  f.DropMissing({m[1], m[2], m[3]});
  std::vector<int> cause;
  for (double c : f.Numbers(m[2])) cause.push_back(static_cast<int>(c));
  AalenJohansenOptions options;
  options.causes = {1, 2};
  auto r = AalenJohansen(f.Numbers(m[1]), cause, testing::StratumIds(f, m[3]), options);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const auto& strata = e["strata"];
  ASSERT_EQ(r->curves.size(), strata.size());
  const auto& levels = f.levels.at(m[3]);
  for (size_t g = 0; g < strata.size(); ++g) {
    const AalenJohansenCurve& c = r->curves[g];
    const auto& se = strata[g];
    EXPECT_EQ(std::string(m[3]) + "=" + levels[static_cast<size_t>(c.group)],
              se["stratum"].get<std::string>());
    EXPECT_TRUE(AllNear(c.time, JsonNumbers(se["time"]), 0)) << "time";
    CheckMatrix(c.n_risk, se["n_risk"], "n_risk", 0);
    CheckMatrix(c.n_event, se["n_event"], "n_event", 0);
    EXPECT_TRUE(AllNear(c.n_censor, JsonNumbers(se["n_censor"]), 0)) << "n_censor";
    CheckMatrix(c.pstate, se["pstate"], "pstate", kRel);
    CheckMatrix(c.std_err, se["std_err"], "std_err", 1e-10);
    CheckMatrix(c.lower, se["lower"], "lower", 1e-10);
    CheckMatrix(c.upper, se["upper"], "upper", 1e-10);
  }
}

void CheckFile(const std::string& file) {
  const auto expected = testing::LoadExpected(file);
  std::string dataset = expected["dataset_csv"];
  dataset = dataset.substr(dataset.find('/') + 1);
  dataset = dataset.substr(0, dataset.size() - 4);
  int checked = 0;
  for (const auto& e : expected["cases"]) {
    if (e["type"] == "cuminc") {
      CheckCase(e, dataset);
      ++checked;
    } else if (e["type"] == "aalen_johansen_survfit") {
      CheckAalenJohansen(e, dataset);
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(CumincRefdata, Bmt) { CheckFile("bmt.competing.json"); }
TEST(CumincRefdata, Myeloid) { CheckFile("myeloid.competing.json"); }

// Hand-worked: 4 subjects, no ties. t=1 cause 1, t=2 cause 2, t=3 censored, t=4 cause 1.
// F1(1) = 1/4; S(1) = 3/4; F2(2) = 3/4·1/3 = 1/4; S(2) = 1/2; F1(4) = 1/4 + 1/2·1/1 = 3/4.
TEST(CumincHandWorked, FourSubjects) {
  auto r = CumulativeIncidence({1, 2, 3, 4}, {1, 2, 0, 1}, {}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->curves.size(), 2u);
  EXPECT_EQ(r->curves[0].raw_time, (std::vector<double>{0, 1, 1, 4, 4, 4}));
  EXPECT_TRUE(AllNear(r->curves[0].raw_est, {0, 0, 0.25, 0.25, 0.75, 0.75}, 1e-15));
  EXPECT_EQ(r->curves[0].time, (std::vector<double>{0, 1, 4}));
  EXPECT_TRUE(AllNear(r->curves[1].est, {0, 0.25, 0.25}, 1e-15));
  EXPECT_TRUE(r->tests.empty());
}

// Aalen–Johansen by hand, 4 subjects: t=1 cause 1, t=2 cause 2, t=3 censored, t=4 cause 1.
// p(1) = (3/4, 1/4, 0); p(2) = (1/2, 1/4, 1/4); p(3) unchanged; p(4) = (0, 3/4, 1/4).
// IJ SE of p0 at t=1: the event subject has influence −3/16, the three others +1/16
// each: √(9 + 3)/16 = √12/16.
TEST(AalenJohansenHandWorked, FourSubjects) {
  auto r = AalenJohansen({1, 2, 3, 4}, {1, 2, 0, 1}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->curves.size(), 1u);
  const AalenJohansenCurve& c = r->curves[0];
  EXPECT_EQ(c.time, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_TRUE(AllNear(c.pstate[0], {0.75, 0.25, 0}, 1e-15));
  EXPECT_TRUE(AllNear(c.pstate[1], {0.5, 0.25, 0.25}, 1e-15));
  EXPECT_TRUE(AllNear(c.pstate[2], {0.5, 0.25, 0.25}, 1e-15));
  EXPECT_TRUE(AllNear(c.pstate[3], {0, 0.75, 0.25}, 1e-15));
  EXPECT_TRUE(Near(c.std_err[0][0], std::sqrt(12.0) / 16, 1e-14));
  EXPECT_TRUE(std::isnan(c.lower[0][2]));
  EXPECT_EQ(c.n_censor, (std::vector<double>{0, 0, 1, 0}));
  EXPECT_EQ(AalenJohansen({1, 2}, {1, 3}, {}, {0, {1, 2}, 0.95}).error().where, "cause");
}

TEST(CumincHandWorked, ErrorsNameTheField) {
  EXPECT_EQ(CumulativeIncidence({}, {}, {}, {}).error().where, "time");
  EXPECT_EQ(CumulativeIncidence({1, -1}, {1, 0}, {}, {}).error().where, "time");
  EXPECT_EQ(CumulativeIncidence({1, 2}, {0, 0}, {}, {}).error().where, "cause");
  EXPECT_EQ(CumulativeIncidence({1, 2}, {1}, {}, {}).error().where, "cause");
  EXPECT_EQ(CumulativeIncidence({1, 2}, {1, 0}, {1}, {}).error().where, "group");
}

}  // namespace
}  // namespace stream::stats
