// KeyedRandom: the keyed deterministic generator behind concealed randomisation lists.
//
// The stream of numbers is the ChaCha20 keystream (libsodium crypto_stream_chacha20)
// under a key derived from the secret randomisation key and a label (BLAKE2b keyed hash
// of "protocol|stratum"), so each stratum has its own sequence, reproducible exactly by
// whoever holds the secret and by nobody else. Not thread-safe; one per use.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "core/random_source.h"

namespace stream::service {

class KeyedRandom : public RandomSource {
 public:
  // Precondition: `secret` is the 32-byte randomisation key.
  KeyedRandom(const std::string& secret, std::string_view label);
  uint64_t Next64() override;

 private:
  void Refill();
  std::array<unsigned char, 32> key_{};
  std::array<unsigned char, 4096> buffer_{};
  size_t used_ = 4096;
  uint64_t block_ = 0;
};

// Hex SHA-256 of a text: list hashes, API token hashes, session keys.
std::string Sha256Hex(std::string_view text);

}  // namespace stream::service
