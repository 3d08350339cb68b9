#include "stats/log_rank.h"

#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

namespace stream::stats {

Result<LogRankResult> LogRank(const SurvivalData& data, const LogRankOptions& options) {
  STREAM_ASSIGN_OR_RETURN(const SurvivalLayout layout, ValidateSurvivalData(data));
  if (!(options.rho >= 0) || !std::isfinite(options.rho)) {
    return Fail(ErrorCode::kInvalidArgument, "rho must be finite and >= 0", "rho");
  }
  const size_t k = static_cast<size_t>(layout.num_groups);
  const size_t num_strata = static_cast<size_t>(layout.num_strata);
  std::vector<SurvivalRecord> records;
  std::vector<size_t> start;
  SortIntoBlocks(
      data, layout.num_strata, [&](size_t i) { return data.stratum.empty() ? 0 : data.stratum[i]; },
      records, start);

  LogRankResult out;
  out.rho = options.rho;
  out.groups = layout.group_labels;
  out.n = layout.group_n;
  out.observed_by_stratum.assign(k, std::vector<double>(num_strata, 0.0));
  out.expected_by_stratum.assign(k, std::vector<double>(num_strata, 0.0));
  Eigen::MatrixXd var =
      Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  std::vector<double> at_risk(k);
  std::vector<double> deaths(k);
  for (size_t s = 0; s < num_strata; ++s) {
    const size_t begin = start[s];
    const size_t end = start[s + 1];
    std::fill(at_risk.begin(), at_risk.end(), 0.0);
    for (size_t i = begin; i < end; ++i) at_risk[static_cast<size_t>(records[i].group)] += 1.0;
    double n_total = static_cast<double>(end - begin);
    double km = 1.0;  // pooled Kaplan–Meier just before the current time, S(t−)
    for (size_t i = begin; i < end;) {
      const double t = records[i].time;
      std::fill(deaths.begin(), deaths.end(), 0.0);
      double d = 0.0;
      size_t j = i;
      for (; j < end && records[j].time == t; ++j) {
        if (records[j].event) {
          deaths[static_cast<size_t>(records[j].group)] += 1.0;
          d += 1.0;
        }
      }
      if (d > 0) {
        // Mantel–Haenszel terms at one death time: E_g = w·d·n_g/n and the
        // hypergeometric covariance w²·d(n−d)/(n−1) · (n_g/n)(δ_gh − n_h/n).
        const double w = options.rho == 0 ? 1.0 : std::pow(km, options.rho);
        const double n = n_total;
        for (size_t g = 0; g < k; ++g) {
          out.observed_by_stratum[g][s] += w * deaths[g];
          out.expected_by_stratum[g][s] += w * d * at_risk[g] / n;
        }
        if (n > 1) {
          const double kt = w * w * d * (n - d) / (n * (n - 1));
          for (size_t g = 0; g < k; ++g) {
            if (at_risk[g] == 0) continue;
            const double tmp = kt * at_risk[g];
            const auto gi = static_cast<Eigen::Index>(g);
            var(gi, gi) += tmp;
            for (size_t h = 0; h < k; ++h) {
              var(gi, static_cast<Eigen::Index>(h)) -= tmp * at_risk[h] / n;
            }
          }
        }
        km *= (n - d) / n;
      }
      for (size_t r = i; r < j; ++r) at_risk[static_cast<size_t>(records[r].group)] -= 1.0;
      n_total -= static_cast<double>(j - i);
      i = j;
    }
  }

  out.observed.assign(k, 0.0);
  out.expected.assign(k, 0.0);
  for (size_t g = 0; g < k; ++g) {
    for (size_t s = 0; s < num_strata; ++s) {
      out.observed[g] += out.observed_by_stratum[g][s];
      out.expected[g] += out.expected_by_stratum[g][s];
    }
  }
  out.var.assign(k, std::vector<double>(k, 0.0));
  for (size_t g = 0; g < k; ++g) {
    for (size_t h = 0; h < k; ++h) {
      out.var[g][h] = var(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(h));
    }
    const double diff = out.observed[g] - out.expected[g];
    out.o_minus_e_sq_over_e.push_back(diff * diff / out.expected[g]);
    out.o_minus_e_sq_over_v.push_back(diff * diff / out.var[g][g]);
  }

  // survdiff: keep groups with expected > 0, drop the first, chisq = d'V⁻¹d.
  std::vector<size_t> used;
  for (size_t g = 0; g < k; ++g) {
    if (out.expected[g] > 0) used.push_back(g);
  }
  if (used.size() >= 2) {
    const auto m = static_cast<Eigen::Index>(used.size() - 1);
    Eigen::MatrixXd vv(m, m);
    Eigen::VectorXd diff(m);
    for (Eigen::Index a = 0; a < m; ++a) {
      const size_t ga = used[static_cast<size_t>(a) + 1];
      diff(a) = out.observed[ga] - out.expected[ga];
      for (Eigen::Index b = 0; b < m; ++b) {
        vv(a, b) = var(static_cast<Eigen::Index>(ga),
                       static_cast<Eigen::Index>(used[static_cast<size_t>(b) + 1]));
      }
    }
    // Complete orthogonal decomposition: the ordinary solution when V is regular, the
    // minimum-norm (Moore–Penrose) one when it is singular.
    const Eigen::VectorXd x = vv.completeOrthogonalDecomposition().solve(diff);
    out.chisq = x.dot(diff);
    out.df = static_cast<int>(used.size()) - 1;
    if (out.chisq > 0) {
      const boost::math::chi_squared dist(out.df);
      out.p = boost::math::cdf(boost::math::complement(dist, out.chisq));
    } else {
      out.p = 1.0;
    }
  }
  if (num_strata > 1) {
    out.strata = layout.stratum_labels;
    out.strata_n = layout.stratum_n;
  } else {
    out.observed_by_stratum.clear();
    out.expected_by_stratum.clear();
  }
  return out;
}

}  // namespace stream::stats
