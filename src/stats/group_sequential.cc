#include "stats/group_sequential.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

namespace stream::stats {
namespace {

constexpr double kLowerLimit = -6.0;  // rpact's C_FUTILITY_BOUNDS_DEFAULT
constexpr double kTails = 8.0;        // integrate ±8 SD around the drift

double Phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double UpperTail(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }
double Density(double x) {
  return std::exp(-0.5 * x * x) / (std::numbers::sqrt2 * std::sqrt(std::numbers::pi));
}

// Simpson grid over [a, b] with spacing at most `h`: points and weights.
void SimpsonGrid(double a, double b, double h, std::vector<double>& x, std::vector<double>& w) {
  x.clear();
  w.clear();
  if (!(b > a)) return;
  auto intervals = static_cast<int64_t>(std::ceil((b - a) / h));
  intervals = std::max<int64_t>(2, intervals + (intervals % 2));
  const double step = (b - a) / static_cast<double>(intervals);
  for (int64_t i = 0; i <= intervals; ++i) {
    x.push_back(a + step * static_cast<double>(i));
    const double c = (i == 0 || i == intervals) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
    w.push_back(c * step / 3.0);
  }
}

Status CheckRates(const std::vector<double>& rates) {
  if (rates.empty() || rates.size() > 20 || rates.back() != 1.0) {
    return Fail(ErrorCode::kInvalidArgument, "information_rates must end at 1 (1 to 20 stages)",
                "information_rates");
  }
  for (size_t k = 0; k < rates.size(); ++k) {
    if (!(rates[k] > 0) || (k > 0 && !(rates[k] > rates[k - 1]))) {
      return Fail(ErrorCode::kInvalidArgument,
                  "information_rates must be strictly increasing in (0, 1]", "information_rates");
    }
  }
  return Ok();
}

// The sub-density of the score S_k = Z_k·√t_k on the continuation region, carried
// stage to stage; crossing probabilities of the next stage are sums over it.
class ScoreRecursion {
 public:
  ScoreRecursion(const std::vector<double>& rates, double drift) : rates_(rates), drift_(drift) {}

  // Crossing probabilities at stage k (0-based) given the density after stage k−1.
  void Cross(size_t k, double u, double l, double& up, double& down) const {
    const double t = rates_[k];
    if (k == 0) {
      up = UpperTail(u - drift_ * std::sqrt(t));
      down = Phi(l - drift_ * std::sqrt(t));
      return;
    }
    const double dt = t - rates_[k - 1];
    const double sd = std::sqrt(dt);
    const double su = u * std::sqrt(t);
    const double sl = l * std::sqrt(t);
    up = 0;
    down = 0;
    for (size_t j = 0; j < x_.size(); ++j) {
      const double mean = x_[j] + drift_ * dt;
      up += f_[j] * UpperTail((su - mean) / sd);
      down += f_[j] * Phi((sl - mean) / sd);
    }
  }

  // Moves the density to stage k, restricted to l_k < Z_k < u_k.
  void Advance(size_t k, double u, double l) {
    const double t = rates_[k];
    const double st = std::sqrt(t);
    const double center = drift_ * t;
    const double a = std::max(l * st, center - kTails * st);
    const double b = std::min(u * st, center + kTails * st);
    const double sd = k == 0 ? st : std::sqrt(t - rates_[k - 1]);
    std::vector<double> x;
    std::vector<double> w;
    SimpsonGrid(a, b, sd / 64.0, x, w);
    std::vector<double> f(x.size(), 0.0);
    for (size_t i = 0; i < x.size(); ++i) {
      double density = 0;
      if (k == 0) {
        density = Density((x[i] - center) / st) / st;
      } else {
        for (size_t j = 0; j < x_.size(); ++j) {
          density += f_[j] * Density((x[i] - x_[j] - drift_ * (t - rates_[k - 1])) / sd);
        }
        density /= sd;
      }
      f[i] = density * w[i];  // store weight × density
    }
    x_ = std::move(x);
    f_ = std::move(f);
  }

