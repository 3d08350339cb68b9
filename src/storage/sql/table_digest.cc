#include "storage/sql/table_digest.h"

#include <algorithm>
#include <map>

namespace stream::storage {

int64_t DatabaseSummary::TotalRows() const {
  int64_t total = 0;
  for (const auto& t : tables) total += t.rows;
  return total;
}

const TableDigest* DatabaseSummary::Find(std::string_view table) const {
  for (const auto& t : tables)
    if (t.table == table) return &t;
  return nullptr;
}

std::vector<std::string> CompareSummaries(const DatabaseSummary& expected,
                                          const DatabaseSummary& actual) {
  std::vector<std::string> out;
  if (expected.schema_version != actual.schema_version) {
    out.push_back("schema version " + std::to_string(actual.schema_version) + ", expected " +
                  std::to_string(expected.schema_version));
  }
  std::map<std::string, const TableDigest*> found;
  for (const auto& t : actual.tables) found[t.table] = &t;
  for (const auto& want : expected.tables) {
    auto it = found.find(want.table);
    if (it == found.end()) {
      out.push_back(want.table + ": table missing");
      continue;
    }
    const TableDigest& got = *it->second;
    if (got.rows != want.rows) {
      out.push_back(want.table + ": " + std::to_string(got.rows) + " rows, expected " +
                    std::to_string(want.rows));
    } else if (got.sha256 != want.sha256) {
      out.push_back(want.table + ": contents differ (checksum " + got.sha256.substr(0, 12) +
                    "…, expected " + want.sha256.substr(0, 12) + "…)");
    }
    found.erase(it);
  }
  for (const auto& [name, digest] : found) {
    out.push_back(name + ": unexpected table (" + std::to_string(digest->rows) + " rows)");
  }
  if (expected.audit_last_seq != actual.audit_last_seq ||
      expected.audit_last_hash != actual.audit_last_hash) {
    out.push_back("audit trail ends at row " + std::to_string(actual.audit_last_seq) +
                  ", expected row " + std::to_string(expected.audit_last_seq) + " with hash " +
                  expected.audit_last_hash.substr(0, 12) + "…");
  }
  return out;
}

RowHasher::RowHasher() { crypto_hash_sha256_init(&state_); }

void RowHasher::Add(std::string_view bytes) {
  crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
}

void RowHasher::Field(std::string_view type, std::string_view bytes) {
  Add(type);
  const std::string length = std::to_string(bytes.size()) + ":";
  Add(length);
  Add(bytes);
}

void RowHasher::Null() { Add("~"); }

void RowHasher::EndRow() { Add("\n"); }

std::string RowHasher::Finish() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace stream::storage
