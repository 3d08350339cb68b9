// Cox model (survival::coxph) against R's output in refdata, plus hand-worked cases.
//
// Tolerances: coefficients, SEs, HRs, z, vcov, log-likelihoods, the three tests and the
// baseline hazard to relative 1e-10. We run the same Newton–Raphson path as coxfit6 (same
// start, same convergence test, same number of iterations, same step-halving), so only
// summation order and R's covariate scaling differ; measured worst case is 1.1e-12 (an
// off-diagonal vcov element of order 1e-4 with cancellation), everything else < 1e-12.
// The margin of ~100× covers other compilers/flags. p-values to relative 1e-10 or
// absolute 1e-12. Concordance counts exactly; C and its SE to relative 1e-12.
#include <gtest/gtest.h>

#include "stats/cox_model.h"
#include "stats/design_matrix.h"
#include "stats/regression_support.h"
#include "support/refdata.h"

namespace stream::stats {
namespace {

using testing::AllNear;
using testing::JsonNumber;
using testing::JsonNumbers;
using testing::Near;
using testing::ToStd;

constexpr double kRel = 1e-10;
constexpr double kPAbs = 1e-12;

using testing::MakeCoxCase;

void ExpectTest(const ChiSquareTest& t, const nlohmann::json& e, const std::string& what) {
  EXPECT_TRUE(Near(t.stat, JsonNumber(e["stat"]), kRel)) << what;
  EXPECT_EQ(t.df, e["df"].get<int>()) << what;
  EXPECT_TRUE(Near(t.p, JsonNumber(e["p"]), kRel, kPAbs)) << what;
}

void CheckCase(const nlohmann::json& e) {
  SCOPED_TRACE(e["id"].get<std::string>());
  testing::CoxCase c = MakeCoxCase(e["call"]);
  auto fit = FitCox(c.data, c.options);
  ASSERT_TRUE(fit.ok()) << fit.error().ToString();
  const CoxResult& r = *fit;
  EXPECT_EQ(r.n, e["n"].get<int>());
  EXPECT_EQ(r.nevent, e["nevent"].get<int>());
  EXPECT_EQ(c.dropped, e["n_dropped_missing"].get<size_t>());
  EXPECT_EQ(r.iter, e["iter"].get<int>());
  EXPECT_EQ(r.names, e["coef_names"].get<std::vector<std::string>>());
  EXPECT_TRUE(AllNear(ToStd(r.coef), JsonNumbers(e["coef"]), kRel)) << "coef";
  EXPECT_TRUE(AllNear(ToStd(r.se), JsonNumbers(e["se"]), kRel)) << "se";
  EXPECT_TRUE(AllNear(ToStd(r.hr), JsonNumbers(e["hr"]), kRel)) << "hr";
  EXPECT_TRUE(AllNear(ToStd(r.hr_lower95), JsonNumbers(e["hr_lower95"]), kRel));
  EXPECT_TRUE(AllNear(ToStd(r.hr_upper95), JsonNumbers(e["hr_upper95"]), kRel));
  EXPECT_TRUE(AllNear(ToStd(r.z), JsonNumbers(e["z"]), kRel)) << "z";
  EXPECT_TRUE(AllNear(ToStd(r.p), JsonNumbers(e["p"]), kRel, kPAbs)) << "p";
  EXPECT_TRUE(AllNear(ToStd(r.means), JsonNumbers(e["means"]), kRel)) << "means";
  for (Eigen::Index i = 0; i < r.vcov.rows(); ++i) {
    EXPECT_TRUE(AllNear(ToStd(r.vcov.row(i).transpose()), JsonNumbers(e["vcov"][i]), kRel))
        << "vcov row " << i;
  }
  EXPECT_TRUE(Near(r.loglik_null, JsonNumber(e["loglik_null"]), kRel)) << "loglik_null";
  EXPECT_TRUE(Near(r.loglik_final, JsonNumber(e["loglik_final"]), kRel)) << "loglik_final";
  ExpectTest(r.lr_test, e["lr_test"], "lr_test");
  ExpectTest(r.wald_test, e["wald_test"], "wald_test");
  ExpectTest(r.score_test, e["score_test"], "score_test");
  const auto& ce = e["concordance"];
  EXPECT_EQ(r.concordance.concordant, ce["concordant"].get<double>());
  EXPECT_EQ(r.concordance.discordant, ce["discordant"].get<double>());
  EXPECT_EQ(r.concordance.tied_x, ce["tied_x"].get<double>());
  EXPECT_EQ(r.concordance.tied_y, ce["tied_y"].get<double>());
  EXPECT_EQ(r.concordance.tied_xy, ce["tied_xy"].get<double>());
  EXPECT_TRUE(Near(r.concordance.c, JsonNumber(ce["c"]), 1e-12)) << "concordance c";
  EXPECT_TRUE(Near(r.concordance.se, JsonNumber(ce["se"]), 1e-12)) << "concordance se";
  if (!e.contains("baseline_cumhaz_at_zero")) return;
  const auto& be = e["baseline_cumhaz_at_zero"];
  ASSERT_EQ(r.baseline.size(), be.size());
  for (size_t s = 0; s < be.size(); ++s) {
    EXPECT_TRUE(AllNear(r.baseline[s].time, JsonNumbers(be[s]["time"]), 0)) << "stratum " << s;
    EXPECT_TRUE(AllNear(r.baseline[s].cumhaz, JsonNumbers(be[s]["cumhaz"]), kRel))
        << "baseline stratum " << s;
  }
}

void CheckFile(const std::string& file) {
  const auto expected = testing::LoadExpected(file);
  int checked = 0;
  for (const auto& e : expected["cases"]) {
    if (e["type"] != "coxph") continue;
    CheckCase(e);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(CoxRefdata, Aml) { CheckFile("aml.cox.json"); }  // includes ties="exact"
TEST(CoxRefdata, Veteran) { CheckFile("veteran.cox.json"); }
TEST(CoxRefdata, Bmt) { CheckFile("bmt.cox.json"); }
TEST(CoxRefdata, Myeloid) { CheckFile("myeloid.cox.json"); }
TEST(CoxRefdata, SynthN10000) { CheckFile("synth_n10000.all.json"); }

// Two subjects, one event at t=1 with x=1, the other censored at t=2 with x=0: the
// partial likelihood e^β/(e^β+1) increases without bound, so β is infinite.
TEST(CoxHandWorked, TwoSubjectsSeparatedIsAnError) {
  CoxData d;
  d.time = {1, 2};
  d.status = {1, 0};
  d.x = Eigen::MatrixXd(2, 1);
  d.x << 1, 0;
  d.names = {"x"};
  auto fit = FitCox(d);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fit.error().where, "x.x");
}

// Three subjects: deaths at t=1 (x=1) and t=2 (x=0), censored at 3 (x=1).
// L(β) = e^β/(2e^β+1) · 1/(e^β+1); loglik at 0 = log(1/3)+log(1/2);
// score at 0: (1 − 2/3) + (0 − 1/2) = −1/6; information at 0: 2/9 + 1/4 = 17/36;
// score test = (1/36)/(17/36) = 1/17.
TEST(CoxHandWorked, ThreeSubjectsClosedForm) {
  CoxData d;
  d.time = {1, 2, 3};
  d.status = {1, 1, 0};
  d.x = Eigen::MatrixXd(3, 1);
  d.x << 1, 0, 1;
  auto fit = FitCox(d);
  ASSERT_TRUE(fit.ok()) << fit.error().ToString();
  EXPECT_TRUE(Near(fit->loglik_null, std::log(1.0 / 3) + std::log(0.5), 1e-14));
  EXPECT_TRUE(Near(fit->score_test.stat, 1.0 / 17, 1e-13));
  // Maximiser: d/dβ [β − log(2e^β+1) − log(e^β+1)] = 0 ⇔ 1 = 2e^β/(2e^β+1) + e^β/(e^β+1)
  // ⇔ 2e^{2β} = 1 ⇔ β = −log(2)/2.
  EXPECT_TRUE(Near(fit->coef[0], -std::log(2.0) / 2, 1e-10));
  EXPECT_EQ(fit->names[0], "x1");
}

// Two deaths tied at t=1 (x = 1, 0) and one censoring at t=2 (x = 0.5): at β = 0 every
// risk score is 1, so Breslow's loglik is 2·log(1/3) and Efron's log(1/3) + log(1/2)
// (the second death sees 3 − ½·2 = 2 subjects).
TEST(CoxHandWorked, TiedPairEfronVersusBreslowNull) {
  CoxData d;
  d.time = {1, 1, 2};
  d.status = {1, 1, 0};
  d.x = Eigen::MatrixXd(3, 1);
  d.x << 1, 0, 0.5;
  CoxOptions breslow;
  breslow.ties = CoxTies::kBreslow;
  auto b = FitCox(d, breslow);
  auto e = FitCox(d);
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(Near(b->loglik_null, 2 * std::log(1.0 / 3), 1e-14));
  EXPECT_TRUE(Near(e->loglik_null, std::log(1.0 / 3) + std::log(0.5), 1e-14));
}

TEST(CoxHandWorked, AllCensoredIsAnError) {
  CoxData d;
  d.time = {1, 2, 3};
  d.status = {0, 0, 0};
  d.x = Eigen::MatrixXd(3, 1);
  d.x << 1, 0, 1;
  auto fit = FitCox(d);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.error().where, "status");
}

TEST(CoxHandWorked, ConstantCovariateIsAnError) {
  CoxData d;
  d.time = {1, 2, 3};
  d.status = {1, 1, 0};
  d.x = Eigen::MatrixXd(3, 2);
  d.x << 1, 2, 0, 2, 1, 2;
  d.names = {"age", "site"};
  auto fit = FitCox(d);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fit.error().where, "x.site");
}

TEST(CoxHandWorked, PerfectSeparationIsAnError) {
  // Everyone with x=1 dies before everyone with x=0.
  CoxData d;
  d.time = {1, 2, 3, 4, 5, 6, 7, 8};
  d.status = {1, 1, 1, 1, 1, 1, 1, 1};
  d.x = Eigen::MatrixXd(8, 1);
  d.x << 1, 1, 1, 1, 0, 0, 0, 0;
  d.names = {"trt"};
  auto fit = FitCox(d);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.error().where, "x.trt");
  EXPECT_NE(fit.error().message.find("infinite"), std::string::npos) << fit.error().message;
}

