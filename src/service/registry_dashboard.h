// The registry's dashboard: how many patients, by disease, vital status, site and disease
// status at registration, and a swimmer plot of the most recently registered patients
// (treatment lines as bars; transplants, DLIs, responses, relapses and death as marks).
//
// Access: kReadRegistry. Site isolation: an actor bound to a site counts and sees only
// that site's patients. Statisticians (SeesStudyPseudonyms) get `study_pseudonym` of each
// patient and no ids. Histories are read in bulk (history_batch.h).
// Thread-safe if the Store is.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "core/store.h"
#include "service/actor.h"

namespace stream::service {

inline constexpr int kMaxRecentPatients = 200;

struct CategoryCount {
  std::string category;  // a disease, status or site code
  int64_t patients = 0;
};

struct SwimmerLine {
  int line = 0;
  std::string regimen;
  Date start;
  std::optional<Date> end;  // absent while ongoing
};

struct SwimmerEvent {
  Date date;
  std::string type;   // transplant | dli | response | relapse | death
  std::string label;  // e.g. "CR" (ELN 2022), "allo", "haematological"
};

struct Swimmer {
  int64_t patient_id = 0;  // 0 for statisticians
  std::string pseudonym;
  std::string site;
  std::string disease;  // of the first diagnosis; "not_recorded" without one
  Date start;           // diagnosis date (registration date without a diagnosis)
  Date end;             // death, or the last information (clinical/endpoints.h)
  std::string status;   // alive | dead | lost_to_follow_up
  std::vector<SwimmerLine> lines;
  std::vector<SwimmerEvent> events;  // by date
};

struct RegistryDashboard {
  int64_t patients = 0;
  // Most patients first, then by code; by_status always lists alive, dead,
  // lost_to_follow_up in that order.
  std::vector<CategoryCount> by_disease, by_status, by_site, by_disease_status;
  std::vector<Swimmer> swimmers;  // most recently registered first
  bool pseudonymised = false;     // statisticians: study pseudonyms, no ids
};

// `recent`: 1 to kMaxRecentPatients (kInvalidArgument, where "recent").
Result<RegistryDashboard> BuildRegistryDashboard(
    Store& store, const Actor& actor, int recent,
    const std::function<std::string(const std::string&)>& study_pseudonym);

}  // namespace stream::service
