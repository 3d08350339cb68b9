// The protocols a running installation executes, as they change while it runs (issue #5):
// the catalogue of protocols/*.yaml, plus protocol versions loaded through the API and
// arm status changes (open, closed, suspended), both kept in the store and audited.
//
// Readers take an immutable snapshot (Current) and keep it for the whole request, so a
// change never tears a screening or an enrolment in two. A snapshot is rebuilt when this
// process makes a change, and re-read from the store at most every `refresh_interval`
// so that several server processes on one PostgreSQL database converge. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/store.h"
#include "service/actor.h"
#include "service/protocol_catalogue.h"
#include "service/site_activation_service.h"

namespace stream::service {

class ProtocolService {
 public:
  ProtocolService(Store& store, const Clock& clock, std::vector<CataloguedProtocol> files,
                  std::chrono::milliseconds refresh_interval = std::chrono::seconds(2));

  // Reads the store and builds the first snapshot; errors when a stored version no longer
  // loads or conflicts with the files.
  [[nodiscard]] Status Start();

  // The catalogue as of now (arm statuses applied).
  std::shared_ptr<const ProtocolCatalogue> Current();

  // Loads a protocol from YAML text: a new version of a known protocol (its version
  // string must differ from the running one) or a new protocol. kManageProtocols.
  Result<ProtocolVersion> LoadVersion(const Actor& actor, const std::string& yaml_text);

  // Opens, closes or suspends an arm; a reason is required. kManageProtocols.
  Result<ArmStatusChange> SetArmStatus(const Actor& actor, const std::string& protocol_id,
                                       const std::string& arm, const std::string& status,
                                       const std::string& reason);
  Result<std::vector<ArmStatusChange>> ArmHistory(const Actor& actor,
                                                  const std::string& protocol_id);

  // Site activation, suspension, closure and recruitment status (issue #23).
  SiteActivationService& sites() { return sites_; }

 private:
  Status Rebuild(Transaction& tx);

  Store& store_;
  const Clock& clock_;
  std::vector<CataloguedProtocol> files_;
  std::chrono::milliseconds refresh_interval_;
  std::mutex mu_;
  std::shared_ptr<const ProtocolCatalogue> current_;
  std::chrono::steady_clock::time_point refreshed_at_;
  SiteActivationService sites_;
};

}  // namespace stream::service
