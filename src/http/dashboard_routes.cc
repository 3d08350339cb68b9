// The dashboards of the browser app: a protocol's accrual, arms, CONSORT flow and rates;
// the survival view of one of its time-to-event endpoints; the registry's overview with
// a swimmer plot. Read-only; every number comes from service::DashboardService.
#include "http/dashboard_json.h"
#include "http/routes.h"
#include "service/registry_dashboard.h"

namespace stream::http {

void AddDashboardRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {"GET",
       "/api/v1/protocols/{protocol}/dashboard",
       "dashboards",
       "A protocol's dashboard: accrual against the planned target, arms, the CONSORT flow "
       "from the registry screened today to the patients analysed, and the response and "
       "early-death rates by arm with exact 95 % intervals (the patients you may see; arms "
       "pooled for blinded roles)",
       false,
       {},
       "",
       "ProtocolDashboard",
       [](Call& c) -> Result<Reply> {
         auto catalogue = c.services.protocols.Current();
         STREAM_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*catalogue, c));
         STREAM_ASSIGN_OR_RETURN(auto dashboard,
                                 c.services.dashboards.Protocol(c.actor, *protocol));
         return Reply::Json(ProtocolDashboardJson(*protocol, dashboard));
       }});
  routes.push_back(
      {"GET",
       "/api/v1/protocols/{protocol}/survival",
       "dashboards",
       "Kaplan–Meier curves (cumulative incidence for cir) of a time-to-event endpoint by "
       "arm, with 95 % limits, medians, numbers at risk and the log-rank (Gray's) test",
       false,
       {{"endpoint", "string",
         "a time-to-event endpoint id of the protocol (default: the first one, primary first)"}},
       "",
       "Survival",
       [](Call& c) -> Result<Reply> {
         auto catalogue = c.services.protocols.Current();
         STREAM_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*catalogue, c));
         const std::string endpoint = c.request.Query("endpoint").value_or("");
         STREAM_ASSIGN_OR_RETURN(auto report,
                                 c.services.dashboards.Survival(c.actor, *protocol, endpoint));
         return Reply::Json(SurvivalJson(*protocol, report));
       }});
  routes.push_back(
      {"GET",
       "/api/v1/registry/dashboard",
       "dashboards",
       "The registry at a glance: patients by disease, vital status, site and disease status "
       "at registration, and a swimmer plot of the most recently registered (the patients "
       "you may see)",
       false,
       {{"recent", "integer",
         "how many recently registered patients the swimmer plot shows, 1 to 200 (default 30)"}},
       "",
       "RegistryDashboard",
       [](Call& c) -> Result<Reply> {
         STREAM_ASSIGN_OR_RETURN(auto recent,
                                 c.IntQuery("recent", 30, 1, service::kMaxRecentPatients));
         auto& pseudonyms = c.services.pseudonyms;
         STREAM_ASSIGN_OR_RETURN(
             auto dashboard, c.services.dashboards.Registry(c.actor, static_cast<int>(recent),
                                                            [&](const std::string& p) {
                                                              return pseudonyms.For("registry", p);
                                                            }));
         return Reply::Json(RegistryDashboardJson(dashboard));
       }});
}

}  // namespace stream::http
