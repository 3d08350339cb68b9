#include "stats/trial_simulation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace stream::stats {
namespace {

constexpr double kNoFutility = -6.0;  // rpact's C_FUTILITY_BOUNDS_DEFAULT
constexpr int64_t kMaxSubjects = 10'000'000;
constexpr int64_t kMaxIterations = 100'000'000;
constexpr size_t kMaxStages = 20;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

struct Observation {
  double time;
  bool event;
  bool arm1;
};

// Mantel's log-rank statistic over observations sorted by time: at each distinct time
// with d deaths among n at risk (n1 in arm 1), E1 += d·n1/n and
// V += d·(n1/n)(n2/n)(n − d)/(n − 1); everyone observed at that time then leaves the risk
// set (those censored at a death time count as at risk, as in survdiff).
double LogRankZSorted(const Observation* obs, size_t count, int64_t n1, int64_t n2) {
  double o1 = 0;
  double e1 = 0;
  double v = 0;
  size_t i = 0;
  // Branch-free where the data are random (which arm, event or not): this loop is most
  // of a simulation's time.
  while (i < count) {
    const double t = obs[i].time;
    int64_t d1 = 0;
    int64_t d = 0;
    int64_t leave1 = 0;
    int64_t leave = 0;
    for (; i < count && obs[i].time == t; ++i) {
      const int64_t arm = obs[i].arm1 ? 1 : 0;
      const int64_t event = obs[i].event ? 1 : 0;
      leave1 += arm;
      ++leave;
      d1 += event & arm;
      d += event;
    }
    // Everyone observed at t was at risk at t: n >= leave >= 1.
    const int64_t n = n1 + n2;
    const double inverse = 1.0 / static_cast<double>(n);
    const double p1 = static_cast<double>(n1) * inverse;
    const double dd = static_cast<double>(d);
    o1 += static_cast<double>(d1);
    e1 += dd * p1;
    double dv = dd * p1 * static_cast<double>(n2) * inverse;
    if (d > 1) dv *= static_cast<double>(n - d) / static_cast<double>(n - 1);
    v += dv;
    n1 -= leave1;
    n2 -= leave - leave1;
  }
  return v > 0 ? (o1 - e1) / std::sqrt(v) : 0.0;
}

// Welford's running mean and variance.
class RunningMean {
 public:
  void Add(double x) {
    ++n_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (x - mean_);
  }
  McEstimate Estimate() const {
    if (n_ == 0) return {kNaN, kNaN};
    if (n_ == 1) return {mean_, kNaN};
    const double variance = m2_ / static_cast<double>(n_ - 1);
    return {mean_, std::sqrt(variance / static_cast<double>(n_))};
  }