TEST(CoxHandWorked, BadInputsNameTheField) {
  CoxData d;
  d.time = {1, -2, 3};
  d.status = {1, 1, 0};
  d.x = Eigen::MatrixXd(3, 1);
  d.x << 1, 0, 1;
  auto fit = FitCox(d);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.error().where, "time");
  d.time = {1, NAN, 3};
  EXPECT_EQ(FitCox(d).error().where, "time");
  d.time = {1, 2, 3};
  d.status = {1, 2, 0};
  EXPECT_EQ(FitCox(d).error().where, "status");
  d.status = {1, 1};
  EXPECT_EQ(FitCox(d).error().where, "status");
  CoxData empty;
  EXPECT_EQ(FitCox(empty).error().where, "time");
}

// Properties that hold for any data: the fit does not depend on row order or on the
// values of the stratum ids, and rescaling a covariate rescales its coefficient.
TEST(CoxProperties, InvariantToRowOrderStratumIdsAndScale) {
  testing::CoxCase c = MakeCoxCase(
      "coxph(Surv(time, status) ~ trt + karno + strata(celltype), data=veteran, "
      "ties=\"efron\")");
  auto base = FitCox(c.data, c.options);
  ASSERT_TRUE(base.ok());
  CoxData shuffled = c.data;
  const auto n = static_cast<Eigen::Index>(c.data.time.size());
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::Index j = n - 1 - i;  // reverse the rows
    shuffled.time[static_cast<size_t>(i)] = c.data.time[static_cast<size_t>(j)];
    shuffled.status[static_cast<size_t>(i)] = c.data.status[static_cast<size_t>(j)];
    shuffled.stratum[static_cast<size_t>(i)] = 100 - 7 * c.data.stratum[static_cast<size_t>(j)];
    shuffled.x.row(i) = c.data.x.row(j);
  }
  shuffled.x.col(1) *= 10.0;  // karno in tenths
  auto other = FitCox(shuffled, c.options);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(Near(other->coef[0], base->coef[0], 1e-9));
  EXPECT_TRUE(Near(other->coef[1] * 10.0, base->coef[1], 1e-9));
  EXPECT_TRUE(Near(other->loglik_final, base->loglik_final, 1e-12));
  EXPECT_TRUE(Near(other->score_test.stat, base->score_test.stat, 1e-12));
  EXPECT_EQ(other->concordance.concordant, base->concordance.concordant);
  EXPECT_TRUE(Near(other->concordance.se, base->concordance.se, 1e-12));
  // Strata come back in increasing id order: 100 − 7·id reverses them.
  ASSERT_EQ(other->baseline.size(), base->baseline.size());
  EXPECT_EQ(other->baseline.front().stratum, 100 - 7 * base->baseline.back().stratum);
}

TEST(DesignMatrix, TreatmentContrastsNamedLikeR) {
  DesignBuilder b;
  ASSERT_TRUE(b.AddFactor("flt3", {"A", "C", "B", "A"}, {"A", "B", "C"}).ok());
  ASSERT_TRUE(b.AddNumeric("age", {1, 2, 3, 4}).ok());
  auto d = b.Build();
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->column_names, (std::vector<std::string>{"flt3B", "flt3C", "age"}));
  EXPECT_EQ(d->column_term, (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(d->x(1, 1), 1.0);
  EXPECT_EQ(d->x(2, 0), 1.0);
  EXPECT_EQ(d->x(0, 0) + d->x(0, 1), 0.0);
  DesignBuilder bad;
  auto st = bad.AddFactor("flt3", {"A", "D"}, {"A", "B"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().where, "flt3");
  ASSERT_TRUE(bad.AddNumeric("age", {1, 2, 3}).ok());
  const Status short_column = bad.AddNumeric("x", {1});
  ASSERT_FALSE(short_column.ok());
  EXPECT_EQ(short_column.error().where, "x");
  EXPECT_FALSE(DesignBuilder().Build().ok());
}

}  // namespace
}  // namespace stream::stats
