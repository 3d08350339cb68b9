#include "service/protocol_service.h"

#include <algorithm>

#include "service/access_policy.h"
#include "service/audit_trail.h"
#include "service/keyed_random.h"
#include "service/transaction_runner.h"

namespace stream::service {
namespace {

std::optional<protocol::ArmStatus> ParseArmStatus(std::string_view text) {
  if (text == "open") return protocol::ArmStatus::kOpen;
  if (text == "closed") return protocol::ArmStatus::kClosed;
  if (text == "suspended") return protocol::ArmStatus::kSuspended;
  return std::nullopt;
}

}  // namespace

ProtocolService::ProtocolService(Store& store, const Clock& clock,
                                 std::vector<CataloguedProtocol> files,
                                 std::chrono::milliseconds refresh_interval)
    : store_(store),
      clock_(clock),
      files_(std::move(files)),
      refresh_interval_(refresh_interval),
      sites_(store, clock) {}

Status ProtocolService::Rebuild(Transaction& tx) {
  std::vector<CataloguedProtocol> protocols = files_;
  std::vector<CataloguedProtocol> earlier;  // replaced versions, still in force at some sites
  STREAM_ASSIGN_OR_RETURN(auto versions, tx.ListProtocolVersions());
  for (const auto& v : versions) {  // in load order: the last loaded version wins
    auto loaded = protocol::LoadProtocol(v.source, "stored:" + v.protocol_id + "@" + v.version);
    if (!loaded.ok()) return loaded.error();
    CataloguedProtocol entry{"stored:" + v.protocol_id + "@" + v.version, std::move(*loaded)};
    auto it = std::find_if(protocols.begin(), protocols.end(), [&](const CataloguedProtocol& p) {
      return p.protocol.id == v.protocol_id;
    });
    if (it == protocols.end()) {
      protocols.push_back(std::move(entry));
    } else {
      earlier.push_back(std::move(*it));
      *it = std::move(entry);
    }
  }
  for (auto* list : {&protocols, &earlier}) {
    for (auto& p : *list) {
      STREAM_ASSIGN_OR_RETURN(auto changes, tx.ListArmStatusChanges(p.protocol.id));
      for (const auto& c : changes) {
        for (auto& arm : p.protocol.arms) {
          if (arm.id != c.arm) continue;
          if (auto status = ParseArmStatus(c.status)) arm.status = *status;
        }
      }
    }
  }
  STREAM_ASSIGN_OR_RETURN(
      auto catalogue, ProtocolCatalogue::FromProtocols(std::move(protocols), std::move(earlier)));
  std::lock_guard lock(mu_);
  current_ = std::make_shared<const ProtocolCatalogue>(std::move(catalogue));
  refreshed_at_ = std::chrono::steady_clock::now();
  return Ok();
}

Status ProtocolService::Start() {
  return RunInTransaction(store_, TransactionMode::kRead,
                          [&](Transaction& tx) { return Rebuild(tx); });
}

std::shared_ptr<const ProtocolCatalogue> ProtocolService::Current() {
  {
    std::lock_guard lock(mu_);
    if (current_ && std::chrono::steady_clock::now() - refreshed_at_ < refresh_interval_)
      return current_;
  }
  // Stale: re-read. When the store cannot be read, keep serving the last snapshot.
  (void)RunInTransaction(store_, TransactionMode::kRead,
                         [&](Transaction& tx) { return Rebuild(tx); });
  std::lock_guard lock(mu_);
  return current_;
}

Result<ProtocolVersion> ProtocolService::LoadVersion(const Actor& actor,
                                                     const std::string& yaml_text) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kManageProtocols));
  STREAM_ASSIGN_OR_RETURN(auto parsed, protocol::LoadProtocol(yaml_text, "protocol"));
  ProtocolVersion version{0, parsed.id, parsed.version, yaml_text, clock_.Now(), actor.username};
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    STREAM_RETURN_IF_ERROR(Rebuild(tx));
    const auto* running = Current()->Find(parsed.id);
    if (running && running->version == parsed.version) {
      return Fail(ErrorCode::kConflict,
                  "protocol '" + parsed.id + "' already runs version '" + parsed.version +
                      "': give the new text a new version",
                  "version");
    }
    if (!parsed.part_of.empty() && !Current()->Find(parsed.part_of)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "'part_of' names protocol '" + parsed.part_of + "', which is not loaded",
                  "part_of");
    }
    auto inserted = tx.InsertProtocolVersion(version);
    if (!inserted.ok()) {
      if (inserted.error().code == ErrorCode::kAlreadyExists) {
        return Fail(ErrorCode::kConflict,
                    "version '" + parsed.version + "' of '" + parsed.id + "' was loaded before",
                    "version");
      }
      return inserted.error();
    }
    version.id = *inserted;
    AuditWriter audit(tx);
    AuditEntry e;
    e.at = version.loaded_at;
    e.actor = actor.username;
    e.entity = "protocol";
    e.entity_id = version.id;
    e.action = "create";
    e.new_value = "protocol=" + parsed.id + "; version=" + parsed.version +
                  "; sha256=" + Sha256Hex(yaml_text);
    e.request_id = actor.request_id;
    STREAM_RETURN_IF_ERROR(audit.Append(std::move(e)));
    return Rebuild(tx);
  });
  if (!s.ok()) {
    (void)Start();  // the snapshot may hold the uncommitted version: read it again
    return s.error();
  }
  return version;
}

