// Design matrices for regression models: numeric columns and treatment-coded factors.
//
// Contract: AddFactor codes a factor with treatment contrasts (R's contr.treatment): the
// first of `levels` is the reference, every other level gets a 0/1 column named
// `<var><level>`, exactly as R's model.matrix names it. A term keeps the list of its
// columns so that tests that treat a factor as one term (cox.zph, Wald) can find them.
// Preconditions: every column has the same number of rows. Errors (kInvalidArgument)
// name the offending variable: a value not among the levels, fewer than two levels,
// a row count that differs from the first column, or an empty name.
// Thread safety: a DesignBuilder is a plain value; use one per thread.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "core/result.h"

namespace stream::stats {

// A model matrix (n × p) with column names and the term each column belongs to.
struct Design {
  Eigen::MatrixXd x;
  std::vector<std::string> column_names;  // e.g. "group_fAML-low", "z1"
  std::vector<std::string> term_names;    // e.g. "group_f", "z1"
  std::vector<int> column_term;           // term index of every column
};

class DesignBuilder {
 public:
  // A numeric covariate used as is (one column named `name`).
  [[nodiscard]] Status AddNumeric(const std::string& name, const std::vector<double>& values);
  // A factor: `values` are labels, `levels` gives R's level order (first = reference).
  [[nodiscard]] Status AddFactor(const std::string& name, const std::vector<std::string>& values,
                                 const std::vector<std::string>& levels);
  // The assembled matrix; fails when no column was added.
  [[nodiscard]] Result<Design> Build() const;

 private:
  [[nodiscard]] Status CheckRows(const std::string& name, size_t rows);
  std::vector<std::vector<double>> columns_;
  Design design_;
  size_t rows_ = 0;
};

// Treatment-contrast dummies of one factor: n × (levels−1), names `<var><level>`.
[[nodiscard]] Result<Design> DummyCode(const std::string& name,
                                       const std::vector<std::string>& values,
                                       const std::vector<std::string>& levels);

}  // namespace stream::stats
