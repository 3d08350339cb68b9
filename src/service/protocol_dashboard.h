// The dashboard of one protocol (issue: the browser app's dashboards): accrual against
// the plan, arms, a CONSORT-style flow from the registry screened against the protocol
// to the patients analysed, and the response and early-death rates by arm.
//
// Access: kReadAllocations. Site isolation: an actor bound to a site counts only that
// site's patients, everywhere. Blinded roles (service::HidesArms) never learn arms of a
// blinded protocol: enrolments carry kBlindedArm and every per-arm list is one pooled
// row. The CONSORT counts are aggregates over the registry the actor's site may see; they
// name no patient, so roles without kScreen (statisticians) get them too.
//
// CONSORT, on the date given: every visible registry patient is assessed; enrolled
// patients count as enrolled whatever they would screen today; the others are not
// eligible, unknown or eligible (not enrolled) by protocol::Screen without attestations.
// `not_eligible_reasons` counts, among the not eligible, the patients each criterion
// fails; `missing_data`, among the unknown, the patients each criterion is unknown for.
// Per arm: died = a death record; relapsed = a relapse on or after enrolment;
// lost_to_follow_up = latest follow-up says so (and no death); consent_withdrawn =
// TrialConsentWithdrawn; analysed = rows of the primary endpoint's dataset (time to
// event: patients it applies to; rates: the evaluable), or every allocated patient when
// the protocol declares no endpoint.
// Thread-safe if the Store is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "core/store.h"
#include "protocol/protocol.h"
#include "service/actor.h"
#include "service/remission_span.h"
#include "service/response_endpoints.h"

namespace stream::service {

struct DashboardEnrolment {
  Date date;  // the enrolment's date (UTC)
  std::string site;
  std::string arm;  // kBlindedArm for blinded readers
};

struct DashboardArm {
  std::string id;
  std::string name;
  protocol::ArmStatus status = protocol::ArmStatus::kOpen;  // current; a full arm is closed
  std::optional<int> cap;
  int64_t enrolled = 0;
};

struct CriterionCount {
  std::string criterion;
  std::string wording;
  int64_t patients = 0;
};

struct ConsortArm {
  std::string arm;
  int64_t allocated = 0, died = 0, relapsed = 0, lost_to_follow_up = 0, consent_withdrawn = 0,
          analysed = 0;
};

struct Consort {
  int64_t assessed = 0, not_eligible = 0, unknown = 0, eligible_not_enrolled = 0, enrolled = 0;
  std::vector<CriterionCount> not_eligible_reasons;  // most frequent first
  std::vector<CriterionCount> missing_data;          // most frequent first
  std::vector<ConsortArm> arms;
};

struct ArmRate {
  std::string arm;
  RateEstimate estimate;
};

struct EndpointRates {
  const protocol::Endpoint* endpoint = nullptr;  // into the protocol passed
  std::vector<ArmRate> arms;
};

struct ProtocolDashboard {
  bool blinded = false;                        // the reader sees the arms pooled
  std::vector<DashboardEnrolment> enrolments;  // by date
  std::vector<DashboardArm> arms;
  Consort consort;
  std::vector<EndpointRates> responses;        // one per rate endpoint, in the protocol's order
  std::vector<RemissionSpan> remission_spans;  // one per remission_span endpoint
};

// `protocol` as the catalogue runs it now (arm statuses applied); `today` the screening
// date. Errors: kPermissionDenied, storage errors.
Result<ProtocolDashboard> BuildProtocolDashboard(Store& store, const Actor& actor,
                                                 const protocol::Protocol& protocol, Date today);

}  // namespace stream::service
