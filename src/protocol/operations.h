// The operational sections of a protocol file (issue #23, #13.5): with which other
// protocols a patient may not be enrolled at the same time, what an amendment changes
// for patients already enrolled, and how long a site's attestation stays valid.
// docs/protocol-files.md ("Co-enrolment", "Versions and amendments").
//
// Contract: ParseOperations reads the keys `co_enrolment`, `amendment` and
// `attestation_valid_days` of a protocol file's root mapping and either fills
// `Operations` or returns the first fault with its 1-based line and column. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace stream::protocol {

// Another protocol the patient must not be in at the same time, nor until
// `washout_days` after going off study in it.
struct CoEnrolmentExclusion {
  std::string protocol_id;
  int washout_days = 0;
};

// What this version of the protocol changes for patients already enrolled.
struct Amendment {
  std::string summary;
  bool reconsent = false;  // patients enrolled under an earlier version must consent again
  // The version of the consent form this protocol version uses (a consent record's
  // `form_version`); empty when the amendment does not change the form. New enrolments
  // need a trial consent on it, and re-consent is given by signing it.
  std::string consent_form;
};

struct Operations {
  std::vector<CoEnrolmentExclusion> co_enrolment;
  std::optional<Amendment> amendment;
  // Days a stored attestation stays valid from the day it was given; unset: until the
  // patient's next enrolment decision changes it (no expiry).
  std::optional<int> attestation_valid_days;
};

struct OperationsFault {
  std::string message;
  int line = 0;  // 1-based
  int column = 0;
};

// The keys ParseOperations reads, for the loader's list of allowed root keys.
inline constexpr const char* kOperationsKeys[] = {"co_enrolment", "amendment",
                                                  "attestation_valid_days"};

[[nodiscard]] std::optional<OperationsFault> ParseOperations(const YAML::Node& root,
                                                             const std::string& own_id,
                                                             Operations& out);

}  // namespace stream::protocol
