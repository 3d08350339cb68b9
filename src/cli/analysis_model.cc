#include "cli/analysis_model.h"

#include <algorithm>
#include <cmath>

namespace stream::cli {

void AddCovariateOptions(CLI::App* cmd, CovariateOptions& options) {
  cmd->add_option("--covariates", options.covariates, "Covariate columns, comma-separated")
      ->required();
  cmd->add_option("--factor", options.factors,
                  "Covariates that are factors (treatment contrasts, first level = reference), "
                  "comma-separated");
}

Result<std::vector<std::string>> CovariateColumns(const CovariateOptions& options) {
  const auto covariates = SplitList(options.covariates);
  if (covariates.empty())
    return Fail(ErrorCode::kInvalidArgument, "name at least one covariate", "--covariates");
  for (const auto& f : SplitList(options.factors)) {
    if (std::find(covariates.begin(), covariates.end(), f) == covariates.end()) {
      return Fail(ErrorCode::kInvalidArgument, "factor '" + f + "' is not among the covariates",
                  "--factor");
    }
  }
  return covariates;
}

Result<stats::Design> ReadDesign(const AnalysisTable& table, const std::vector<int64_t>& rows,
                                 const CovariateOptions& options) {
  STREAM_ASSIGN_OR_RETURN(auto covariates, CovariateColumns(options));
  const auto factors = SplitList(options.factors);
  stats::DesignBuilder builder;
  for (const auto& c : covariates) {
    if (std::find(factors.begin(), factors.end(), c) != factors.end()) {
      STREAM_ASSIGN_OR_RETURN(
          auto factor,
          table.Factorize(c, rows, table.MetaLevels(c).value_or(std::vector<std::string>{})));
      std::vector<std::string> labels;
      labels.reserve(factor.codes.size());
      for (int code : factor.codes) labels.push_back(factor.levels[static_cast<size_t>(code)]);
      STREAM_RETURN_IF_ERROR(builder.AddFactor(c, labels, factor.levels));
    } else {
      STREAM_ASSIGN_OR_RETURN(auto values, table.Numbers(c, rows));
      STREAM_RETURN_IF_ERROR(builder.AddNumeric(c, values));
    }
  }
  return builder.Build();
}

Result<std::vector<int>> CauseCodes(const AnalysisTable& table, const std::string& column,
                                    const std::vector<int64_t>& rows) {
  STREAM_ASSIGN_OR_RETURN(auto values, table.Numbers(column, rows));
  std::vector<int> codes;
  codes.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] < 0 || values[i] != std::floor(values[i]) || values[i] > 1000) {
      return Fail(ErrorCode::kInvalidArgument,
                  "column '" + column + "': status codes must be whole numbers 0, 1, 2 …",
                  table.Where(rows[i]));
    }
    codes.push_back(static_cast<int>(values[i]));
  }
  return codes;
}

Status CheckTimes(const AnalysisTable& table, const std::string& column,
                  const std::vector<int64_t>& rows, const std::vector<double>& times) {
  for (size_t i = 0; i < times.size(); ++i) {
    if (times[i] < 0) {
      return Fail(ErrorCode::kInvalidArgument, "column '" + column + "': negative time",
                  table.Where(rows[i]));
    }
  }
  return Ok();
}

Result<CompetingRiskInput> ReadCompetingRiskInput(const AnalysisTable& table,
                                                  const std::string& time_column,
                                                  const std::string& status_column,
                                                  const std::vector<std::string>& others) {
  std::vector<std::string> used = {time_column, status_column};
  used.insert(used.end(), others.begin(), others.end());
  CompetingRiskInput input;
  STREAM_ASSIGN_OR_RETURN(input.complete, table.Complete(used));
  STREAM_ASSIGN_OR_RETURN(input.time, table.Numbers(time_column, input.complete.rows));
  STREAM_RETURN_IF_ERROR(CheckTimes(table, time_column, input.complete.rows, input.time));
  STREAM_ASSIGN_OR_RETURN(input.cause, CauseCodes(table, status_column, input.complete.rows));
  return input;
}

Json JsonVector(const Eigen::VectorXd& v) {
  return JsonNumbers(std::vector<double>(v.data(), v.data() + v.size()));
}

Json JsonMatrix(const Eigen::MatrixXd& m) {
  Json rows = Json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) rows.push_back(JsonVector(m.row(i).transpose()));
  return rows;
}

Json JsonTest(const stats::ChiSquareTest& t) {
  return {{"stat", JsonNumber(t.stat)}, {"df", t.df}, {"p", JsonNumber(t.p)}};
}

}  // namespace stream::cli
