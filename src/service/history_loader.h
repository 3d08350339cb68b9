// Loading one patient's whole history inside a transaction, honouring site isolation.
#pragma once

#include <cstdint>

#include "core/patient_history.h"
#include "core/result.h"
#include "core/store.h"
#include "service/actor.h"

namespace stream::service {

// kNotFound, exactly as for a missing patient, when the actor may not see the patient.
Result<PatientHistory> LoadHistory(Transaction& tx, const Actor& actor, int64_t patient_id);

}  // namespace stream::service
