// RandomSource: where randomness comes from. Production wires a cryptographic source
// (service/secure_random.h); tests and the synthetic registry wire a seeded one.
#pragma once

#include <cstdint>

namespace stream {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual uint64_t Next64() = 0;

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next64() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n); precondition n > 0. Unbiased (rejection).
  uint64_t Below(uint64_t n);
};

// SplitMix64-seeded xoshiro256** (Blackman & Vigna 2018): fast, reproducible, not secret.
class SeededRandom : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed);
  uint64_t Next64() override;

 private:
  uint64_t s_[4];
};

}  // namespace stream
