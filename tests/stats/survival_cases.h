// Turns a refdata case (its R call and dataset) into SurvivalData for the tests.
#pragma once

#include <cstdint>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "stats/survival_data.h"
#include "support/refdata.h"

namespace stream::testing {

// The parts of an R call `f(Surv(time, status) ~ group [+ strata(s)], data=...)`.
struct SurvivalCall {
  std::string time, status, group, stratum, dataset, subset_column, subset_value;
};

inline SurvivalCall ParseSurvivalCall(const std::string& call) {
  SurvivalCall out;
  std::smatch m;
  const std::regex surv(R"(Surv\((\w+), (\w+)\) ~ (\w+)(?: \+ strata\((\w+)\))?)");
  if (std::regex_search(call, m, surv)) {
    out.time = m[1];
    out.status = m[2];
    out.group = m[3] == "1" ? "" : std::string(m[3]);
    out.stratum = m[4];
  }
  const std::regex subset(R"(data=subset\((\w+), (\w+)==(\w+)\))");
  const std::regex plain(R"(data=(\w+))");
  if (std::regex_search(call, m, subset)) {
    out.dataset = m[1];
    out.subset_column = m[2];
    out.subset_value = m[3];
  } else if (std::regex_search(call, m, plain)) {
    out.dataset = m[1];
  }
  return out;
}

// Label "x=Maintained" -> "Maintained".
inline std::string LevelOf(const std::string& label) {
  const auto eq = label.find('=');
  return eq == std::string::npos ? label : label.substr(eq + 1);
}

// Builds SurvivalData for `call`, with group codes in the order of `group_labels` and
// stratum codes in the order of `stratum_labels` (labels as R prints them, "x=level").
// Rows with a missing value in a used column are dropped, as R's na.omit does.
inline stats::SurvivalData BuildSurvivalData(const SurvivalCall& call,
                                             const std::vector<std::string>& group_labels,
                                             const std::vector<std::string>& stratum_labels) {
  const Dataset ds = LoadDataset(call.dataset);
  stats::SurvivalData data;
  const auto& time = ds.columns.at(call.time);
  const auto& status = ds.columns.at(call.status);
  const auto code_of = [](const std::optional<std::string>& v,
                          const std::vector<std::string>& labels) {
    for (size_t k = 0; k < labels.size(); ++k) {
      if (v && LevelOf(labels[k]) == *v) return static_cast<int>(k);
    }
    return -1;
  };
  for (size_t i = 0; i < ds.rows; ++i) {
    if (!call.subset_column.empty()) {
      const auto& v = ds.columns.at(call.subset_column)[i];
      if (!v || *v != call.subset_value) continue;
    }
    if (!time[i] || !status[i]) continue;
    int g = 0;
    int s = 0;
    if (!call.group.empty()) {
      g = code_of(ds.columns.at(call.group)[i], group_labels);
      if (g < 0) continue;
    }
    if (!call.stratum.empty()) {
      s = code_of(ds.columns.at(call.stratum)[i], stratum_labels);
      if (s < 0) continue;
    }
    data.time.push_back(std::stod(*time[i]));
    data.event.push_back(static_cast<int>(std::stod(*status[i])));
    if (!call.group.empty()) data.group.push_back(g);
    if (!call.stratum.empty()) data.stratum.push_back(s);
  }
  if (!call.group.empty()) data.group_labels = group_labels;
  if (!call.stratum.empty()) data.stratum_labels = stratum_labels;
  return data;
}

// `n` subjects with integer times 1–1800 days, about 75 % events, two groups and (when
// `strata`) two strata, from a fixed-seed LCG (Knuth MMIX); the seed is printed.
inline stats::SurvivalData LargeSurvivalData(size_t n, uint64_t seed, bool strata) {
  stats::SurvivalData data;
  data.time.resize(n);
  data.event.resize(n);
  data.group.resize(n);
  if (strata) data.stratum.resize(n);
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  uint64_t state = seed;
  for (size_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    data.time[i] = static_cast<double>(1 + (state >> 33) % 1800);
    data.event[i] = ((state >> 20) & 3) != 0;
    data.group[i] = static_cast<int>((state >> 10) & 1);
    if (strata) data.stratum[i] = static_cast<int>((state >> 12) & 1);
  }
  return data;
}

}  // namespace stream::testing