 private:
  int64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0;
};

McEstimate Proportion(int64_t count, int64_t n) {
  const double p = static_cast<double>(count) / static_cast<double>(n);
  return {p, std::sqrt(p * (1 - p) / static_cast<double>(n))};
}

Status Invalid(const char* message, const char* where) {
  return Fail(ErrorCode::kInvalidArgument, message, where);
}

bool Positive(double x) { return std::isfinite(x) && x > 0; }

Status Validate(const TrialSimulationSettings& s) {
  if (s.sided != 1 && s.sided != 2) return Invalid("sided must be 1 or 2", "sided");
  if (!Positive(s.hazard_ratio)) return Invalid("hazard_ratio must be positive", "hazard_ratio");
  if (!Positive(s.median_control)) {
    return Invalid("median_control must be positive", "median_control");
  }
  if (!Positive(s.accrual_time)) return Invalid("accrual_time must be positive", "accrual_time");
  if (s.allocation1 < 1) return Invalid("allocation1 must be at least 1", "allocation1");
  if (s.allocation2 < 1) return Invalid("allocation2 must be at least 1", "allocation2");
  if (s.subjects < static_cast<int64_t>(s.allocation1) + s.allocation2 ||
      s.subjects > kMaxSubjects) {
    return Invalid("subjects must cover one allocation block and be at most 10^7", "subjects");
  }
  const auto& d = s.planned_events;
  if (d.empty() || d.size() > kMaxStages) {
    return Invalid("planned_events needs 1 to 20 analyses", "planned_events");
  }
  for (size_t k = 0; k < d.size(); ++k) {
    if (d[k] < 1 || (k > 0 && d[k] <= d[k - 1])) {
      return Invalid("planned_events must be strictly increasing positive counts",
                     "planned_events");
    }
  }
  if (d.back() > s.subjects) {
    return Invalid("planned_events cannot exceed the subjects (no one has two events)",
                   "planned_events");
  }
  if (!s.information_rates.empty() && s.information_rates.size() != d.size()) {
    return Invalid("information_rates needs one rate per planned analysis", "information_rates");
  }
  if (!s.futility_bounds.empty()) {
    if (s.sided != 1)
      return Invalid("futility_bounds are for one-sided designs", "futility_bounds");
    if (s.futility_bounds.size() + 1 != d.size()) {
      return Invalid("futility_bounds needs one bound per interim analysis", "futility_bounds");
    }
    for (double f : s.futility_bounds) {
      if (!std::isfinite(f)) return Invalid("futility_bounds must be finite", "futility_bounds");
    }
  }
  if (s.iterations < 1 || s.iterations > kMaxIterations) {
    return Invalid("iterations must be between 1 and 10^8", "iterations");
  }
  return Ok();
}

// Arms in entry order: blocks of allocation1 + allocation2, alternating 1, 2 while both
// have places left, then the larger arm's surplus (rpact's getSimulationSurvival).
std::vector<char> BlockAllocation(int64_t subjects, int allocation1, int allocation2) {
  std::vector<char> block;
  for (int j = 0; j < std::min(allocation1, allocation2); ++j) {
    block.push_back(1);
    block.push_back(0);
  }
  for (int j = allocation2; j < allocation1; ++j) block.push_back(1);
  for (int j = allocation1; j < allocation2; ++j) block.push_back(0);
  std::vector<char> arm1(static_cast<size_t>(subjects));
  for (size_t i = 0; i < arm1.size(); ++i) arm1[i] = block[i % block.size()];
  return arm1;
}

struct Subject {
  double survival;  // time from entry to event
  double calendar;  // entry + survival
  size_t rank;      // position in entry order
};

}  // namespace

double TwoSampleLogRankZ(const std::vector<double>& time, const std::vector<bool>& event,
                         const std::vector<bool>& arm1) {
  std::vector<Observation> obs(time.size());
  int64_t n1 = 0;
  for (size_t i = 0; i < time.size(); ++i) {
    obs[i] = {time[i], event[i], arm1[i]};
    n1 += arm1[i] ? 1 : 0;
  }
  std::sort(obs.begin(), obs.end(),
            [](const Observation& a, const Observation& b) { return a.time < b.time; });
  return LogRankZSorted(obs.data(), obs.size(), n1, static_cast<int64_t>(obs.size()) - n1);
}

