#include "stats/concordance.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <numeric>

#include "stats/cox_internal.h"

namespace stream::stats {
namespace {

// Fenwick tree of counts over ranks 0..size-1.
class CountTree {
 public:
  void Reset(size_t size) { tree_.assign(size + 1, 0); }  // int32: n < 2^31 rows
  void Add(size_t rank) {
    for (size_t i = rank + 1; i < tree_.size(); i += i & (~i + 1)) {
      tree_[i] += 1;
    }
  }
  // Number of entries with rank < `rank`.
  int64_t Below(size_t rank) const {
    int64_t s = 0;
    for (size_t i = rank; i > 0; i -= i & (~i + 1)) {
      s += tree_[i];
    }
    return s;
  }

 private:
  std::vector<int32_t> tree_;
};

}  // namespace

namespace internal {

uint64_t OrderedKey(double v) {
  v += 0.0;  // −0 → +0
  uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return (u & 0x8000000000000000ULL) ? ~u : (u | 0x8000000000000000ULL);
}

void RadixSort(const std::vector<uint64_t>& keys, std::vector<uint32_t>& order) {
  const size_t n = order.size();
  if (n < 2) {
    return;
  }
  if (n < 2048) {
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
    return;
  }
  std::vector<uint32_t> buffer(n);
  std::vector<size_t> count(65537);
  for (int shift = 0; shift < 64; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (uint32_t i : order) {
      ++count[((keys[i] >> shift) & 0xFFFF) + 1];
    }
    bool constant = false;
    for (size_t b = 1; b <= 65536; ++b) {
      if (count[b] == n) {
        constant = true;
      }
    }
    if (constant) {
      continue;  // every key has the same digit: the pass would not move rows
    }
    for (size_t b = 1; b <= 65536; ++b) {
      count[b] += count[b - 1];
    }
    for (uint32_t i : order) {
      buffer[count[(keys[i] >> shift) & 0xFFFF]++] = i;
    }
    order.swap(buffer);
  }
}

std::vector<uint32_t> SortOrder(const std::vector<double>& time, const std::vector<int>* stratum) {
  const size_t n = time.size();
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), uint32_t{0});
  std::vector<uint64_t> keys(n);
  for (size_t i = 0; i < n; ++i) {
    keys[i] = OrderedKey(time[i]);
  }
  RadixSort(keys, order);
  if (stratum != nullptr) {
    for (size_t i = 0; i < n; ++i) {
      keys[i] = static_cast<uint64_t>(static_cast<int64_t>((*stratum)[i]) + (int64_t{1} << 62));
    }
    RadixSort(keys, order);  // stable: time order kept within each stratum
  }
  return order;
}