 private:
  const std::vector<double>& rates_;
  double drift_;
  std::vector<double> x_;  // grid on the score scale
  std::vector<double> f_;  // Simpson weight × sub-density
};

// Lan–DeMets O'Brien–Fleming-type spending for one-sided level a.
double SpentOBrienFleming(double a, double t) {
  const boost::math::normal standard;
  const double z = boost::math::quantile(boost::math::complement(standard, a / 2));
  return 2 * UpperTail(z / std::sqrt(t));
}

template <typename F>
double Solve(F f, double lo, double hi) {
  boost::math::tools::eps_tolerance<double> tol(52);
  std::uintmax_t iterations = 200;
  const auto [a, b] = boost::math::tools::toms748_solve(f, lo, hi, tol, iterations);
  return (a + b) / 2;
}

std::vector<double> Lowers(size_t stages, const std::vector<double>& upper, int sided) {
  std::vector<double> lower(stages);
  for (size_t k = 0; k < stages; ++k) lower[k] = sided == 2 ? -upper[k] : kLowerLimit;
  return lower;
}

}  // namespace

StageProbabilities CrossingProbabilities(const std::vector<double>& information_rates,
                                         const std::vector<double>& upper,
                                         const std::vector<double>& lower, double drift) {
  StageProbabilities out;
  ScoreRecursion recursion(information_rates, drift);
  for (size_t k = 0; k < information_rates.size(); ++k) {
    double up = 0;
    double down = 0;
    recursion.Cross(k, upper[k], lower[k], up, down);
    out.upper.push_back(up);
    out.lower.push_back(down);
    if (k + 1 < information_rates.size()) recursion.Advance(k, upper[k], lower[k]);
  }
  return out;
}

Result<Boundaries> GroupSequentialBoundaries(const GroupSequentialDesign& gs, double alpha,
                                             int sided) {
  STREAM_RETURN_IF_ERROR(CheckRates(gs.information_rates));
  if (sided != 1 && sided != 2) {
    return Fail(ErrorCode::kInvalidArgument, "sided must be 1 or 2", "sided");
  }
  if (!(alpha > 0 && alpha / sided < 0.5)) {
    return Fail(ErrorCode::kInvalidArgument, "alpha must be in (0, 0.5·sided)", "alpha");
  }
  const std::vector<double>& t = gs.information_rates;
  const size_t stages = t.size();
  const double one_sided = alpha / sided;
  Boundaries out;
  out.critical_values.resize(stages);
  if (gs.type == BoundaryType::kOBrienFleming) {
    const auto error_for = [&](double c) {
      std::vector<double> u(stages);
      for (size_t k = 0; k < stages; ++k) u[k] = c / std::sqrt(t[k]);
      const StageProbabilities p = CrossingProbabilities(t, u, Lowers(stages, u, 1), 0.0);
      double total = 0;
      for (double v : p.upper) total += v;
      return total - one_sided;
    };
    const double c = Solve(error_for, 0.0, 10.0);
    for (size_t k = 0; k < stages; ++k) out.critical_values[k] = c / std::sqrt(t[k]);
  } else {
    ScoreRecursion recursion(t, 0.0);
    double spent = 0;
    for (size_t k = 0; k < stages; ++k) {
      const double target = SpentOBrienFleming(one_sided, t[k]) - spent;
      const auto excess = [&](double u) {
        double up = 0;
        double down = 0;
        recursion.Cross(k, u, kLowerLimit, up, down);
        return up - target;
      };
      out.critical_values[k] = Solve(excess, 0.0, 40.0);
      spent += target;
      if (k + 1 < stages) recursion.Advance(k, out.critical_values[k], kLowerLimit);
    }
  }
  const StageProbabilities h0 =
      CrossingProbabilities(t, out.critical_values, Lowers(stages, out.critical_values, sided), 0);
  double cumulative = 0;
  for (size_t k = 0; k < stages; ++k) {
    out.stage_levels.push_back(UpperTail(out.critical_values[k]));
    cumulative += h0.upper[k] + (sided == 2 ? h0.lower[k] : 0.0);
    out.alpha_spent.push_back(cumulative);
  }
  return out;
}

namespace {

// Fills everything that follows from the boundaries, D_max and N. When `sizing`, the
// stage rejection and early-stop probabilities are the efficacy side's only, as rpact
// reports them for a sample-size calculation; expected events count every stop.
GroupSequentialSurvival Characterise(const SurvivalDesign& design, const GroupSequentialDesign& gs,
                                     Boundaries boundaries, double max_events, double subjects,
                                     bool sizing) {
  GroupSequentialSurvival out;
  const std::vector<double>& t = gs.information_rates;
  const size_t stages = t.size();
  const double r = design.allocation_ratio;
  const std::vector<double> lower = Lowers(stages, boundaries.critical_values, design.sided);
  out.max_events = max_events;
  out.max_subjects = subjects;
  out.accrual_intensity = subjects / design.accrual_time;
  const double drift = StandardisedEffect(design) * std::sqrt(max_events);
  const StageProbabilities h1 = CrossingProbabilities(t, boundaries.critical_values, lower, drift);
  const StageProbabilities h0 = CrossingProbabilities(t, boundaries.critical_values, lower, 0.0);
  const StageProbabilities h01 =
      CrossingProbabilities(t, boundaries.critical_values, lower, drift / 2);
  double reach_h1 = 1;
  double reach_h0 = 1;
  double reach_h01 = 1;
  double continue_h1 = 1;  // P_H1(no stop before stage k), sides as early_stop counts them
  for (size_t k = 0; k < stages; ++k) {
    const double events = t[k] * max_events;
    const double time = AnalysisTimeForEvents(design, events, subjects);
    const double n_k = subjects * std::min(time, design.accrual_time) / design.accrual_time;
    out.events_per_stage.push_back(events);
    out.analysis_time.push_back(time);
    out.subjects_per_stage.push_back(n_k);
    const double reject = h1.upper[k] + (design.sided == 2 && !sizing ? h1.lower[k] : 0.0);
    out.reject_per_stage.push_back(reject);
    out.overall_reject += reject;
    const double u = boundaries.critical_values[k];
    const double step = u * (1 + r) / std::sqrt(r * events);
    out.critical_hr_lower.push_back(std::exp(-step));
    out.critical_hr_upper.push_back(design.sided == 2 ? std::exp(step)
                                                      : std::numeric_limits<double>::quiet_NaN());
    if (k + 1 < stages) {
      const double stop_h1 = h1.upper[k] + h1.lower[k];
      const double stop_h0 = h0.upper[k] + h0.lower[k];
      const double stop_h01 = h01.upper[k] + h01.lower[k];
      out.expected_events_h1 += stop_h1 * events;
      out.expected_events_h0 += stop_h0 * events;
      out.expected_events_h01 += stop_h01 * events;
      out.expected_subjects_h1 += stop_h1 * n_k;
      const double stop = sizing ? h1.upper[k] : stop_h1;
      out.study_duration_h1 += stop * time;
      out.early_stop += stop;
      continue_h1 -= stop;
      reach_h1 -= stop_h1;
      reach_h0 -= stop_h0;
      reach_h01 -= stop_h01;
    } else {
      out.expected_events_h1 += reach_h1 * events;
      out.expected_events_h0 += reach_h0 * events;
      out.expected_events_h01 += reach_h01 * events;
      out.expected_subjects_h1 += reach_h1 * n_k;
      out.study_duration_h1 += continue_h1 * time;
    }
  }
  out.boundaries = std::move(boundaries);
  return out;
}

}  // namespace

Result<GroupSequentialSurvival> GroupSequentialSampleSize(const SurvivalDesign& design,
                                                          const GroupSequentialDesign& gs,
                                                          double power, double follow_up_time) {
  // The fixed design validates the inputs and gives ω at the final analysis.
  STREAM_ASSIGN_OR_RETURN(const SampleSizeResult fixed,
                          SampleSizeSurvival(design, power, follow_up_time));
  STREAM_ASSIGN_OR_RETURN(Boundaries boundaries,
                          GroupSequentialBoundaries(gs, design.alpha, design.sided));
  const std::vector<double>& t = gs.information_rates;
  const std::vector<double> lower = Lowers(t.size(), boundaries.critical_values, 1);
  // Drift at full information giving the target power on the efficacy side.
  const auto shortfall = [&](double drift) {
    const StageProbabilities p = CrossingProbabilities(t, boundaries.critical_values, lower, drift);
    double total = 0;
    for (double v : p.upper) total += v;
    return total - power;
  };
  const double fixed_drift = StandardisedEffect(design) * std::sqrt(fixed.events);
  const double drift = Solve(shortfall, 0.0, 4 * fixed_drift + 10);
  const double delta = StandardisedEffect(design);
  const double max_events = (drift / delta) * (drift / delta);
  return Characterise(design, gs, std::move(boundaries), max_events, max_events / fixed.omega,
                      /*sizing=*/true);
}

Result<GroupSequentialSurvival> GroupSequentialPower(const SurvivalDesign& design,
                                                     const GroupSequentialDesign& gs,
                                                     double max_events, double subjects) {
  // The fixed-design power validates the design, events and subjects.
  STREAM_RETURN_IF_ERROR(PowerSurvival(design, max_events, subjects).status());
  STREAM_ASSIGN_OR_RETURN(Boundaries boundaries,
                          GroupSequentialBoundaries(gs, design.alpha, design.sided));
  return Characterise(design, gs, std::move(boundaries), max_events, subjects, /*sizing=*/false);
}

}  // namespace stream::stats
