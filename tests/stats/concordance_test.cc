// Harrell's concordance: the O(n log n) implementation against a brute-force O(n²)
// count over all pairs, on seeded random data with heavy ties in time and in risk, with
// and without strata. Counts must agree exactly; C and the infinitesimal-jackknife SE to
// relative 1e-12 (both are formed from the same integer counts).
// The refdata cases (survival::concordance on every Cox fit) are in cox_test.cc.
#include "stats/concordance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "support/refdata.h"

namespace stream::stats {
namespace {

using testing::Near;

Concordance BruteForce(const std::vector<double>& time, const std::vector<int>& status,
                       const std::vector<double>& risk, const std::vector<int>& stratum) {
  const size_t n = time.size();
  std::vector<double> conc(n, 0), disc(n, 0), tiex(n, 0);
  Concordance c;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i == j || stratum[i] != stratum[j] || status[i] != 1) continue;
      // i is the earlier event; j must be later, or censored at the same time.
      const bool later = time[j] > time[i] || (time[j] == time[i] && status[j] == 0);
      if (time[j] == time[i] && status[j] == 1 && j > i) {
        if (risk[i] == risk[j]) {
          c.tied_xy += 1;
        } else {
          c.tied_y += 1;
        }
      }
      if (!later) continue;
      double* bucket = risk[i] > risk[j]   ? &c.concordant
                       : risk[i] < risk[j] ? &c.discordant
                                           : &c.tied_x;
      *bucket += 1;
      std::vector<double>& per = risk[i] > risk[j] ? conc : risk[i] < risk[j] ? disc : tiex;
      per[i] += 1;
      per[j] += 1;
    }
  }
  const double npair = c.concordant + c.discordant + c.tied_x;
  const double somer = (c.concordant - c.discordant) / npair;
  double var = 0;
  for (size_t i = 0; i < n; ++i) {
    const double d = ((conc[i] - disc[i]) - somer * (conc[i] + disc[i] + tiex[i])) / npair;
    var += d * d;
  }
  c.c = (somer + 1) / 2;
  c.se = std::sqrt(var / 4);
  return c;
}

TEST(Concordance, MatchesBruteForceOnRandomTiedData) {
  const unsigned seed = 20251121;
  std::printf("concordance property test seed %u\n", seed);
  RecordProperty("seed", std::to_string(seed));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> time_draw(1, 25), risk_draw(-4, 4), stratum_draw(0, 2);
  std::bernoulli_distribution event(0.6);
  // The last repetition is large enough for the radix-sort path (≥ 2048 rows).
  for (int rep = 0; rep < 21; ++rep) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " repetition " + std::to_string(rep));
    const int n = rep < 20 ? 50 + 20 * rep : 3000;
    std::vector<double> time(n), risk(n);
    std::vector<int> status(n), stratum(n), none(n, 0);
    for (int i = 0; i < n; ++i) {
      time[i] = time_draw(rng);
      risk[i] = risk_draw(rng) * 0.5;
      status[i] = event(rng) ? 1 : 0;
      stratum[i] = stratum_draw(rng);
    }
    status[0] = 1;
    risk[1] = -0.0;  // equal to +0.0
    risk[2] = 0.0;
    for (const auto* strata : {&none, &stratum}) {
      auto fast =
          HarrellConcordance(time, status, risk, *strata == none ? std::vector<int>{} : *strata);
      ASSERT_TRUE(fast.ok());
      const Concordance slow = BruteForce(time, status, risk, *strata);
      EXPECT_EQ(fast->concordant, slow.concordant);
      EXPECT_EQ(fast->discordant, slow.discordant);
      EXPECT_EQ(fast->tied_x, slow.tied_x);
      EXPECT_EQ(fast->tied_y, slow.tied_y);
      EXPECT_EQ(fast->tied_xy, slow.tied_xy);
      EXPECT_TRUE(Near(fast->c, slow.c, 1e-12));
      EXPECT_TRUE(Near(fast->se, slow.se, 1e-12));
    }
  }
}

TEST(Concordance, ErrorsNameTheField) {
  EXPECT_EQ(HarrellConcordance({}, {}, {}, {}).error().where, "time");
  EXPECT_EQ(HarrellConcordance({1, 2}, {1}, {0, 1}, {}).error().where, "status");
  EXPECT_EQ(HarrellConcordance({1, 2}, {1, 2}, {0, 1}, {}).error().where, "status");
  EXPECT_EQ(HarrellConcordance({1, 2}, {1, 0}, {0, NAN}, {}).error().where, "risk");
  EXPECT_EQ(HarrellConcordance({1, 2}, {1, 0}, {0, 1}, {0}).error().where, "stratum");
}

}  // namespace
}  // namespace stream::stats
