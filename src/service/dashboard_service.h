// DashboardService: the read-only views the browser app's dashboards draw from, bound to
// one store and clock — the protocol dashboard (protocol_dashboard.h), the survival view
// of a time-to-event endpoint (survival_report.h) and the registry dashboard
// (registry_dashboard.h). Each reads in one transaction and writes nothing.
// Thread-safe if the Store is.
#pragma once

#include <functional>
#include <string>

#include "core/clock.h"
#include "core/store.h"
#include "protocol/protocol.h"
#include "service/actor.h"
#include "service/protocol_dashboard.h"
#include "service/registry_dashboard.h"
#include "service/survival_report.h"

namespace stream::service {

class DashboardService {
 public:
  DashboardService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Screening for the CONSORT counts is as of today.
  Result<ProtocolDashboard> Protocol(const Actor& actor, const protocol::Protocol& protocol) {
    return BuildProtocolDashboard(store_, actor, protocol, clock_.Today());
  }
  // `endpoint_id` empty: the first time-to-event endpoint.
  Result<SurvivalReport> Survival(const Actor& actor, const protocol::Protocol& protocol,
                                  const std::string& endpoint_id) {
    return BuildSurvivalReport(store_, actor, protocol, endpoint_id);
  }
  Result<RegistryDashboard> Registry(
      const Actor& actor, int recent,
      const std::function<std::string(const std::string&)>& study_pseudonym) {
    return BuildRegistryDashboard(store_, actor, recent, study_pseudonym);
  }

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace stream::service
