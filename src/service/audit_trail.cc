#include "service/audit_trail.h"

#include <sodium.h>

#include "service/transaction_runner.h"

namespace stream::service {
namespace {

void Field(std::string& out, const std::string& value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
}

void OptionalField(std::string& out, const std::optional<std::string>& value) {
  if (!value) {
    out += "~";  // null differs from the empty string
    return;
  }
  Field(out, *value);
}

}  // namespace

std::string AuditHash(const AuditEntry& e, const std::string& prev_hash) {
  std::string text;
  text.reserve(256);
  Field(text, prev_hash);
  Field(text, e.at.ToString());
  Field(text, e.actor);
  Field(text, e.site);
  Field(text, e.entity);
  Field(text, std::to_string(e.entity_id));
  Field(text, std::to_string(e.patient_id));
  Field(text, e.action);
  Field(text, e.field);
  OptionalField(text, e.old_value);
  OptionalField(text, e.new_value);
  Field(text, e.reason);
  Field(text, e.request_id);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Status AuditWriter::Append(AuditEntry entry) {
  if (!last_hash_) {
    STREAM_ASSIGN_OR_RETURN(auto last, tx_.LastAudit());
    last_hash_ = last ? last->hash : kGenesisHash;
  }
  entry.prev_hash = *last_hash_;
  entry.hash = AuditHash(entry, entry.prev_hash);
  STREAM_ASSIGN_OR_RETURN(int64_t seq, tx_.AppendAudit(entry));
  (void)seq;
  last_hash_ = entry.hash;
  return Ok();
}

Result<AuditVerification> VerifyAuditTrail(Store& store) {
  AuditVerification report;
  STREAM_ASSIGN_OR_RETURN(report.storage_problems, store.CheckIntegrity());
  Status s = RunInTransaction(store, TransactionMode::kRead, [&](Transaction& tx) -> Status {
    std::string expected_prev = kGenesisHash;
    int64_t expected_seq = 1;
    return tx.ScanAudit([&](const AuditEntry& e) {
      ++report.rows_checked;
      if (e.seq != expected_seq) {
        // The link after a gap is necessarily broken too: name the gap only.
        report.problems.push_back({e.seq, "rows " + std::to_string(expected_seq) + " to " +
                                              std::to_string(e.seq - 1) + " are missing"});
      } else if (e.prev_hash != expected_prev) {
        report.problems.push_back(
            {e.seq, "link to the previous row is broken (prev_hash does not match)"});
      }
      if (AuditHash(e, e.prev_hash) != e.hash) {
        report.problems.push_back({e.seq, "content does not match its hash: the row was altered"});
      }
      expected_prev = e.hash;
      expected_seq = e.seq + 1;
      return true;
    });
  });
  if (!s.ok()) return s.error();
  return report;
}

}  // namespace stream::service
