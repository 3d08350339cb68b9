// What the regression subcommands of `stream analyze` share (cox, crr): covariate options,
// the design matrix built from a table's complete rows (treatment contrasts for factors,
// R's level order from `<file>.meta.json` when present), competing-risk cause codes, and
// JSON of Eigen vectors and chi-square tests.
#pragma once

#include <CLI/CLI.hpp>
#include <Eigen/Dense>
#include <string>
#include <vector>

#include "cli/analysis_input.h"
#include "cli/analysis_output.h"
#include "core/result.h"
#include "stats/cox_model.h"
#include "stats/design_matrix.h"

namespace stream::cli {

struct CovariateOptions {
  std::string covariates;  // comma-separated columns
  std::string factors;     // those of them that are factors
};

void AddCovariateOptions(CLI::App* cmd, CovariateOptions& options);

// The covariate columns; errors when none is named or a factor is not a covariate.
Result<std::vector<std::string>> CovariateColumns(const CovariateOptions& options);

// The design matrix over `rows`, which must have a value in every covariate.
Result<stats::Design> ReadDesign(const AnalysisTable& table, const std::vector<int64_t>& rows,
                                 const CovariateOptions& options);

// Integer codes of a competing-risks status column (e.g. 0 censored, 1 relapse, 2 death);
// errors name the line of a value that is not a whole number ≥ 0.
Result<std::vector<int>> CauseCodes(const AnalysisTable& table, const std::string& column,
                                    const std::vector<int64_t>& rows);

// Checks a time column's values are ≥ 0, naming the line of the first negative one.
Status CheckTimes(const AnalysisTable& table, const std::string& column,
                  const std::vector<int64_t>& rows, const std::vector<double>& times);

// The rows of a competing-risks analysis (cif, crr): complete cases over the time and
// status columns and `others`, with the times checked (≥ 0) and the cause codes read.
struct CompetingRiskInput {
  AnalysisTable::CompleteCases complete;
  std::vector<double> time;
  std::vector<int> cause;
};
Result<CompetingRiskInput> ReadCompetingRiskInput(const AnalysisTable& table,
                                                  const std::string& time_column,
                                                  const std::string& status_column,
                                                  const std::vector<std::string>& others);

Json JsonVector(const Eigen::VectorXd& v);
Json JsonMatrix(const Eigen::MatrixXd& m);
Json JsonTest(const stats::ChiSquareTest& t);

}  // namespace stream::cli
