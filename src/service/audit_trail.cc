#include "service/audit_trail.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <set>

#include "service/record_trail.h"
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

void AuditChainVerifier::Add(const AuditEntry& e) {
  ++rows_checked_;
  if (e.seq != expected_seq_) {
    // The link after a gap is necessarily broken too: name the gap only.
    problems_.push_back({e.seq, "rows " + std::to_string(expected_seq_) + " to " +
                                    std::to_string(e.seq - 1) + " are missing"});
  } else if (e.prev_hash != expected_prev_) {
    problems_.push_back({e.seq, "link to the previous row is broken (prev_hash does not match)"});
  }
  if (AuditHash(e, e.prev_hash) != e.hash) {
    problems_.push_back({e.seq, "content does not match its hash: the row was altered"});
  }
  expected_prev_ = e.hash;
  expected_seq_ = e.seq + 1;
}

void UnorderedAuditChainVerifier::AddElement(Sum& sum, int64_t seq, const std::string& hash) {
  const std::string element = std::to_string(seq) + ":" + hash;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(element.data()),
                     element.size());
  // sum += digest (mod 2^256)
  uint64_t carry = 0;
  for (size_t limb = 0; limb < sum.size(); ++limb) {
    uint64_t value = 0;
    for (int b = 0; b < 8; ++b) value |= static_cast<uint64_t>(digest[limb * 8 + b]) << (8 * b);
    const uint64_t before = sum[limb];
    sum[limb] = before + value + carry;
    carry = (sum[limb] < before || (carry && sum[limb] == before)) ? 1 : 0;
  }
}

void UnorderedAuditChainVerifier::Add(const AuditEntry& e) {
  ++rows_checked_;
  max_seq_ = std::max(max_seq_, e.seq);
  if (AuditHash(e, e.prev_hash) != e.hash) {
    problems_.push_back({e.seq, "content does not match its hash: the row was altered"});
  }
  AddElement(rows_, e.seq, e.hash);
  AddElement(links_, e.seq - 1, e.prev_hash);
}

std::vector<AuditProblem> UnorderedAuditChainVerifier::Finish(int64_t last_seq,
                                                              const std::string& last_hash) const {
  std::vector<AuditProblem> problems = problems_;
  if (rows_checked_ != last_seq || max_seq_ != last_seq) {
    problems.push_back({last_seq, std::to_string(rows_checked_) + " rows up to row " +
                                      std::to_string(max_seq_) + ", expected rows 1 to " +
                                      std::to_string(last_seq)});
    return problems;
  }
  Sum rows = rows_, links = links_;
  AddElement(rows, 0, kGenesisHash);
  AddElement(links, last_seq, rows_checked_ == 0 ? std::string(kGenesisHash) : last_hash);
  if (rows != links) {
    problems.push_back({0, "the rows do not form one unbroken chain ending at row " +
                               std::to_string(last_seq) + " (a link is broken or a row missing)"});
  }
  return problems;
}

std::string Describe(const AuditProblem& p) {
  return p.seq > 0 ? "audit row " + std::to_string(p.seq) + ": " + p.what : p.what;
}

Result<AuditVerification> VerifyAuditTrail(Store& store) {
  AuditVerification report;
  STREAM_ASSIGN_OR_RETURN(report.storage_problems, store.CheckIntegrity());
  AuditChainVerifier chain;
  std::map<int64_t, int64_t> audited_identity;  // patient id -> seq of its identity's row
  std::set<int64_t> audited_patients;
  std::vector<int64_t> identities;
  std::vector<AuditProblem> unbound;  // rows that disagree with the trail
  Status s = RunInTransaction(store, TransactionMode::kRead, [&](Transaction& tx) -> Status {
    chain = AuditChainVerifier();  // a retried transaction starts over
    audited_identity.clear();
    audited_patients.clear();
    RecordTrail records;
    STREAM_RETURN_IF_ERROR(tx.ScanAudit([&](const AuditEntry& e) {
      chain.Add(e);
      records.Add(e);
      if (e.action == "create" && e.entity == "identity") audited_identity[e.entity_id] = e.seq;
      if (e.action == "create" && e.entity == "patient") audited_patients.insert(e.entity_id);
      return true;
    }));
    STREAM_ASSIGN_OR_RETURN(identities, tx.ListIdentityPatients());
    STREAM_ASSIGN_OR_RETURN(unbound, records.Check(tx));
    return Ok();
  });
  if (!s.ok()) return s.error();
  report.rows_checked = chain.rows_checked();
  report.problems = chain.problems();
  report.problems.insert(report.problems.end(), unbound.begin(), unbound.end());
  // Every identity belongs to a registered patient and was written with its audit row;
  // every identity the trail records is there (issue #15: none lost, none slipped in).
  for (const int64_t patient : identities) {
    if (!audited_patients.count(patient))
      report.problems.push_back({0, "an identity belongs to patient " + std::to_string(patient) +
                                        ", who was never registered"});
    if (!audited_identity.count(patient))
      report.problems.push_back({0, "the identity of patient " + std::to_string(patient) +
                                        " has no audit row: written outside STREAM"});
  }
  for (const auto& [patient, seq] : audited_identity) {
    if (!std::binary_search(identities.begin(), identities.end(), patient))
      report.problems.push_back({seq, "the identity of patient " + std::to_string(patient) +
                                          " recorded here is missing"});
  }
  return report;
}

}  // namespace stream::service
