// Signed checkpoints of the audit trail (issue #15), kept outside the database: each
// names the last row's seq and hash and is signed with Ed25519 (libsodium) by a key the
// database never holds. `stream audit checkpoint --anchor FILE` appends one (run it on a
// schedule: cron or a systemd timer, docs/operations.md); `stream audit verify --anchor
// FILE` checks every checkpoint's signature and that the trail still holds its row with
// its hash. So a trail cut short (truncation), rewritten and re-chained (a forged row), or
// replaced is found even by someone who could recompute every hash. Rows appended after
// the newest checkpoint are vouched for by the next one only.
#pragma once

#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "core/store.h"
#include "service/audit_trail.h"

namespace stream::service {

struct AuditCheckpoint {
  int64_t seq = 0;   // the last row of the trail when taken (0: the trail was empty)
  std::string hash;  // that row's hash (kGenesisHash when empty)
  Timestamp at;
  std::string public_key;  // hex Ed25519 public key of the signer
  std::string signature;   // hex Ed25519 signature of the signed text
};

// A new Ed25519 signing key (the 64-byte libsodium secret key), for the key file.
std::string NewAnchorKey();
// The hex public key of a signing key; kCryptoError when it is not one.
Result<std::string> AnchorPublicKey(const std::string& signing_key);

// The trail's head now, signed with `signing_key`.
Result<AuditCheckpoint> TakeCheckpoint(Store& store, const std::string& signing_key, Timestamp at);

// One checkpoint per line of the anchor file, as JSON; ParseCheckpoint names what is wrong.
std::string CheckpointLine(const AuditCheckpoint& checkpoint);
Result<AuditCheckpoint> ParseCheckpoint(const std::string& line);

// Every problem with the checkpoints against the trail: a bad signature, a signer other
// than `public_key` (hex; "" accepts the key each line names), a row missing (truncated),
// a row whose hash differs (rewritten). Problems carry the checkpoint's seq.
Result<std::vector<AuditProblem>> CheckAnchors(Store& store,
                                               const std::vector<AuditCheckpoint>& checkpoints,
                                               const std::string& public_key);

}  // namespace stream::service
