// The audit trail, as the store keeps it: append-only rows, each chained to the one
// before by the service (service/audit_trail.h). One of the repositories a store
// Transaction (core/store.h) offers; a use case appends its audit rows in the same
// Transaction as the change they record.
//
// Every method runs inside the Transaction it belongs to and sees that transaction's
// own writes; nothing is durable before Transaction::Commit. Failures are typed
// (core/error.h) as in core/account_repository.h. Used by one thread, like its
// Transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace stream {

// One row of the audit trail (reliability promise 1). The store assigns `seq`; the
// service computes `hash` = SHA-256(prev_hash, canonical row) before appending.
struct AuditEntry {
  int64_t seq = 0;
  Timestamp at;
  std::string actor;   // username, or "system"
  std::string site;    // site code of the record touched; empty for central objects
  std::string entity;  // record kind, "patient", "user", "site", …
  int64_t entity_id = 0;
  int64_t patient_id = 0;  // 0 when the entity belongs to no patient
  std::string action;      // create | update | delete
  std::string field;       // empty for create/delete of a whole record
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  std::string reason;
  std::string request_id;
  std::string prev_hash;  // hex; 64 zeros for the first row
  std::string hash;       // hex
};

// Which audit rows a query returns, newest first; keyset pagination on seq.
struct AuditFilter {
  std::optional<int64_t> patient_id;
  std::optional<std::string> entity;  // with entity_id: one record's history
  std::optional<int64_t> entity_id;
  std::optional<std::string> actor;
  std::optional<std::string> site;  // site isolation: only rows of this site
  int64_t before_seq = 0;           // 0: from the newest
  int64_t limit = 100;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;

  // The newest row, none when the trail is empty.
  virtual Result<std::optional<AuditEntry>> LastAudit() = 0;
  // Appends a row and returns the seq the store gave it.
  virtual Result<int64_t> AppendAudit(const AuditEntry& entry) = 0;
  // Calls `visit` for every row in seq order until it returns false.
  [[nodiscard]] virtual Status ScanAudit(const std::function<bool(const AuditEntry&)>& visit) = 0;
  // The rows `filter` selects, newest first (at most 10,000).
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) = 0;
};

}  // namespace stream
