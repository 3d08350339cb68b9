// Test of the proportional-hazards assumption of a Cox model, reproducing R's
// survival::cox.zph (survival ≥ 3.0).
//
// Method: Grambsch & Therneau (1994) score test, in survival 3's form: the model is
// extended by x·g(t) terms (g = transformed time, centred at the mean over events) and
// the score test for those terms is computed at (β̂, 0) with the full 2p × 2p information
// matrix. A term with several columns (a factor) is tested jointly (df = its columns);
// the last row, GLOBAL, tests all terms (df = p).
// Transforms: kKm (R's default: 1 − left-continuous Kaplan–Meier of all subjects,
// ignoring strata), kIdentity (time), kRank (average ranks of all times).
// Preconditions: `fit` is FitCox(data, ...) for the same `data`; `column_term[j]` gives
// the term of column j (0-based, as Design::column_term) and `term_names` the term names.
// Errors (kInvalidArgument): mismatched sizes ("column_term", "term_names", "fit") or
// invalid data (as FitCox). Thread safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "stats/cox_model.h"

namespace stream::stats {

enum class ZphTransform { kKm, kIdentity, kRank };

struct CoxZphResult {
  ZphTransform transform = ZphTransform::kKm;
  std::vector<std::string> terms;  // term names, then "GLOBAL"
  std::vector<double> chisq;
  std::vector<int> df;
  std::vector<double> p;
};

[[nodiscard]] Result<CoxZphResult> CoxZph(const CoxData& data, const CoxResult& fit,
                                          const std::vector<int>& column_term,
                                          const std::vector<std::string>& term_names,
                                          ZphTransform transform = ZphTransform::kKm);

}  // namespace stream::stats
