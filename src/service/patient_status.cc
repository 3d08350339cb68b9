#include "service/patient_status.h"

#include <algorithm>

namespace stream::service {
namespace {

bool IsTrialConsent(const Consent& c) {
  return std::find(c.scope.begin(), c.scope.end(), "trial") != c.scope.end();
}

}  // namespace

std::string_view ToString(VitalStatus status) {
  switch (status) {
    case VitalStatus::kAlive:
      return "alive";
    case VitalStatus::kDead:
      return "dead";
    case VitalStatus::kLostToFollowUp:
      return "lost_to_follow_up";
  }
  return "alive";
}

VitalStatus VitalStatusOf(const PatientHistory& history) {
  if (!history.deaths.empty()) return VitalStatus::kDead;
  if (history.follow_ups.empty()) return VitalStatus::kAlive;
  // Follow-ups are in contact-date order; the latest (last on a tie) decides.
  const std::string& latest = history.follow_ups.back().vital_status;
  if (latest == "dead") return VitalStatus::kDead;
  if (latest == "lost_to_follow_up") return VitalStatus::kLostToFollowUp;
  return VitalStatus::kAlive;
}

bool TrialConsentWithdrawn(const PatientHistory& history) {
  bool withdrawn = false;
  for (const auto& c : history.consents) {
    if (!IsTrialConsent(c)) continue;
    if (!c.withdrawal_date) return false;  // a trial consent still in force
    withdrawn = true;
  }
  return withdrawn;
}

}  // namespace stream::service
