#include "service/identity_vault.h"

#include <sodium.h>

#include <cstring>
#include <nlohmann/json.hpp>

namespace stream::service {

Result<IdentityVault> IdentityVault::FromKey(const std::string& key) {
  if (sodium_init() < 0) return Fail(ErrorCode::kCryptoError, "libsodium failed to initialise");
  if (key.size() != kKeyBytes) {
    return Fail(ErrorCode::kCryptoError, "the identity key must be " + std::to_string(kKeyBytes) +
                                             " bytes, found " + std::to_string(key.size()));
  }
  IdentityVault vault;
  std::memcpy(vault.key_.data(), key.data(), kKeyBytes);
  return vault;
}

std::string IdentityVault::NewKey() {
  if (sodium_init() < 0) return {};
  std::string key(kKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

std::string IdentityVault::Seal(const Identity& identity) const {
  const std::string plain = nlohmann::json{{"name", identity.name},
                                           {"date_of_birth", identity.date_of_birth},
                                           {"hospital_number", identity.hospital_number}}
                                .dump();
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), out,
                        key_.data());
  return sealed;
}

Result<Identity> IdentityVault::Open(const std::string& sealed) const {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Fail(ErrorCode::kCryptoError, "sealed identity is truncated");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string plain(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(plain.data()), in + crypto_secretbox_NONCEBYTES,
          sealed.size() - crypto_secretbox_NONCEBYTES, in, key_.data()) != 0) {
    return Fail(ErrorCode::kCryptoError,
                "sealed identity does not open with this key (wrong key or altered data)");
  }
  auto j = nlohmann::json::parse(plain, nullptr, false);
  if (j.is_discarded()) return Fail(ErrorCode::kCryptoError, "sealed identity is not readable");
  return Identity{j.value("name", ""), j.value("date_of_birth", ""),
                  j.value("hospital_number", "")};
}

}  // namespace stream::service
