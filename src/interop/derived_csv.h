// The derived values of every patient (service::DerivedRow) as CSV, one row per patient,
// for `stream export derived` and GET /api/v1/exports/derived/disease-course.
#pragma once

#include <string>
#include <vector>

#include "service/export_service.h"

namespace stream::interop {

std::string DerivedToCsv(const std::vector<service::DerivedRow>& rows, Date as_of);

// The site attestations (issue 13.5): who attested what, when, for which protocol version
// and criterion, one row each.
std::string AttestationsToCsv(const std::vector<std::pair<std::string, Attestation>>& rows);

}  // namespace stream::interop
