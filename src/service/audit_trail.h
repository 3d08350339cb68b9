// The hash-chained audit trail (reliability promise 1).
//
// Each row's hash is SHA-256 over the previous row's hash and the row's canonical
// text (every column but seq and hash, length-prefixed). Editing any column of any row
// breaks its own hash; re-hashing an edited row breaks the next row's link; removing a
// row leaves a gap in seq. The database refuses UPDATE and DELETE on the table.
#pragma once

#include <array>
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
  int64_t seq;  // the audit row at fault; 0 when there is none (a row written outside STREAM)
  std::string what;
};

// "audit row 12: …", or the problem alone when no row is at fault.
std::string Describe(const AuditProblem& problem);

struct AuditVerification {
  int64_t rows_checked = 0;
  std::vector<AuditProblem> problems;         // empty when the chain is intact
  std::vector<std::string> storage_problems;  // integrity check of the engine itself
  bool ok() const { return problems.empty() && storage_problems.empty(); }
};

// Checks a chain fed one row at a time in seq order, wherever the rows come from (the
// store, or a backup archive): gaps, broken links and altered rows. Not thread-safe.
class AuditChainVerifier {
 public:
  void Add(const AuditEntry& entry);
  int64_t rows_checked() const { return rows_checked_; }
  const std::vector<AuditProblem>& problems() const { return problems_; }
  // The hash of the last row added (kGenesisHash before any).
  const std::string& last_hash() const { return expected_prev_; }

 private:
  int64_t rows_checked_ = 0;
  int64_t expected_seq_ = 1;
  std::string expected_prev_ = kGenesisHash;
  std::vector<AuditProblem> problems_;
};

// Checks a chain whose rows come in any order (a pg_dump archive holds them in the
// order of the heap, not of seq) in constant memory: each row's own hash is checked as
// it comes; the links are checked together at the end by comparing two incremental
// multiset hashes (MSet-Add-Hash, Clarke et al., "Incremental Multiset Hash Functions
// and Their Application to Memory Integrity Checking", 2003): the set of (seq, hash)
// of every row plus (0, genesis) must equal the set of (seq - 1, prev_hash) of every
// row plus (last seq, last hash). A broken link is found but not located: restore the
// archive and run VerifyAuditTrail to name the row. Not thread-safe.
class UnorderedAuditChainVerifier {
 public:
  void Add(const AuditEntry& entry);
  // The problems found, given where the chain must end (0 and kGenesisHash: empty).
  std::vector<AuditProblem> Finish(int64_t last_seq, const std::string& last_hash) const;
  int64_t rows_checked() const { return rows_checked_; }

 private:
  using Sum = std::array<uint64_t, 4>;  // 256 bits, little-endian limbs
  static void AddElement(Sum& sum, int64_t seq, const std::string& hash);
  int64_t rows_checked_ = 0;
  int64_t max_seq_ = 0;
  Sum rows_{};   // (seq, hash)
  Sum links_{};  // (seq - 1, prev_hash)
  std::vector<AuditProblem> problems_;
};

// Walks the whole chain and names every row that does not verify; then checks the tables
// against it: every record replayed from its audit rows must equal its table row
// (service/record_trail.h), and every sealed identity must belong to a registered patient
// and match its audit row. Also runs the engine's integrity check.
Result<AuditVerification> VerifyAuditTrail(Store& store);

}  // namespace stream::service
