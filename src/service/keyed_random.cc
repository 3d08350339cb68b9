#include "service/keyed_random.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

namespace stream::service {

KeyedRandom::KeyedRandom(const std::string& secret, std::string_view label) {
  if (sodium_init() < 0) std::abort();  // no randomness without libsodium: a broken install
  crypto_generichash(key_.data(), key_.size(), reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size());
}

void KeyedRandom::Refill() {
  // The nonce counts refills, so successive buffers continue one keystream.
  std::array<unsigned char, crypto_stream_chacha20_NONCEBYTES> nonce{};
  std::memcpy(nonce.data(), &block_, sizeof block_);
  ++block_;
  crypto_stream_chacha20(buffer_.data(), buffer_.size(), nonce.data(), key_.data());
  used_ = 0;
}

uint64_t KeyedRandom::Next64() {
  if (used_ + 8 > buffer_.size()) Refill();
  uint64_t x = 0;
  std::memcpy(&x, buffer_.data() + used_, 8);
  used_ += 8;
  return x;
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace stream::service
