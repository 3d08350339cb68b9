// The hash-chained audit trail (reliability promise 1).
//
// Each row's hash is SHA-256 over the previous row's hash and the row's canonical
// text (every column but seq and hash, length-prefixed). Editing any column of any row
// breaks its own hash; re-hashing an edited row breaks the next row's link; removing a
// row leaves a gap in seq. The database refuses UPDATE and DELETE on the table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/store.h"

namespace stream::service {

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Hex SHA-256 of `prev_hash` and the canonical text of `entry` (entry.hash ignored).
std::string AuditHash(const AuditEntry& entry, const std::string& prev_hash);

// Appends audit rows within one transaction, chaining each to the last. Not
// thread-safe; one per transaction.
class AuditWriter {
 public:
  explicit AuditWriter(Transaction& tx) : tx_(tx) {}
  [[nodiscard]] Status Append(AuditEntry entry);

 private:
  Transaction& tx_;
  std::optional<std::string> last_hash_;
};

struct AuditProblem {
  int64_t seq;
  std::string what;
};

struct AuditVerification {
  int64_t rows_checked = 0;
  std::vector<AuditProblem> problems;         // empty when the chain is intact
  std::vector<std::string> storage_problems;  // integrity check of the engine itself
  bool ok() const { return problems.empty() && storage_problems.empty(); }
};

// Walks the whole chain and names every row that does not verify.
Result<AuditVerification> VerifyAuditTrail(Store& store);

}  // namespace stream::service
