// Checks that relate a new or changed clinical record to the rest of the patient's
// history: no date in the future or before birth, nothing before the diagnosis where
// the data model says so, nothing after death, one death per patient; a performance
// status scale that suits the patient's age at the assessment (Lansky under 16, Karnofsky
// from 16).
#pragma once

#include <cstdint>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "core/store.h"

namespace stream::service {

// Every conflict of the record's clinical date with the patient's history, in the order
// above (the scale check, naming "scale", comes right after the date-of-birth check) (for a new
// diagnosis or a death: the first record it contradicts). Each names the record's date field and
// the conflicting record. `self_id` is the record being changed (0 for a new one): it is left out
// of the history. Empty when the date is absent.
Result<std::vector<Error>> HistoryConflicts(Transaction& tx, const KindSpec& kind,
                                            const Record& patient, const std::vector<Value>& values,
                                            int64_t self_id, Date today);

// The first of HistoryConflicts: what a create or a correction is refused with.
Status CheckAgainstHistory(Transaction& tx, const KindSpec& kind, const Record& patient,
                           const std::vector<Value>& values, int64_t self_id, Date today);

}  // namespace stream::service
