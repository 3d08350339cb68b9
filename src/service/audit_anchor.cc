#include "service/audit_anchor.h"

#include <sodium.h>

#include <map>
#include <nlohmann/json.hpp>

#include "service/transaction_runner.h"

namespace stream::service {
namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

std::optional<std::string> Bytes(const std::string& hex, size_t n) {
  std::string out(n, '\0');
  size_t written = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), n, hex.data(), hex.size(),
                     nullptr, &written, nullptr) != 0 ||
      written != n)
    return std::nullopt;
  return out;
}

// What is signed: the purpose, the row and its hash, and when.
std::string SignedText(const AuditCheckpoint& c) {
  return "stream audit checkpoint\n" + std::to_string(c.seq) + "\n" + c.hash + "\n" +
         c.at.ToString();
}

}  // namespace

std::string NewAnchorKey() {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  return std::string(reinterpret_cast<const char*>(sk), sizeof sk);
}

Result<std::string> AnchorPublicKey(const std::string& signing_key) {
  if (signing_key.size() != crypto_sign_SECRETKEYBYTES)
    return Fail(ErrorCode::kCryptoError, "the anchor signing key must be " +
                                             std::to_string(crypto_sign_SECRETKEYBYTES) + " bytes");
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, reinterpret_cast<const unsigned char*>(signing_key.data()));
  return Hex(pk, sizeof pk);
}

Result<AuditCheckpoint> TakeCheckpoint(Store& store, const std::string& signing_key, Timestamp at) {
  STREAM_ASSIGN_OR_RETURN(std::string public_key, AnchorPublicKey(signing_key));
  AuditCheckpoint c;
  c.at = at;
  c.public_key = std::move(public_key);
  STREAM_RETURN_IF_ERROR(
      RunInTransaction(store, TransactionMode::kRead, [&](Transaction& tx) -> Status {
        AuditFilter newest;
        newest.limit = 1;
        STREAM_ASSIGN_OR_RETURN(auto rows, tx.ListAudit(newest));
        c.seq = rows.empty() ? 0 : rows.front().seq;
        c.hash = rows.empty() ? kGenesisHash : rows.front().hash;
        return Ok();
      }));
  const std::string text = SignedText(c);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()),
                       text.size(), reinterpret_cast<const unsigned char*>(signing_key.data()));
  c.signature = Hex(sig, sizeof sig);
  return c;
}

std::string CheckpointLine(const AuditCheckpoint& c) {
  return nlohmann::json{{"seq", c.seq},
                        {"hash", c.hash},
                        {"at", c.at.ToString()},
                        {"public_key", c.public_key},
                        {"signature", c.signature}}
      .dump();
}

Result<AuditCheckpoint> ParseCheckpoint(const std::string& line) {
  AuditCheckpoint c;
  try {
    const auto j = nlohmann::json::parse(line);
    c.seq = j.at("seq").get<int64_t>();
    c.hash = j.at("hash").get<std::string>();
    const auto at = Timestamp::Parse(j.at("at").get<std::string>());
    if (!at) return Fail(ErrorCode::kInvalidArgument, "expected a timestamp", "at");
    c.at = *at;
    c.public_key = j.at("public_key").get<std::string>();
    c.signature = j.at("signature").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    return Fail(ErrorCode::kInvalidArgument, std::string("not a checkpoint: ") + e.what());
  }
  return c;
}

Result<std::vector<AuditProblem>> CheckAnchors(Store& store,
                                               const std::vector<AuditCheckpoint>& checkpoints,
                                               const std::string& public_key) {
  std::vector<AuditProblem> problems;
  std::map<int64_t, std::string> hash_of;  // seq -> hash of the rows checkpoints name
  for (const auto& c : checkpoints) hash_of[c.seq];
  int64_t last = 0;
  STREAM_RETURN_IF_ERROR(
      RunInTransaction(store, TransactionMode::kRead, [&](Transaction& tx) -> Status {
        last = 0;
        return tx.ScanAudit([&](const AuditEntry& e) {
          last = e.seq;
          if (auto it = hash_of.find(e.seq); it != hash_of.end()) it->second = e.hash;
          return true;
        });
      }));
  for (const auto& c : checkpoints) {
    const std::string when = "the checkpoint of " + c.at.ToString();
    const auto key = Bytes(c.public_key, crypto_sign_PUBLICKEYBYTES);
    const auto sig = Bytes(c.signature, crypto_sign_BYTES);
    const std::string text = SignedText(c);
    if (!key || !sig ||
        crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                    reinterpret_cast<const unsigned char*>(text.data()),
                                    text.size(),
                                    reinterpret_cast<const unsigned char*>(key->data())) != 0) {
      problems.push_back({c.seq, when + " has a bad signature (the anchor file was altered)"});
      continue;
    }
    if (!public_key.empty() && c.public_key != public_key) {
      problems.push_back({c.seq, when + " is signed by another key than this registry's"});
      continue;
    }
    if (c.seq == 0) continue;
    if (c.seq > last) {
      problems.push_back({c.seq, when + " names row " + std::to_string(c.seq) +
                                     ", but the trail ends at row " + std::to_string(last) +
                                     ": rows were removed from its end (truncated)"});
    } else if (hash_of[c.seq].empty()) {
      problems.push_back({c.seq, when + " names a row that is missing (deleted)"});
    } else if (hash_of[c.seq] != c.hash) {
      problems.push_back({c.seq, when + " holds another hash for this row: the trail up to it "
                                        "was rewritten"});
    }
  }
  return problems;
}

}  // namespace stream::service
