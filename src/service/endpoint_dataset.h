// The analysis dataset of one endpoint of one protocol: for every enrolled patient the
// arm, and the time and event derived from the registry as ELN 2022 defines them
// (clinical/endpoints.h), counted from the enrolment date.
//
// Site isolation holds: an actor bound to a site gets only that site's patients.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clinical/endpoints.h"
#include "core/result.h"
#include "core/store.h"
#include "service/actor.h"

namespace stream::service {

enum class EndpointKind { kOs, kEfs, kRfs, kCir };

// kInvalidArgument for anything but os, efs, rfs, cir.
Result<EndpointKind> ParseEndpointKind(const std::string& name);

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
};

struct EndpointSettings {
  std::optional<int> landmark_days;  // the protocol's response landmark
  bool report_crh = true;
  std::optional<Date> data_cutoff;
};

Result<EndpointDataset> DeriveEndpointDataset(Store& store, const Actor& actor,
                                              const std::string& protocol_id, EndpointKind kind,
                                              const EndpointSettings& settings);

}  // namespace stream::service
