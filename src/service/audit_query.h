// Reading the audit trail (issue #5): per patient, per record, or filtered by actor,
// newest first. Site users read only their site's rows, and asking for another site's
// patient is answered as for a missing one. Blinded roles read allocation rows of
// blinded protocols with the arm masked.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/store.h"
#include "service/actor.h"

namespace stream::service {

// Whether a protocol's allocations are blinded (the catalogue knows).
using BlindedProtocol = std::function<bool(const std::string& protocol_id)>;

class AuditQuery {
 public:
  AuditQuery(Store& store, BlindedProtocol blinded) : store_(store), blinded_(std::move(blinded)) {}

  Result<std::vector<AuditEntry>> Find(const Actor& actor, AuditFilter filter);

 private:
  Store& store_;
  BlindedProtocol blinded_;
};

}  // namespace stream::service
