// The JSON of the dashboards' views (service/dashboard_service.h), in the shapes the
// browser app draws from (docs/api.md, the Dashboard schemas of docs/openapi.json).
// Fields may be added, never renamed. Dates are YYYY-MM-DD, times in days; a number R
// reports as NA is null.
#pragma once

#include <nlohmann/json.hpp>

#include "protocol/protocol.h"
#include "service/protocol_dashboard.h"
#include "service/registry_dashboard.h"
#include "service/survival_report.h"

namespace stream::http {

nlohmann::json ProtocolDashboardJson(const protocol::Protocol& protocol,
                                     const service::ProtocolDashboard& dashboard);
nlohmann::json SurvivalJson(const protocol::Protocol& protocol,
                            const service::SurvivalReport& report);
nlohmann::json RegistryDashboardJson(const service::RegistryDashboard& dashboard);

}  // namespace stream::http