Concordance ConcordanceSorted(const std::vector<double>& time, const std::vector<int>& status,
                              const std::vector<int>& stratum, const std::vector<double>& risk) {
  const size_t n = time.size();
  // Per-observation pair counts (the influence matrix of survival's concordance3.c).
  std::vector<int64_t> conc(n, 0), disc(n, 0), tiex(n, 0);
  int64_t concordant = 0, discordant = 0, tied_x = 0, tied_y = 0, tied_xy = 0;
  std::vector<uint32_t> rank(n);
  std::vector<uint32_t> idx;
  std::vector<uint64_t> keys(n);
  for (size_t i = 0; i < n; ++i) {
    keys[i] = OrderedKey(risk[i]);
  }
  std::vector<int64_t> equal_count;
  std::vector<size_t> tie_groups;
  std::vector<uint32_t> death_ranks;
  CountTree tree;
  size_t sbegin = 0;
  while (sbegin < n) {
    size_t send = sbegin;
    while (send < n && stratum[send] == stratum[sbegin]) {
      ++send;
    }
    // Ranks of the risk scores within the stratum (ties share a rank).
    idx.resize(send - sbegin);
    std::iota(idx.begin(), idx.end(), static_cast<uint32_t>(sbegin));
    RadixSort(keys, idx);
    size_t nrank = 0;
    for (size_t k = 0; k < idx.size(); ++k) {
      if (k > 0 && keys[idx[k]] != keys[idx[k - 1]]) {
        ++nrank;
      }
      rank[idx[k]] = static_cast<uint32_t>(nrank);
    }
    ++nrank;
    tie_groups.clear();
    for (size_t k = sbegin; k < send; ++k) {
      if (k == sbegin || time[k] != time[k - 1]) {
        tie_groups.push_back(k);
      }
    }
    tie_groups.push_back(send);
    // Pass 1, from the largest time down: each death against everyone still at risk after
    // it (later times, and censorings at its own time).
    tree.Reset(nrank);
    equal_count.assign(nrank, 0);
    int64_t in_tree = 0;
    for (size_t g = tie_groups.size() - 1; g-- > 0;) {
      const size_t b = tie_groups[g], e = tie_groups[g + 1];
      for (size_t i = b; i < e; ++i) {
        if (status[i] == 0) {
          tree.Add(rank[i]);
          ++equal_count[rank[i]];
          ++in_tree;
        }
      }
      death_ranks.clear();
      for (size_t i = b; i < e; ++i) {
        if (status[i] != 1) {
          continue;
        }
        death_ranks.push_back(rank[i]);
        const int64_t below = tree.Below(rank[i]);
        const int64_t equal = equal_count[rank[i]];
        const int64_t above = in_tree - below - equal;
        conc[i] += below;
        disc[i] += above;
        tiex[i] += equal;
        concordant += below;
        discordant += above;
        tied_x += equal;
      }
      if (death_ranks.size() > 1) {
        // Pairs of deaths at the same time: tied on y (and on x when risks are equal).
        std::sort(death_ranks.begin(), death_ranks.end());
        int64_t both = 0;
        for (size_t a = 0; a < death_ranks.size();) {
          size_t z = a;
          while (z < death_ranks.size() && death_ranks[z] == death_ranks[a]) {
            ++z;
          }
          const auto m = static_cast<int64_t>(z - a);
          both += m * (m - 1) / 2;
          a = z;
        }
        const auto d = static_cast<int64_t>(death_ranks.size());
        tied_xy += both;
        tied_y += d * (d - 1) / 2 - both;
      }
      for (size_t i = b; i < e; ++i) {
        if (status[i] == 1) {
          tree.Add(rank[i]);
          ++equal_count[rank[i]];
          ++in_tree;
        }
      }
    }
    // Pass 2, from the smallest time up: each subject as the later member of a pair,
    // against the deaths before it (and at its own time when it is censored).
    tree.Reset(nrank);
    std::fill(equal_count.begin(), equal_count.end(), 0);
    in_tree = 0;
    for (size_t g = 0; g + 1 < tie_groups.size(); ++g) {
      const size_t b = tie_groups[g], e = tie_groups[g + 1];
      auto count_later = [&](size_t i) {
        const int64_t below = tree.Below(rank[i]);
        const int64_t equal = equal_count[rank[i]];
        const int64_t above = in_tree - below - equal;
        conc[i] += above;
        disc[i] += below;
        tiex[i] += equal;
      };
      for (size_t i = b; i < e; ++i) {
        if (status[i] == 1) {
          count_later(i);
        }
      }
      for (size_t i = b; i < e; ++i) {
        if (status[i] == 1) {
          tree.Add(rank[i]);
          ++equal_count[rank[i]];
          ++in_tree;
        }
      }
      for (size_t i = b; i < e; ++i) {
        if (status[i] == 0) {
          count_later(i);
        }
      }
    }
    sbegin = send;
  }
  Concordance c;
  c.concordant = static_cast<double>(concordant);
  c.discordant = static_cast<double>(discordant);
  c.tied_x = static_cast<double>(tied_x);
  c.tied_y = static_cast<double>(tied_y);
  c.tied_xy = static_cast<double>(tied_xy);
  const double npair = c.concordant + c.discordant + c.tied_x;
  if (npair > 0) {
    // survival's concordancefit: dfbeta_i = (conc_i − disc_i)/npair − d·(pairs_i)/npair,
    // var(C) = Σ dfbeta² / 4.
    const double somer = (c.concordant - c.discordant) / npair;
    double var = 0;
    for (size_t i = 0; i < n; ++i) {
      const double ci = static_cast<double>(conc[i]), di = static_cast<double>(disc[i]);
      const double ti = static_cast<double>(tiex[i]);
      const double dfbeta = ((ci - di) - somer * (ci + di + ti)) / npair;
      var += dfbeta * dfbeta;
    }
    c.c = (somer + 1) / 2;
    c.se = std::sqrt(var / 4);
  }
  return c;
}

}  // namespace internal

Result<Concordance> HarrellConcordance(const std::vector<double>& time,
                                       const std::vector<int>& status,
                                       const std::vector<double>& risk,
                                       const std::vector<int>& stratum) {
  const size_t n = time.size();
  if (n == 0) {
    return Fail(ErrorCode::kInvalidArgument, "no observations", "time");
  }
  if (status.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "length differs", "status");
  }
  if (risk.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "length differs", "risk");
  }
  if (!stratum.empty() && stratum.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "length differs", "stratum");
  }
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(time[i])) {
      return Fail(ErrorCode::kInvalidArgument, "NaN time", "time");
    }
    if (status[i] != 0 && status[i] != 1) {
      return Fail(ErrorCode::kInvalidArgument, "status must be 0 or 1", "status");
    }
    if (std::isnan(risk[i])) {
      return Fail(ErrorCode::kInvalidArgument, "NaN risk score", "risk");
    }
  }
  const std::vector<uint32_t> order =
      internal::SortOrder(time, stratum.empty() ? nullptr : &stratum);
  std::vector<double> t(n), r(n);
  std::vector<int> st(n), s(n, 0);
  for (size_t k = 0; k < n; ++k) {
    t[k] = time[order[k]];
    st[k] = status[order[k]];
    r[k] = risk[order[k]];
    if (!stratum.empty()) {
      s[k] = stratum[order[k]];
    }
  }
  return internal::ConcordanceSorted(t, st, s, r);
}

}  // namespace stream::stats
