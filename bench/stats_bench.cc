// Timings of the survival statistics on the refdata README's synthetic data: for each
// size n it generates trt ~ Bernoulli(0.5), age ~ N(0,1), risk ~ Bernoulli(0.3),
// T ~ Exp((ln 2/12)·e^η) months with η = log(0.7)·trt + 0.3·age + 0.5·risk,
// C ~ U(0, 60) months, time = ceil(min(T, C)·30.4375) days, status = 1[T <= C]; writes it
// to <dir>/synth_n<n>.csv (the file bench/run-stats hands to R and statsmodels), then
// times Kaplan–Meier by trt and the log-rank test by trt, computation only (the data
// are already in memory), median of --repeats runs.
//
// Output: one line per size, `key=value` pairs that bench/run-stats parses:
//   RESULT n=… events=… csv=… km_s=… logrank_s=… chisq=… median_trt0=… median_trt1=…
// Cox (Efron ties, covariates trt, age, risk) is timed with concordance and the baseline
// hazard, as R's coxph computes them.
//
// Usage: stats_bench [--sizes 10000,100000,1000000] [--dir DIR] [--repeats 3] [--seed 12345]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "stats/cox_model.h"
#include "stats/kaplan_meier.h"
#include "stats/log_rank.h"

namespace {

struct Synthetic {
  std::vector<int> trt, risk, status;
  std::vector<double> age, time;
};

Synthetic Generate(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution half(0.5), thirty(0.3);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> censor(0.0, 60.0);
  std::exponential_distribution<double> unit_exp(1.0);
  Synthetic s;
  s.trt.resize(n);
  s.age.resize(n);
  s.risk.resize(n);
  s.time.resize(n);
  s.status.resize(n);
  // Same draw order as the R reference: all trt, all age, all risk, all T, all C.
  for (auto& v : s.trt) v = half(rng) ? 1 : 0;
  for (auto& v : s.age) v = normal(rng);
  for (auto& v : s.risk) v = thirty(rng) ? 1 : 0;
  const double base = std::log(2.0) / 12.0;
  std::vector<double> event_time(n);
  for (size_t i = 0; i < n; ++i) {
    const double eta = std::log(0.7) * s.trt[i] + 0.3 * s.age[i] + 0.5 * s.risk[i];
    event_time[i] = unit_exp(rng) / (base * std::exp(eta));
  }
  for (size_t i = 0; i < n; ++i) {
    const double c = censor(rng);
    s.status[i] = event_time[i] <= c ? 1 : 0;
    s.time[i] = std::max(1.0, std::ceil(std::min(event_time[i], c) * 30.4375));
  }
  return s;
}

bool WriteCsv(const std::string& path, const Synthetic& s) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return false;
  std::fputs("id,trt,age,risk,time,status\n", f);
  for (size_t i = 0; i < s.time.size(); ++i) {
    std::fprintf(f, "%zu,%d,%.17g,%d,%.0f,%d\n", i + 1, s.trt[i], s.age[i], s.risk[i], s.time[i],
                 s.status[i]);
  }
  return std::fclose(f) == 0;
}

template <typename F>
double MedianSeconds(int repeats, F&& run) {
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    run();
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds[seconds.size() / 2];
}

std::vector<size_t> ParseSizes(const std::string& text) {
  std::vector<size_t> sizes;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    sizes.push_back(static_cast<size_t>(std::stod(text.substr(start, end - start))));
    start = end + 1;
  }
  return sizes;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<size_t> sizes = {10'000, 100'000, 1'000'000};
  std::string dir;
  int repeats = 3;
  uint64_t seed = 12345;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--sizes") {
      sizes = ParseSizes(value);
    } else if (flag == "--dir") {
      dir = value;
    } else if (flag == "--repeats") {
      repeats = std::max(1, std::atoi(value.c_str()));
    } else if (flag == "--seed") {
      seed = std::strtoull(value.c_str(), nullptr, 10);
    } else {
      std::fprintf(stderr, "stats_bench: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  if (dir.empty()) {
    std::string pattern = (std::filesystem::temp_directory_path() / "stream-bench-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      std::perror("stats_bench: mkdtemp");
      return 1;
    }
    dir = pattern;
  }
  std::filesystem::create_directories(dir);

  for (size_t n : sizes) {
    const Synthetic s = Generate(n, seed);
    const std::string csv = dir + "/synth_n" + std::to_string(n) + ".csv";
    if (!WriteCsv(csv, s)) {
      std::fprintf(stderr, "stats_bench: cannot write %s\n", csv.c_str());
      return 1;
    }
    stream::stats::SurvivalData data;
    data.time = s.time;
    data.event = s.status;
    data.group = s.trt;
    data.group_labels = {"trt=0", "trt=1"};
    int64_t events = 0;
    for (int e : s.status) events += e;

    stream::Result<stream::stats::KaplanMeierFit> km = stream::Error{};
    const double km_s = MedianSeconds(repeats, [&] { km = stream::stats::KaplanMeier(data); });
    stream::Result<stream::stats::LogRankResult> lr = stream::Error{};
    const double lr_s = MedianSeconds(repeats, [&] { lr = stream::stats::LogRank(data); });
    stream::stats::CoxData cox_data;
    cox_data.time = s.time;
    cox_data.status = s.status;
    cox_data.x.resize(static_cast<Eigen::Index>(n), 3);
    for (size_t i = 0; i < n; ++i) {
      const auto r = static_cast<Eigen::Index>(i);
      cox_data.x(r, 0) = s.trt[i];
      cox_data.x(r, 1) = s.age[i];
      cox_data.x(r, 2) = s.risk[i];
    }
    cox_data.names = {"trt", "age", "risk"};
    stream::Result<stream::stats::CoxResult> cox = stream::Error{};
    const double cox_s = MedianSeconds(repeats, [&] { cox = stream::stats::FitCox(cox_data); });
    if (!cox.ok()) {
      std::fprintf(stderr, "stats_bench: Cox failed: %s\n", cox.error().ToString().c_str());
      return 1;
    }
    if (!km.ok() || !lr.ok()) {
      std::fprintf(stderr, "stats_bench: analysis failed: %s\n",
                   (!km.ok() ? km.error() : lr.error()).ToString().c_str());
      return 1;
    }
    std::printf(
        "RESULT n=%zu events=%lld csv=%s km_s=%.6g logrank_s=%.6g cox_s=%.6g chisq=%.17g "
        "median_trt0=%.17g median_trt1=%.17g coef_trt=%.17g\n",
        n, static_cast<long long>(events), csv.c_str(), km_s, lr_s, cox_s, lr->chisq,
        km->curves[0].median.quantile, km->curves[1].median.quantile, cox->coef[0]);
    std::fflush(stdout);
  }
  return 0;
}
