// Site attestations as dated, attributed records (issue #13.5): what the enrolment and
// screening services write when a site ticks an attestation, inside the caller's
// transaction, with one audit row naming every fact attested.
#pragma once

#include "core/patient_history.h"
#include "core/result.h"
#include "core/store.h"
#include "protocol/protocol.h"
#include "rules/criteria.h"
#include "service/actor.h"

namespace stream::service {

// Stores each of `given` for `patient` under `protocol`'s id and version, attested by
// `actor` at `now` (its date is the day attested), with the criterion that asks for it.
// Nothing is written when `given` is empty.
[[nodiscard]] Status StoreAttestations(Transaction& tx, const Actor& actor,
                                       const protocol::Protocol& protocol,
                                       const PatientHistory& patient,
                                       const rules::Attestations& given, Timestamp now);

}  // namespace stream::service
