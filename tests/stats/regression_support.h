// Test support for the regression tests: turns the R calls recorded in refdata into
// inputs for the C++ models (dataset rows, factor levels in R's order, design matrices).
#pragma once

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "stats/cox_model.h"
#include "stats/design_matrix.h"
#include "support/refdata.h"

namespace stream::testing {

// A dataset with its factor levels (from <name>.meta.json), restricted to chosen rows.
struct Frame {
  Dataset data;
  std::map<std::string, std::vector<std::string>> levels;  // factor columns only
  std::vector<size_t> rows;                                // rows in use

  bool IsFactor(const std::string& name) const { return levels.count(name) > 0; }
  std::vector<double> Numbers(const std::string& name) const {
    std::vector<double> all = data.Numbers(name), out;
    for (size_t r : rows) out.push_back(all[r]);
    return out;
  }
  std::vector<std::string> Texts(const std::string& name) const {
    std::vector<std::string> all = data.Texts(name), out;
    for (size_t r : rows) out.push_back(all[r]);
    return out;
  }
  // Keeps only rows where every named column is present (R's na.omit); returns #dropped.
  size_t DropMissing(const std::vector<std::string>& names) {
    std::vector<size_t> kept;
    for (size_t r : rows) {
      bool ok = true;
      for (const auto& n : names) ok = ok && data.columns.at(n)[r].has_value();
      if (ok) kept.push_back(r);
    }
    const size_t dropped = rows.size() - kept.size();
    rows = kept;
    return dropped;
  }
  // Keeps rows where `name` == value.
  void Subset(const std::string& name, double value) {
    std::vector<double> all = data.Numbers(name);
    std::vector<size_t> kept;
    for (size_t r : rows)
      if (all[r] == value) kept.push_back(r);
    rows = kept;
  }
};

inline Frame LoadFrame(const std::string& name) {
  Frame f;
  f.data = LoadDataset(name);
  std::ifstream in(RefdataPath("datasets/" + name + ".meta.json"));
  const auto meta = nlohmann::json::parse(in);
  for (const auto& col : meta["columns"]) {
    if (col["r_type"] == "factor") {
      f.levels[col["name"]] = col["levels"].get<std::vector<std::string>>();
    } else if (col["r_type"] == "character") {
      // R turns a character column into a factor with sorted levels.
      std::set<std::string> u;
      for (const auto& v : f.data.columns.at(col["name"]))
        if (v) u.insert(*v);
      f.levels[col["name"]] = std::vector<std::string>(u.begin(), u.end());
    }
  }
  for (size_t r = 0; r < f.data.rows; ++r) f.rows.push_back(r);
  return f;
}

// Splits "a + b + strata(c)" into terms.
inline std::vector<std::string> SplitTerms(const std::string& rhs) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : rhs) {
    if (ch == '+') {
      out.push_back(cur);
      cur.clear();
    } else if (ch != ' ') {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// Builds the design matrix of `terms` with treatment contrasts for factors.
inline stats::Design BuildDesign(const Frame& f, const std::vector<std::string>& terms) {
  stats::DesignBuilder b;
  for (const auto& t : terms) {
    if (f.IsFactor(t)) {
      EXPECT_TRUE(b.AddFactor(t, f.Texts(t), f.levels.at(t)).ok()) << t;
    } else {
      EXPECT_TRUE(b.AddNumeric(t, f.Numbers(t)).ok()) << t;
    }
  }
  auto d = b.Build();
  EXPECT_TRUE(d.ok());
  return d.ok() ? *d : stats::Design{};
}

// Stratum ids 0..k-1 in R's order (factor levels, or sorted numeric values).
inline std::vector<int> StratumIds(const Frame& f, const std::string& name) {
  std::vector<int> out;
  if (f.IsFactor(name)) {
    const auto& lv = f.levels.at(name);
    for (const auto& v : f.Texts(name))
      out.push_back(static_cast<int>(std::find(lv.begin(), lv.end(), v) - lv.begin()));
  } else {
    auto v = f.Numbers(name);
    std::set<double> u(v.begin(), v.end());
    std::vector<double> sorted(u.begin(), u.end());
    for (double x : v)
      out.push_back(
          static_cast<int>(std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin()));
  }
  return out;
}

inline std::vector<double> ToStd(const Eigen::VectorXd& v) {
  return std::vector<double>(v.data(), v.data() + v.size());
}

// Maps the `data=` of an R call to a dataset file name.
inline std::string DatasetOf(const std::string& data_arg) {
  if (data_arg == "aml" || data_arg == "veteran" || data_arg == "bmt_derived" ||
      data_arg == "synth_n10000")
    return data_arg;
  return "myeloid_endpoints";
}

struct CoxCase {
  stats::CoxData data;
  stats::CoxOptions options;
  stats::Design design;
  size_t dropped = 0;
};

// Parses `coxph(Surv(t, d) ~ terms, data=..., ties="...")` and builds the inputs.
inline CoxCase MakeCoxCase(const std::string& call) {
  static const std::regex re(
      R"re(coxph\(Surv\((\w+), (\w+)\) ~ ([^,]+), data=(subset\([^)]*\)|\w+), ties="(\w+)"\))re");
  std::smatch m;
  EXPECT_TRUE(std::regex_match(call, m, re)) << call;
  CoxCase c;
  const std::string data_arg = m[4];
  Frame f = LoadFrame(DatasetOf(data_arg));
  if (data_arg.find("cr==1") != std::string::npos) f.Subset("cr", 1);
  std::vector<std::string> terms, used = {m[1], m[2]};
  std::string strata;
  for (const auto& t : SplitTerms(m[3])) {
    if (t.rfind("strata(", 0) == 0) {
      strata = t.substr(7, t.size() - 8);
      used.push_back(strata);
    } else {
      terms.push_back(t);
      used.push_back(t);
    }
  }
  c.dropped = f.DropMissing(used);
  c.data.time = f.Numbers(m[1]);
  for (double d : f.Numbers(m[2])) c.data.status.push_back(static_cast<int>(d));
  c.design = BuildDesign(f, terms);
  const stats::Design& design = c.design;
  c.data.x = design.x;
  c.data.names = design.column_names;
  if (!strata.empty()) c.data.stratum = StratumIds(f, strata);
  c.options.ties = m[5] == "breslow" ? stats::CoxTies::kBreslow
                   : m[5] == "exact" ? stats::CoxTies::kExact
                                     : stats::CoxTies::kEfron;
  return c;
}

}  // namespace stream::testing
