// What the dashboards say about one patient's state, read from their history: vital
// status and whether trial consent was withdrawn. Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "core/patient_history.h"

namespace stream::service {

enum class VitalStatus { kAlive, kDead, kLostToFollowUp };

// "alive", "dead", "lost_to_follow_up" (the registry's vital_status codes).
std::string_view ToString(VitalStatus status);

// A death record: dead; else the vital status of the latest follow-up contact; else alive.
VitalStatus VitalStatusOf(const PatientHistory& history);

// A trial-scope consent was withdrawn and no trial-scope consent is still in force.
bool TrialConsentWithdrawn(const PatientHistory& history);

}  // namespace stream::service
