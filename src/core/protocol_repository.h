// How each protocol is run, as the store keeps it: the protocol versions loaded through
// the API, the arms a trial manager opened, closed or suspended, and the protocol's
// standing at each site. One of the repositories a store Transaction (core/store.h)
// offers.
//
// Every method runs inside the Transaction it belongs to and sees that transaction's
// own writes; nothing is durable before Transaction::Commit. Failures are typed
// (core/error.h) as in core/account_repository.h. Used by one thread, like its
// Transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace stream {

// A protocol version loaded after installation (through the API); its YAML source is
// kept as loaded, so the catalogue can be rebuilt at start-up.
struct ProtocolVersion {
  int64_t id = 0;
  std::string protocol_id;
  std::string version;
  std::string source;  // the YAML text
  Timestamp loaded_at;
  std::string loaded_by;
};

// An arm opened, closed or suspended by a trial manager; the latest change per arm wins
// over the status written in the protocol file.
struct ArmStatusChange {
  int64_t id = 0;
  std::string protocol_id;
  std::string arm;
  std::string status;  // open | closed | suspended
  std::string reason;
  Timestamp changed_at;
  std::string changed_by;
};

// A protocol's standing at one site from a date (issue #23): activated under a protocol
// version with its approval reference, suspended or closed. The latest row whose
// `effective_on` is on or before a day decides the site's standing that day.
struct SiteActivation {
  int64_t id = 0;
  std::string protocol_id;
  std::string site;                // site code
  std::string status;              // active | suspended | closed
  Date effective_on;               // from this day
  std::string protocol_version;    // active: the version approved at the site
  std::string approval_reference;  // active: ethics approval / contract reference
  std::string reason;
  Timestamp changed_at;
  std::string changed_by;
};

class ProtocolRepository {
 public:
  virtual ~ProtocolRepository() = default;

  // Protocol versions loaded through the API, and arm status changes, in id order.
  virtual Result<int64_t> InsertProtocolVersion(const ProtocolVersion& version) = 0;
  virtual Result<std::vector<ProtocolVersion>> ListProtocolVersions() = 0;
  virtual Result<int64_t> InsertArmStatusChange(const ArmStatusChange& change) = 0;
  virtual Result<std::vector<ArmStatusChange>> ListArmStatusChanges(
      std::string_view protocol_id) = 0;

  // Site activations (issue #23): every change of a protocol at its sites, in id order
  // (an empty protocol id: of every protocol).
  virtual Result<int64_t> InsertSiteActivation(const SiteActivation& activation) = 0;
  virtual Result<std::vector<SiteActivation>> ListSiteActivations(std::string_view protocol_id) = 0;
};

}  // namespace stream
