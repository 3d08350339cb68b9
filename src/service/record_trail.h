// Every registry row bound to its audit trail (issue #15): replaying the trail's create,
// update and delete rows of a record gives exactly what the table holds. A row changed,
// deleted or added directly in the database, without STREAM, no longer matches, and
// `stream audit verify` names it. The chain's hashes prove the trail unaltered; this
// proves the tables agree with it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/audit_repository.h"
#include "core/record.h"
#include "core/result.h"
#include "core/schema.h"
#include "core/store.h"
#include "service/audit_trail.h"

namespace stream::service {

// The whole record as one audit value: "field=value; …" of its non-null fields, in field
// order (the create row's new value and the delete row's old value).
std::string RecordAuditText(const KindSpec& kind, const std::vector<Value>& values);

// Fed the audit trail in seq order, then checked against the tables. Not thread-safe.
class RecordTrail {
 public:
  void Add(const AuditEntry& entry);
  // Problems named per row: "diagnosis 12: field disease differs from its audit trail
  // (changed outside STREAM)", "… has no audit row", "… recorded here is missing".
  Result<std::vector<AuditProblem>> Check(Transaction& tx) const;

  // One record's audit rows, as far as the check needs them.
  struct Trail {
    int64_t created_seq = 0;
    std::string created;  // the create row's text
    bool deleted = false;
    std::map<std::string, std::optional<std::string>> first_old;  // per updated field
    std::map<std::string, std::optional<std::string>> last_new;
  };

 private:
  std::map<std::string, std::map<int64_t, Trail>> trails_;  // kind name -> id -> trail
};

}  // namespace stream::service
