#include "service/study_pseudonyms.h"

#include <sodium.h>

namespace stream::service {

StudyPseudonyms::StudyPseudonyms(const std::string& secret) {
  static constexpr char kLabel[] = "stream:study-pseudonyms:v1";
  crypto_auth_hmacsha256(key_.data(), reinterpret_cast<const unsigned char*>(kLabel),
                         sizeof kLabel - 1, reinterpret_cast<const unsigned char*>(secret.data()));
  // crypto_auth_hmacsha256 takes a 32-byte key; shorter secrets are refused by the caller.
}

std::string StudyPseudonyms::For(const std::string& study, const std::string& pseudonym) const {
  std::string message = study;
  message.push_back('\0');
  message += pseudonym;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), key_.data());
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, mac, 8);
  return std::string("S-") + hex;
}

}  // namespace stream::service
