#include "stats/sample_size.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numbers>

namespace stream::stats {
namespace {

Status CheckDesign(const SurvivalDesign& d) {
  if (d.sided != 1 && d.sided != 2) {
    return Fail(ErrorCode::kInvalidArgument, "sided must be 1 or 2", "sided");
  }
  if (!(d.alpha > 0 && d.alpha / d.sided < 0.5)) {
    return Fail(ErrorCode::kInvalidArgument, "alpha must be in (0, 0.5·sided)", "alpha");
  }
  if (!(d.hazard_ratio > 0) || d.hazard_ratio == 1 || !std::isfinite(d.hazard_ratio)) {
    return Fail(ErrorCode::kInvalidArgument, "hazard_ratio must be positive and not 1",
                "hazard_ratio");
  }
  if (!(d.allocation_ratio > 0) || !std::isfinite(d.allocation_ratio)) {
    return Fail(ErrorCode::kInvalidArgument, "allocation_ratio must be positive",
                "allocation_ratio");
  }
  return Ok();
}

Status CheckAccrual(const SurvivalDesign& d) {
  if (!(d.median_control > 0) || !std::isfinite(d.median_control)) {
    return Fail(ErrorCode::kInvalidArgument, "median_control must be positive", "median_control");
  }
  if (!(d.accrual_time > 0) || !std::isfinite(d.accrual_time)) {
    return Fail(ErrorCode::kInvalidArgument, "accrual_time must be positive", "accrual_time");
  }
  return Ok();
}

double UpperQuantile(double p) {
  const boost::math::normal standard;
  return boost::math::quantile(boost::math::complement(standard, p));
}

}  // namespace

double StandardisedEffect(const SurvivalDesign& d) {
  const double r = d.allocation_ratio;
  const double hr = d.hazard_ratio;
  switch (d.formula) {
    case EventFormula::kSchoenfeld:  // Schoenfeld (1983)
      return std::fabs(std::log(hr)) * std::sqrt(r) / (1 + r);
    case EventFormula::kFreedman:  // Freedman (1982)
      return std::sqrt(r) * std::fabs(1 - hr) / (1 + r * hr);
    case EventFormula::kHsiehFreedman:  // Hsieh (1992)
      return 2 * std::sqrt(r) / (1 + r) * std::fabs(1 - hr) / (1 + hr);
  }
  return 0;
}

namespace {

// Probability that a subject entering uniformly over [0, A] has an event by time t,
// exponential hazard λ: (1/A) ∫_0^{min(t,A)} (1 − e^{−λ(t−u)}) du.
double EventProbability(double lambda, double accrual, double t) {
  const double a = std::min(t, accrual);
  return (a - (std::exp(-lambda * (t - a)) - std::exp(-lambda * t)) / lambda) / accrual;
}

double ExpectedEventFraction(const SurvivalDesign& d, double lambda1, double lambda2, double t) {
  const double r = d.allocation_ratio;
  return (r * EventProbability(lambda1, d.accrual_time, t) +
          EventProbability(lambda2, d.accrual_time, t)) /
         (1 + r);
}

}  // namespace

Result<double> RequiredEvents(const SurvivalDesign& design, double power) {
  STREAM_RETURN_IF_ERROR(CheckDesign(design));
  if (!(power > 0 && power < 1)) {
    return Fail(ErrorCode::kInvalidArgument, "power must be in (0, 1)", "power");
  }
  const double z = UpperQuantile(design.alpha / design.sided) + UpperQuantile(1 - power);
  const double r = design.allocation_ratio;
  const double hr = design.hazard_ratio;
  // The textbook forms (as rpact writes them, so rounding matches).
  switch (design.formula) {
    case EventFormula::kSchoenfeld:
      return z * z / (std::log(hr) * std::log(hr)) * (1 + r) * (1 + r) / r;
    case EventFormula::kFreedman:
      return z * z * (1 + hr * r) * (1 + hr * r) / ((1 - hr) * (1 - hr)) / r;
    case EventFormula::kHsiehFreedman:
      return z * z * (1 + hr) * (1 + hr) / ((1 - hr) * (1 - hr)) * (1 + r) * (1 + r) / (4 * r);
  }
  return Fail(ErrorCode::kInvalidArgument, "unknown event formula", "formula");
}

Result<SampleSizeResult> SampleSizeSurvival(const SurvivalDesign& design, double power,
                                            double follow_up_time) {
  STREAM_ASSIGN_OR_RETURN(const double events, RequiredEvents(design, power));
  STREAM_RETURN_IF_ERROR(CheckAccrual(design));
  if (!(follow_up_time >= 0) || !std::isfinite(follow_up_time)) {
    return Fail(ErrorCode::kInvalidArgument, "follow_up_time must be >= 0", "follow_up_time");
  }
  SampleSizeResult out;
  const double r = design.allocation_ratio;
  out.events = events;
  out.median1 = design.median_control / design.hazard_ratio;
  out.lambda2 = std::numbers::ln2 / design.median_control;
  out.lambda1 = std::numbers::ln2 / out.median1;
  out.analysis_time = design.accrual_time + follow_up_time;
  out.omega = ExpectedEventFraction(design, out.lambda1, out.lambda2, out.analysis_time);
  out.subjects = events / out.omega;
  out.subjects1 = out.subjects * r / (1 + r);
  out.subjects2 = out.subjects / (1 + r);
  out.accrual_intensity = out.subjects / design.accrual_time;
  out.critical_z = UpperQuantile(design.alpha / design.sided);
  const double step = out.critical_z * (1 + r) / std::sqrt(r * events);
  out.critical_hr_lower = std::exp(-step);
  out.critical_hr_upper =
      design.sided == 2 ? std::exp(step) : std::numeric_limits<double>::quiet_NaN();
  return out;
}

double AnalysisTimeForEvents(const SurvivalDesign& design, double events, double subjects) {
  const double lambda2 = std::numbers::ln2 / design.median_control;
  const double lambda1 = lambda2 * design.hazard_ratio;
  const double target = events / subjects;
  // Expected events grow monotonically with calendar time: bracket, then bisect to
  // the last representable digit.
  double lo = 0;
  double hi = design.accrual_time;
  while (ExpectedEventFraction(design, lambda1, lambda2, hi) < target) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const double mid = lo + (hi - lo) / 2;
    if (mid == lo || mid == hi) break;
    if (ExpectedEventFraction(design, lambda1, lambda2, mid) < target) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return (lo + hi) / 2;
}

Result<PowerResult> PowerSurvival(const SurvivalDesign& design, double events, double subjects) {
  STREAM_RETURN_IF_ERROR(CheckDesign(design));
  STREAM_RETURN_IF_ERROR(CheckAccrual(design));
  if (!(subjects > 0) || !std::isfinite(subjects)) {
    return Fail(ErrorCode::kInvalidArgument, "subjects must be positive", "subjects");
  }
  if (!(events > 0 && events < subjects)) {
    return Fail(ErrorCode::kInvalidArgument, "events must be positive and below subjects",
                "events");
  }
  const double r = design.allocation_ratio;
  const double analysis_time = AnalysisTimeForEvents(design, events, subjects);
  PowerResult out;
  out.analysis_time = analysis_time;
  out.follow_up_time = out.analysis_time - design.accrual_time;
  out.accrual_intensity = subjects / design.accrual_time;
  const double z = UpperQuantile(design.alpha / design.sided);
  const double shift = StandardisedEffect(design) * std::sqrt(events);
  const boost::math::normal standard;
  out.power = boost::math::cdf(standard, shift - z);
  if (design.sided == 2) out.power += boost::math::cdf(standard, -shift - z);
  const double step = z * (1 + r) / std::sqrt(r * events);
  out.critical_hr_lower = std::exp(-step);
  out.critical_hr_upper =
      design.sided == 2 ? std::exp(step) : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace stream::stats
