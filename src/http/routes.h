// The route groups of the API; each file adds one group. AllRoutes (router.h) joins them.
#pragma once

#include <vector>

#include "http/api.h"

namespace stream::http {

void AddSessionRoutes(std::vector<Route>& routes);        // log in, log out, who am I
void AddAccountRoutes(std::vector<Route>& routes);        // sites, users, API tokens
void AddRegistryRoutes(std::vector<Route>& routes);       // patients and clinical records
void AddFormRoutes(std::vector<Route>& routes);           // the data model and record checks
void AddProtocolRoutes(std::vector<Route>& routes);       // protocols, arms, screening, enrolment
void AddEnrolmentGateRoutes(std::vector<Route>& routes);  // site activation, endings, attestations
void AddDashboardRoutes(std::vector<Route>& routes);      // the browser app's dashboards
void AddAuditRoutes(std::vector<Route>& routes);          // the audit trail
void AddExportRoutes(std::vector<Route>& routes);         // CSV and JSON exports
void AddOpenApiRoute(std::vector<Route>& routes);         // the API's own description

// Shared by the groups: a page of items with the cursor of the next page.
nlohmann::json Page(nlohmann::json items, int64_t limit, int64_t last_id);
nlohmann::json UserJson(const User& user);
nlohmann::json SiteJson(const Site& site);
// The protocol named by the {protocol} path parameter; kNotFound when there is none.
Result<const protocol::Protocol*> FindProtocol(const service::ProtocolCatalogue& catalogue,
                                               const Call& c);

}  // namespace stream::http
