// The analysis dataset of one endpoint of one protocol: for every enrolled patient the
// arm, and the time and event derived from the registry as ELN 2022 defines them
// (clinical/endpoints.h), counted from the enrolment date.
//
// Site isolation holds: an actor bound to a site gets only that site's patients.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clinical/endpoints.h"
#include "core/result.h"
#include "core/store.h"
#include "protocol/protocol.h"
#include "service/actor.h"

namespace stream::service {

enum class EndpointKind { kOs, kEfs, kRfs, kCir };

// kInvalidArgument for anything but os, efs, rfs, cir.
Result<EndpointKind> ParseEndpointKind(const std::string& name);
// The time-to-event kind of a protocol endpoint; nullopt for response and early-death
// endpoints.
std::optional<EndpointKind> TimeToEventKind(protocol::EndpointDefinition definition);

struct EndpointRow {
  int64_t patient_id = 0;
  std::string pseudonym;
  std::string arm;
  double time = 0;  // days
  int event = 0;    // 0 censored, 1 event, 2 competing event (CIR: death without relapse)
};

struct EndpointDataset {
  std::vector<EndpointRow> rows;
  int64_t not_applicable = 0;  // e.g. RFS for patients who never reached remission
  // Why the patients left out were left out, with how many each: outside the endpoint's
  // population ("never reached CR/CRh/CRi") or a data problem (an event dated before the
  // origin), in order of first appearance.
  std::vector<std::pair<std::string, int64_t>> excluded;
  int64_t data_problems = 0;  // of not_applicable: records that contradict the definition
  // Patients whose registry or trial consent was withdrawn: their follow-up ends at the
  // withdrawal (core/consent_scope.h).
  int64_t censored_at_withdrawal = 0;
};

struct EndpointSettings {
  std::optional<int> landmark_days;  // the protocol's response landmark
  bool report_crh = true;
  std::optional<Date> data_cutoff;
  protocol::EndpointOrigin origin = protocol::EndpointOrigin::kEnrolment;
  protocol::EndpointPopulation population = protocol::EndpointPopulation::kAll;
  std::optional<int> horizon_days;  // administrative censoring (the file's follow_up_days)
  bool mrd_relapse_counts = false;
};

// The protocol's own parameters of an endpoint (landmark, whether CRh counts).
EndpointSettings SettingsFor(const protocol::Endpoint& endpoint);
// The same for the first endpoint of `protocol` with this definition name ("efs"), or
// the defaults when the protocol does not declare one.
EndpointSettings SettingsFor(const protocol::Protocol& protocol, std::string_view definition);

// One patient's time to event; `enrolled` is the enrolment (randomisation) date, from
// which the origin the settings name is found.
clinical::TimeToEvent TimeToEventOf(const PatientHistory& history, Date enrolled, EndpointKind kind,
                                    const EndpointSettings& settings);

// The dataset from enrolments (in their order) and the histories the actor may see,
// keyed by patient id; enrolments of patients not in `histories` are left out.
EndpointDataset BuildEndpointDataset(const std::vector<Enrolment>& enrolments,
                                     const std::map<int64_t, const PatientHistory*>& histories,
                                     EndpointKind kind, const EndpointSettings& settings);

Result<EndpointDataset> DeriveEndpointDataset(Store& store, const Actor& actor,
                                              const std::string& protocol_id, EndpointKind kind,
                                              const EndpointSettings& settings);

}  // namespace stream::service
