// Loading many patients' histories at once, for the dashboards and registry-wide
// derivations: each record kind is read with one paged listing (site isolation in the
// query) instead of one query per patient and kind.
//
// Site isolation: an actor bound to a site gets only that site's patients; deleted
// patients and records are skipped. Runs inside the caller's transaction.
#pragma once

#include <cstdint>
#include <vector>

#include "core/patient_history.h"
#include "core/result.h"
#include "core/store.h"
#include "service/actor.h"

namespace stream::service {

// Rows read per listing query.
inline constexpr int64_t kHistoryPage = 5000;
// LoadHistories reads patient by patient below this many ids (a registry-wide scan
// would cost more), and kind by kind from this many up.
inline constexpr size_t kPerPatientBelow = 200;

// Every patient the actor may see, with their whole history, in id order.
Result<std::vector<PatientHistory>> LoadVisibleHistories(Transaction& tx, const Actor& actor);

// The histories of `patient_ids` the actor may see, in id order; ids the actor may not
// see (another site's, deleted, missing) are left out, as they would be from a listing.
Result<std::vector<PatientHistory>> LoadHistories(Transaction& tx, const Actor& actor,
                                                  std::vector<int64_t> patient_ids);

}  // namespace stream::service
