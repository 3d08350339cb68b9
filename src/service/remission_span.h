// Seed 001's accrual measure "time from remission date of the first subject until
// remission date of the last subject": over the enrolled patients, the first CR/CRh/CRi
// after each enrolment (by the endpoint's landmark and CRh setting), and the days from
// the earliest of those dates to the latest. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/patient_history.h"
#include "protocol/protocol.h"

namespace stream::service {

struct RemissionSpan {
  const protocol::Endpoint* endpoint = nullptr;  // into the protocol passed
  int64_t enrolled = 0;                          // patients considered
  int64_t in_remission = 0;                      // of them, those who reached remission
  std::optional<Date> first, last;               // absent until one patient is in remission
  std::optional<int64_t> days;                   // last - first
};

// `enrolled`: each enrolled patient's enrolment date and history.
RemissionSpan RemissionSpanOf(const protocol::Endpoint& endpoint,
                              const std::vector<std::pair<Date, const PatientHistory*>>& enrolled);

}  // namespace stream::service
