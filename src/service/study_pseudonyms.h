// Per-study pseudonyms for statisticians (reliability promise 2): the registry's
// pseudonym is replaced by HMAC-SHA-256(key, study ‖ 0 ‖ pseudonym), shortened to 16 hex
// digits with an "S-" prefix. The same patient gets the same pseudonym within a study
// and unlinkable ones across studies; without the key nothing can be reversed. The key
// is derived from the identity key, so it never sits in the clinical database.
#pragma once

#include <array>
#include <string>

namespace stream::service {

class StudyPseudonyms {
 public:
  // `secret`: the identity key (or any secret of at least 32 bytes).
  explicit StudyPseudonyms(const std::string& secret);
  std::string For(const std::string& study, const std::string& pseudonym) const;

 private:
  std::array<unsigned char, 32> key_{};
};

}  // namespace stream::service
