// Screening results as JSON, shared by `stream screen --format json` and the HTTP API.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "service/screening_service.h"

namespace stream::interop {

std::string VerdictText(rules::Verdict verdict);  // eligible | not eligible | unknown

// {"protocol", "title", "verdict", "criteria": [...], "assignment": {...}}
nlohmann::json ScreeningToJson(const service::ProtocolScreening& screening);

// {"patient_id", "pseudonym", "site", "protocols": [...]}
nlohmann::json PatientScreeningToJson(const service::PatientScreening& screening);

}  // namespace stream::interop
