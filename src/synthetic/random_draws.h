// Draws from a RandomSource in the shapes the synthetic registry needs: a chance, an
// integer in a range, a normal and an exponential variate, a pick from a list.
//
// Internal to src/synthetic. Each function takes a fixed number of draws (Normal two,
// the others one), so the registry a seed makes depends only on the order of the calls.
// Pure; thread-safe as far as the RandomSource passed in is.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/random_source.h"

namespace stream::synthetic {

// A draw with probability p.
inline bool Chance(RandomSource& r, double p) { return r.Uniform() < p; }

inline int UniformInt(RandomSource& r, int lo, int hi) {  // inclusive
  return lo + static_cast<int>(r.Below(static_cast<uint64_t>(hi - lo + 1)));
}

inline double Normal(RandomSource& r, double mean, double sd) {  // Box–Muller
  const double u1 = std::max(r.Uniform(), 1e-300);
  const double u2 = r.Uniform();
  return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

inline int ExponentialDays(RandomSource& r, double median_days) {
  const double u = std::max(r.Uniform(), 1e-12);
  return std::max(1, static_cast<int>(-std::log(u) * median_days / std::log(2.0)));
}

template <size_t N>
std::string_view Pick(RandomSource& r, const std::array<std::string_view, N>& items) {
  return items[r.Below(N)];
}

// Rounded to one decimal, as the sites enter percentages.
inline double Round1(double x) { return std::round(x * 10.0) / 10.0; }

}  // namespace stream::synthetic
