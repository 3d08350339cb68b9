// IdentityVault: seals and opens a patient's direct identifiers (name, full date of
// birth, hospital number) with a secret key kept outside the clinical database
// (reliability promise 4). XSalsa20-Poly1305 (libsodium crypto_secretbox) with a random
// nonce per record; tampering makes Open fail. Thread-safe (immutable after construction).
#pragma once

#include <array>
#include <string>

#include "core/result.h"

namespace stream::service {

struct Identity {
  std::string name;
  std::string date_of_birth;  // YYYY-MM-DD
  std::string hospital_number;
};

class IdentityVault {
 public:
  static constexpr size_t kKeyBytes = 32;
  // Precondition: `key` holds kKeyBytes bytes of secret randomness.
  static Result<IdentityVault> FromKey(const std::string& key);
  // A fresh random key, for `stream init`.
  static std::string NewKey();

  std::string Seal(const Identity& identity) const;
  Result<Identity> Open(const std::string& sealed) const;

 private:
  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace stream::service
