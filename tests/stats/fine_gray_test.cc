// Fine–Gray (cmprsk::crr) against R's output in refdata.
//
// Tolerances: coefficients, variances, SEs, sHRs, z and the pseudo log-likelihoods to
// relative 1e-9; p-values to absolute 1e-10. crr stops when the scaled gradient is below
// 1e-6 of the log-likelihood, so the estimate is the Newton iterate R stopped at; we
// follow the same iterates (same start, line search and stopping rule) with the same sums
// in another order (prefix sums instead of nested loops), so agreement is limited by
// rounding: measured < 1e-11. The score at the
// estimate is ~1e-9 in R: it is compared with absolute tolerance 1e-7 (its digits are
// rounding noise).
#include "stats/fine_gray.h"

#include <gtest/gtest.h>

#include <regex>

#include "stats/regression_support.h"
#include "support/refdata.h"

namespace stream::stats {
namespace {

using testing::AllNear;
using testing::JsonNumber;
using testing::JsonNumbers;
using testing::Near;
using testing::ToStd;

constexpr double kRel = 1e-9;

void CheckCase(const nlohmann::json& e, const std::string& dataset) {
  const std::string call = e["call"];
  SCOPED_TRACE(e["id"].get<std::string>());
  static const std::regex re(
      R"re(cmprsk::crr\((\w+), (\w+), cov1=model.matrix\(~([^)]+)\)\[,-1\], failcode=(\d+), cencode=0\)(.*))re");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(call, m, re)) << call;
  testing::Frame f = testing::LoadFrame(dataset);
  if (std::string(m[5]).find("cr==1") != std::string::npos) f.Subset("cr", 1);
  const std::vector<std::string> terms = testing::SplitTerms(m[3]);
  std::vector<std::string> used = {m[1], m[2]};
  used.insert(used.end(), terms.begin(), terms.end());
  f.DropMissing(used);
  const Design design = testing::BuildDesign(f, terms);
  std::vector<int> cause;
  for (double c : f.Numbers(m[2])) cause.push_back(static_cast<int>(c));
  FineGrayOptions options;
  options.failcode = std::stoi(m[4]);
  auto r = FitFineGray(f.Numbers(m[1]), cause, design.x, design.column_names, options);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->n, e["n"].get<int>());
  EXPECT_EQ(r->names, e["coef_names"].get<std::vector<std::string>>());
  EXPECT_TRUE(AllNear(ToStd(r->coef), JsonNumbers(e["coef"]), kRel)) << "coef";
  EXPECT_TRUE(AllNear(ToStd(r->se), JsonNumbers(e["se"]), kRel)) << "se";
  EXPECT_TRUE(AllNear(ToStd(r->shr), JsonNumbers(e["shr"]), kRel)) << "shr";
  EXPECT_TRUE(AllNear(ToStd(r->shr_lower95), JsonNumbers(e["shr_lower95"]), kRel));
  EXPECT_TRUE(AllNear(ToStd(r->shr_upper95), JsonNumbers(e["shr_upper95"]), kRel));
  EXPECT_TRUE(AllNear(ToStd(r->z), JsonNumbers(e["z"]), kRel)) << "z";
  EXPECT_TRUE(AllNear(ToStd(r->p), JsonNumbers(e["p"]), kRel, 1e-10)) << "p";
  for (Eigen::Index i = 0; i < r->var.rows(); ++i) {
    EXPECT_TRUE(AllNear(ToStd(r->var.row(i).transpose()), JsonNumbers(e["var"][i]), kRel))
        << "var row " << i;
  }
  EXPECT_TRUE(Near(r->pseudo_loglik, JsonNumber(e["pseudo_loglik"]), kRel));
  EXPECT_TRUE(Near(r->pseudo_loglik_null, JsonNumber(e["pseudo_loglik_null"]), kRel));
  EXPECT_TRUE(Near(r->pseudo_lr_test.stat, JsonNumber(e["pseudo_lr_test"]["stat"]), kRel));
  EXPECT_EQ(r->pseudo_lr_test.df, e["pseudo_lr_test"]["df"].get<int>());
  EXPECT_TRUE(AllNear(ToStd(r->score), JsonNumbers(e["score"]), 0, 1e-7)) << "score";
}

void CheckFile(const std::string& file) {
  const auto expected = testing::LoadExpected(file);
  std::string dataset = expected["dataset_csv"];
  dataset = dataset.substr(dataset.find('/') + 1);
  dataset = dataset.substr(0, dataset.size() - 4);
  int checked = 0;
  for (const auto& e : expected["cases"]) {
    if (e["type"] != "crr") continue;
    CheckCase(e, dataset);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(FineGrayRefdata, Bmt) { CheckFile("bmt.competing.json"); }
TEST(FineGrayRefdata, Myeloid) { CheckFile("myeloid.competing.json"); }

TEST(FineGray, ErrorsNameTheField) {
  Eigen::MatrixXd x(4, 1);
  x << 1, 0, 1, 0;
  EXPECT_EQ(FitFineGray({1, 2, 3, 4}, {2, 2, 0, 0}, x).error().where, "cause");
  EXPECT_EQ(FitFineGray({1, 2, 3, 4}, {1, 2, 0}, x).error().where, "cause");
  EXPECT_EQ(FitFineGray({1, -2, 3, 4}, {1, 2, 0, 1}, x).error().where, "time");
  Eigen::MatrixXd constant = Eigen::MatrixXd::Ones(4, 1);
  EXPECT_EQ(FitFineGray({1, 2, 3, 4}, {1, 2, 0, 1}, constant, {"sex"}).error().where, "x.sex");
}

// Without competing events and censoring, Fine–Gray is the Cox model (Breslow ties).
TEST(FineGray, EqualsCoxWithoutCompetingEvents) {
  const std::vector<double> time = {1, 2, 3, 4, 5, 6, 7, 8};
  Eigen::MatrixXd x(8, 1);
  x << 0.5, 1.2, -0.3, 2.0, 0.1, -1.0, 0.7, 0.0;
  auto fg = FitFineGray(time, {1, 1, 1, 1, 1, 1, 1, 1}, x);
  ASSERT_TRUE(fg.ok()) << fg.error().ToString();
  CoxData d;
  d.time = time;
  d.status = {1, 1, 1, 1, 1, 1, 1, 1};
  d.x = x;
  auto cox = FitCox(d);
  ASSERT_TRUE(cox.ok());
  EXPECT_TRUE(Near(fg->coef[0], cox->coef[0], 1e-5));
  EXPECT_TRUE(Near(fg->pseudo_loglik_null, cox->loglik_null, 1e-12));
}

}  // namespace
}  // namespace stream::stats