Result<TrialSimulationResult> SimulateSurvivalTrial(const TrialSimulationSettings& settings,
                                                    RandomSource& random) {
  STREAM_RETURN_IF_ERROR(Validate(settings));
  const std::vector<int64_t>& planned = settings.planned_events;
  const size_t stages = planned.size();
  TrialSimulationResult out;
  out.information_rates = settings.information_rates;
  if (out.information_rates.empty()) {
    for (int64_t d : planned) {
      out.information_rates.push_back(static_cast<double>(d) / static_cast<double>(planned.back()));
    }
  }
  GroupSequentialDesign gs;
  gs.information_rates = out.information_rates;
  gs.type = settings.boundary;
  STREAM_ASSIGN_OR_RETURN(out.boundaries,
                          GroupSequentialBoundaries(gs, settings.alpha, settings.sided));
  const std::vector<double>& u = out.boundaries.critical_values;
  std::vector<double> futility(stages, kNoFutility);
  for (size_t k = 0; k < settings.futility_bounds.size(); ++k) {
    if (!(settings.futility_bounds[k] < u[k])) {
      return Fail(ErrorCode::kInvalidArgument, "futility_bounds must lie below the critical values",
                  "futility_bounds");
    }
    futility[k] = settings.futility_bounds[k];
  }

  const auto n = static_cast<size_t>(settings.subjects);
  const double accrual = settings.accrual_time;
  out.lambda2 = std::numbers::ln2 / settings.median_control;
  out.lambda1 = settings.hazard_ratio * out.lambda2;
  out.median1 = settings.median_control / settings.hazard_ratio;
  out.accrual_intensity = static_cast<double>(n) / accrual;
  out.allocation_ratio =
      static_cast<double>(settings.allocation1) / static_cast<double>(settings.allocation2);
  out.iterations = settings.iterations;
  const double r = out.allocation_ratio;
  const bool lower = settings.direction == SimulationDirection::kLower;
  const bool random_entry = settings.entry == EntryTimes::kRandomUniform;

  const std::vector<char> arm1 =
      BlockAllocation(settings.subjects, settings.allocation1, settings.allocation2);
  std::vector<int64_t> arm1_before(n + 1, 0);  // arm-1 subjects among the first m entered
  for (size_t i = 0; i < n; ++i) arm1_before[i + 1] = arm1_before[i] + arm1[i];
  std::vector<double> entry(n);
  for (size_t i = 0; i < n; ++i) {
    entry[i] = accrual * static_cast<double>(i + 1) / static_cast<double>(n);
  }
  entry[n - 1] = accrual;

  // Subjects of each arm (0: arm 1, 1: arm 2) by entry rank.
  std::vector<size_t> members[2];
  for (size_t i = 0; i < n; ++i) members[arm1[i] ? 0 : 1].push_back(i);
  const double lambdas[2] = {out.lambda1, out.lambda2};

  // Per-iteration scratch, allocated once.
  std::vector<Subject> arm_sorted[2] = {std::vector<Subject>(members[0].size()),
                                        std::vector<Subject>(members[1].size())};
  std::vector<Subject> by_survival(n);
  std::vector<double> calendar(n);        // by entry rank
  std::vector<double> calendar_order(n);  // partly ordered by nth_element
  std::vector<Observation> events(n);
  std::vector<Observation> censored(n);
  std::vector<Observation> merged(n);

  std::vector<int64_t> reached(stages, 0), rejected(stages, 0), futile(stages, 0);
  std::vector<RunningMean> time_mean(stages), subjects_mean(stages), events_mean(stages),
      power_mean(stages);
  RunningMean stop_events, stop_subjects, stop_time;
  const double* rates = out.information_rates.data();
  const auto exponential = [&random] { return -std::log(1 - random.Uniform()); };

  for (int64_t iteration = 0; iteration < settings.iterations; ++iteration) {
    if (random_entry) {
      // Uniform order statistics: normalised partial sums of N + 1 exponential spacings.
      double sum = 0;
      for (double& e : entry) e = (sum += exponential());
      sum += exponential();
      for (double& e : entry) e *= accrual / sum;
    }
    // Survival: each arm's exponential sample drawn in increasing order (Rényi 1953: the
    // j-th smallest of m adds Exp(λ)/(m − j + 1) to the one before) and handed to the
    // arm's subjects in a random order (Fisher–Yates) — the law of independent draws,
    // without sorting them.
    for (int a = 0; a < 2; ++a) {
      std::vector<size_t>& who = members[a];
      const size_t m = who.size();
      for (size_t j = m; j > 1; --j) {
        const auto pick = static_cast<size_t>(random.Uniform() * static_cast<double>(j));
        std::swap(who[j - 1], who[pick]);
      }
      double survival = 0;
      for (size_t j = 0; j < m; ++j) {
        survival += exponential() / (lambdas[a] * static_cast<double>(m - j));
        const size_t rank = who[j];
        calendar[rank] = entry[rank] + survival;
        arm_sorted[a][j] = {survival, calendar[rank], rank};
      }
    }
    std::merge(arm_sorted[0].begin(), arm_sorted[0].end(), arm_sorted[1].begin(),
               arm_sorted[1].end(), by_survival.begin(),
               [](const Subject& a, const Subject& b) { return a.survival < b.survival; });
    std::copy(calendar.begin(), calendar.end(), calendar_order.begin());

    double previous_z = 0;
    double previous_events = 0;
    for (size_t k = 0; k < stages; ++k) {
      // The D_k-th event time: selection on what lies above the previous analysis's.
      const auto nth = calendar_order.begin() + (planned[k] - 1);
      std::nth_element(calendar_order.begin() + (k == 0 ? 0 : planned[k - 1]), nth,
                       calendar_order.end());
      const double t = *nth;
      const auto entered =
          static_cast<size_t>(std::upper_bound(entry.begin(), entry.end(), t) - entry.begin());
      // Events in order of survival time; the censored in order of t − entry, i.e. latest
      // entry first. Merging the two gives the analysis data sorted without a sort.
      // (Written unconditionally, kept by advancing the count: no unpredictable branch.)
      size_t n_events = 0;
      for (const Subject& s : by_survival) {
        events[n_events] = {s.survival, true, arm1[s.rank] != 0};
        n_events += s.calendar <= t ? 1 : 0;
      }
      size_t n_censored = 0;
      for (size_t i = entered; i-- > 0;) {
        censored[n_censored] = {t - entry[i], false, arm1[i] != 0};
        n_censored += calendar[i] > t ? 1 : 0;
      }
      const size_t n_analysed = n_events + n_censored;
      size_t from_events = 0;
      size_t from_censored = 0;
      for (size_t o = 0; o < n_analysed; ++o) {
        const bool take_event =
            from_censored == n_censored ||
            (from_events < n_events && events[from_events].time <= censored[from_censored].time);
        merged[o] = take_event ? events[from_events] : censored[from_censored];
        from_events += take_event ? 1 : 0;
        from_censored += take_event ? 0 : 1;
      }
      const int64_t n1 = arm1_before[entered];
      const double z =
          LogRankZSorted(merged.data(), n_analysed, n1, static_cast<int64_t>(entered) - n1);
      const double oriented = lower ? -z : z;
      const auto events_now = static_cast<double>(n_events);

      ++reached[k];
      time_mean[k].Add(t);
      subjects_mean[k].Add(static_cast<double>(entered));
      events_mean[k].Add(events_now);
      if (k > 0) {
        // rpact: conditional critical value for stage k given Z_{k−1}, effect estimated
        // from Z_{k−1}, stage events as planned.
        const double c = (std::sqrt(rates[k]) * u[k] - previous_z * std::sqrt(rates[k - 1])) /
                         std::sqrt(rates[k] - rates[k - 1]);
        const double log_theta = previous_z * (1 + r) / std::sqrt(r * previous_events);
        const double added = std::max(0.0, static_cast<double>(planned[k]) - previous_events);
        power_mean[k].Add(1 - Phi(c - log_theta * std::sqrt(added) * std::sqrt(r) / (1 + r)));
      }
      const bool reject = settings.sided == 1 ? oriented >= u[k] : std::abs(z) >= u[k];
      const bool last = k + 1 == stages;
      const bool stop_futile = !reject && !last && settings.sided == 1 && oriented <= futility[k];
      rejected[k] += reject ? 1 : 0;
      futile[k] += stop_futile ? 1 : 0;
      if (reject || stop_futile || last) {
        stop_events.Add(events_now);
        stop_subjects.Add(static_cast<double>(entered));
        stop_time.Add(t);
        break;
      }
      previous_z = oriented;
      previous_events = events_now;
    }
  }

  const int64_t total = settings.iterations;
  int64_t rejected_all = 0;
  int64_t futile_all = 0;
  int64_t early = 0;
  for (size_t k = 0; k < stages; ++k) {
    out.iterations_per_stage.push_back(reached[k]);
    out.reject_per_stage.push_back(Proportion(rejected[k], total));
    rejected_all += rejected[k];
    if (k + 1 < stages) {
      out.futility_per_stage.push_back(Proportion(futile[k], total));
      futile_all += futile[k];
      early += rejected[k] + futile[k];
    }
    out.analysis_time.push_back(time_mean[k].Estimate());
    out.subjects_per_stage.push_back(subjects_mean[k].Estimate());
    out.events_per_stage.push_back(events_mean[k].Estimate());
    out.conditional_power.push_back(k == 0 ? McEstimate{kNaN, kNaN} : power_mean[k].Estimate());
  }
  out.overall_reject = Proportion(rejected_all, total);
  out.futility_stop = Proportion(futile_all, total);
  out.early_stop = Proportion(early, total);
  out.expected_events = stop_events.Estimate();
  out.expected_subjects = stop_subjects.Estimate();
  out.study_duration = stop_time.Estimate();
  return out;
}

}  // namespace stream::stats
