#include "service/remission_span.h"

#include "clinical/endpoints.h"

namespace stream::service {

RemissionSpan RemissionSpanOf(const protocol::Endpoint& endpoint,
                              const std::vector<std::pair<Date, const PatientHistory*>>& enrolled) {
  RemissionSpan out;
  out.endpoint = &endpoint;
  for (const auto& [date, history] : enrolled) {
    ++out.enrolled;
    clinical::EndpointParameters p;
    p.start = date;
    p.landmark_days = endpoint.landmark_days;
    p.response.report_crh = endpoint.crh_counts;
    const auto best = clinical::BestResponseOf(*history, p);
    if (!best.remission_date) continue;
    ++out.in_remission;
    if (!out.first || *best.remission_date < *out.first) out.first = best.remission_date;
    if (!out.last || *best.remission_date > *out.last) out.last = best.remission_date;
  }
  if (out.first) out.days = DaysBetween(*out.first, *out.last);
  return out;
}

}  // namespace stream::service
