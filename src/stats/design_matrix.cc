#include "stats/design_matrix.h"

#include <algorithm>
#include <cmath>

namespace stream::stats {

Status DesignBuilder::CheckRows(const std::string& name, size_t rows) {
  if (name.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "covariate name is empty", "name");
  }
  if (columns_.empty()) {
    rows_ = rows;
  } else if (rows != rows_) {
    return Fail(ErrorCode::kInvalidArgument,
                "has " + std::to_string(rows) + " rows, expected " + std::to_string(rows_), name);
  }
  return Ok();
}

Status DesignBuilder::AddNumeric(const std::string& name, const std::vector<double>& values) {
  STREAM_RETURN_IF_ERROR(CheckRows(name, values.size()));
  design_.term_names.push_back(name);
  design_.column_names.push_back(name);
  design_.column_term.push_back(static_cast<int>(design_.term_names.size()) - 1);
  columns_.push_back(values);
  return Ok();
}

Status DesignBuilder::AddFactor(const std::string& name, const std::vector<std::string>& values,
                                const std::vector<std::string>& levels) {
  STREAM_ASSIGN_OR_RETURN(Design dummies, DummyCode(name, values, levels));
  STREAM_RETURN_IF_ERROR(CheckRows(name, values.size()));
  design_.term_names.push_back(name);
  const int term = static_cast<int>(design_.term_names.size()) - 1;
  for (Eigen::Index j = 0; j < dummies.x.cols(); ++j) {
    design_.column_names.push_back(dummies.column_names[j]);
    design_.column_term.push_back(term);
    columns_.emplace_back(dummies.x.col(j).data(), dummies.x.col(j).data() + dummies.x.rows());
  }
  return Ok();
}

Result<Design> DesignBuilder::Build() const {
  if (columns_.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no covariates", "covariates");
  }
  Design out = design_;
  out.x.resize(static_cast<Eigen::Index>(rows_), static_cast<Eigen::Index>(columns_.size()));
  for (size_t j = 0; j < columns_.size(); ++j) {
    for (size_t i = 0; i < rows_; ++i) {
      out.x(i, j) = columns_[j][i];
    }
  }
  return out;
}

Result<Design> DummyCode(const std::string& name, const std::vector<std::string>& values,
                         const std::vector<std::string>& levels) {
  if (levels.size() < 2) {
    return Fail(ErrorCode::kInvalidArgument, "a factor needs at least two levels", name);
  }
  Design out;
  const auto n = static_cast<Eigen::Index>(values.size());
  const auto k = static_cast<Eigen::Index>(levels.size()) - 1;
  out.x = Eigen::MatrixXd::Zero(n, k);
  out.term_names = {name};
  for (Eigen::Index j = 0; j < k; ++j) {
    out.column_names.push_back(name + levels[j + 1]);
    out.column_term.push_back(0);
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    auto it = std::find(levels.begin(), levels.end(), values[i]);
    if (it == levels.end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "row " + std::to_string(i + 1) + ": '" + values[i] + "' is not a level", name);
    }
    const auto level = it - levels.begin();
    if (level > 0) {
      out.x(i, level - 1) = 1.0;
    }
  }
  return out;
}

}  // namespace stream::stats
