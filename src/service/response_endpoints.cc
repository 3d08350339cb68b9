#include "service/response_endpoints.h"

#include "clinical/endpoints.h"
#include "stats/binomial_interval.h"

namespace stream::service {
namespace {

using Definition = protocol::EndpointDefinition;

bool DiedFrom(const PatientHistory& h, Date start) {
  for (const auto& d : h.deaths) {
    if (d.death_date >= start) return true;
  }
  return false;
}

// The start of protocol treatment: the first line started on or after enrolment.
Date TreatmentStart(const PatientHistory& h, Date enrolled) {
  for (const auto& line : h.treatment_lines) {
    if (line.start_date >= enrolled) return line.start_date;
  }
  return enrolled;
}

ResponseOutcome EarlyDeathOutcome(const PatientHistory& h, Date enrolled, int days) {
  const Date start = TreatmentStart(h, enrolled);
  ResponseOutcome out;
  out.responder = clinical::EarlyDeath(h, start, days);
  out.evaluable =
      out.responder || DaysBetween(start, clinical::LastInformation(h, std::nullopt)) >= days;
  return out;
}

}  // namespace

bool IsRateEndpoint(Definition definition) {
  switch (definition) {
    case Definition::kCrcRate:
    case Definition::kOrr:
    case Definition::kMrdNegativeCrRate:
    case Definition::kEarlyDeath30:
    case Definition::kEarlyDeath60:
      return true;
    default:
      return false;
  }
}

ResponseOutcome ResponseOutcomeOf(const PatientHistory& history, Date start, Definition definition,
                                  const EndpointSettings& settings) {
  if (definition == Definition::kEarlyDeath30) return EarlyDeathOutcome(history, start, 30);
  if (definition == Definition::kEarlyDeath60) return EarlyDeathOutcome(history, start, 60);
  clinical::EndpointParameters p;
  p.start = start;
  p.landmark_days = settings.landmark_days;
  p.response.report_crh = settings.report_crh;
  p.data_cutoff = settings.data_cutoff;
  const clinical::ResponseFlags flags = clinical::ResponseFlagsOf(history, p);
  ResponseOutcome out;
  out.responder = definition == Definition::kCrcRate ? flags.crc
                  : definition == Definition::kOrr   ? flags.orr
                                                     : flags.mrd_negative_cr;
  const bool died = DiedFrom(history, start);
  if (settings.landmark_days) {
    const int64_t followed = DaysBetween(start, clinical::LastInformation(history, p.data_cutoff));
    out.evaluable = out.responder || died || followed >= *settings.landmark_days;
  } else {
    out.evaluable = out.responder || died || clinical::BestResponseOf(history, p).category;
  }
  return out;
}

Result<RateEstimate> EstimateRate(int64_t responders, int64_t evaluable, double conf_level) {
  RateEstimate out{responders, evaluable, std::nullopt, std::nullopt, std::nullopt};
  if (evaluable == 0) return out;
  STREAM_ASSIGN_OR_RETURN(auto interval,
                          stats::ClopperPearsonInterval(responders, evaluable, conf_level));
  out.rate = interval.estimate;
  out.lower = interval.lower;
  out.upper = interval.upper;
  return out;
}

}  // namespace stream::service
