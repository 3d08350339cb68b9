// What a backup is checked against: one summary of a whole STREAM database, read in one
// snapshot. Each table gets its row count and a SHA-256 over its rows in key order, so
// two databases with equal summaries hold the same rows, value for value. A summary
// compares two databases of the same engine only (SQLite and PostgreSQL spell values
// differently).
//
// Every STREAM table's first column is its integer key (id, seq, patient_id, version),
// which gives the row order. Thread-safe: plain values and pure functions.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stream::storage {

struct TableDigest {
  std::string table;  // "patients", …; the sealed identities are "identities" (SQLite) or
                      // "identity.identities" (PostgreSQL)
  int64_t rows = 0;
  std::string sha256;  // hex
};

struct DatabaseSummary {
  int schema_version = 0;
  std::vector<TableDigest> tables;  // sorted by name
  int64_t audit_rows = 0;
  int64_t audit_last_seq = 0;   // 0 when the trail is empty
  std::string audit_last_hash;  // empty when the trail is empty
  int64_t TotalRows() const;
  const TableDigest* Find(std::string_view table) const;
};

// One line per difference ("patients: 500 rows, expected 498"); empty when equal.
std::vector<std::string> CompareSummaries(const DatabaseSummary& expected,
                                          const DatabaseSummary& actual);

// Incremental SHA-256 over length-prefixed fields, for a table's digest: a row is its
// fields, each Field or Null, then EndRow. Null differs from the empty string.
class RowHasher {
 public:
  RowHasher();
  void Field(std::string_view type, std::string_view bytes);
  void Null();
  void EndRow();
  // The hex digest; the hasher is finished afterwards.
  std::string Finish();

 private:
  void Add(std::string_view bytes);
  crypto_hash_sha256_state state_;
};

}  // namespace stream::storage