Result<ArmStatusChange> ProtocolService::SetArmStatus(const Actor& actor,
                                                      const std::string& protocol_id,
                                                      const std::string& arm,
                                                      const std::string& status,
                                                      const std::string& reason) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kManageProtocols));
  if (!ParseArmStatus(status)) {
    return Fail(ErrorCode::kInvalidArgument, "expected open, closed or suspended", "status");
  }
  if (reason.empty())
    return Fail(ErrorCode::kReasonRequired, "changing an arm's status needs a reason", "reason");
  ArmStatusChange change{0, protocol_id, arm, status, reason, clock_.Now(), actor.username};
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    STREAM_RETURN_IF_ERROR(Rebuild(tx));
    const auto* p = Current()->Find(protocol_id);
    if (!p) return Fail(ErrorCode::kNotFound, "no protocol '" + protocol_id + "'");
    const auto* a = p->FindArm(arm);
    if (!a)
      return Fail(ErrorCode::kNotFound, "protocol '" + protocol_id + "' has no arm '" + arm + "'");
    const std::string before(protocol::ToString(a->status));
    STREAM_ASSIGN_OR_RETURN(change.id, tx.InsertArmStatusChange(change));
    AuditWriter audit(tx);
    AuditEntry e;
    e.at = change.changed_at;
    e.actor = actor.username;
    e.entity = "arm";
    e.entity_id = change.id;
    e.action = "update";
    e.field = protocol_id + "/" + arm + "/status";
    e.old_value = before;
    e.new_value = status;
    e.reason = reason;
    e.request_id = actor.request_id;
    STREAM_RETURN_IF_ERROR(audit.Append(std::move(e)));
    return Rebuild(tx);
  });
  if (!s.ok()) {
    (void)Start();
    return s.error();
  }
  return change;
}

Result<std::vector<ArmStatusChange>> ProtocolService::ArmHistory(const Actor& actor,
                                                                 const std::string& protocol_id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadProtocols));
  if (!Current()->Find(protocol_id))
    return Fail(ErrorCode::kNotFound, "no protocol '" + protocol_id + "'");
  return RunInTransaction<std::vector<ArmStatusChange>>(
      store_, TransactionMode::kRead,
      [&](Transaction& tx) { return tx.ListArmStatusChanges(protocol_id); });
}

}  // namespace stream::service
