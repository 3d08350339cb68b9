// The SQL statements of how each protocol is run (core/protocol_repository.h): protocol
// versions loaded through the API, arm status changes and site activations.
#include "storage/sql/sql_transaction.h"

namespace stream::storage {
namespace {

ProtocolVersion ReadProtocolVersion(const soci::row& r) {
  return {RowInt(r, 0),  RowText(r, 1),      RowText(r, 2),
          RowText(r, 3), RowTimestamp(r, 4), RowText(r, 5)};
}

ArmStatusChange ReadArmStatusChange(const soci::row& r) {
  return {RowInt(r, 0),  RowText(r, 1),      RowText(r, 2), RowText(r, 3),
          RowText(r, 4), RowTimestamp(r, 5), RowText(r, 6)};
}

SiteActivation ReadSiteActivation(const soci::row& r) {
  SiteActivation a;
  a.id = RowInt(r, 0);
  a.protocol_id = RowText(r, 1);
  a.site = RowText(r, 2);
  a.status = RowText(r, 3);
  a.effective_on = RowDate(r, 4);
  a.protocol_version = RowText(r, 5);
  a.approval_reference = RowText(r, 6);
  a.reason = RowText(r, 7);
  a.changed_at = RowTimestamp(r, 8);
  a.changed_by = RowText(r, 9);
  return a;
}

}  // namespace

Result<int64_t> SqlTransaction::InsertProtocolVersion(const ProtocolVersion& v) {
  const std::string at = v.loaded_at.ToString();
  return InsertRow("insert protocol version",
                   "INSERT INTO protocol_versions (protocol_id, version, source, loaded_at, "
                   "loaded_by) VALUES (:p, :v, :s, :at, :by)",
                   soci::use(v.protocol_id), soci::use(v.version), soci::use(v.source),
                   soci::use(at), soci::use(v.loaded_by));
}

Result<std::vector<ProtocolVersion>> SqlTransaction::ListProtocolVersions() {
  return ReadRows("list protocol versions",
                  "SELECT id, protocol_id, version, source, loaded_at, loaded_by "
                  "FROM protocol_versions ORDER BY id",
                  ReadProtocolVersion);
}

Result<int64_t> SqlTransaction::InsertArmStatusChange(const ArmStatusChange& c) {
  const std::string at = c.changed_at.ToString();
  return InsertRow("insert arm status change",
                   "INSERT INTO arm_status_changes (protocol_id, arm, status, reason, changed_at, "
                   "changed_by) VALUES (:p, :a, :s, :r, :at, :by)",
                   soci::use(c.protocol_id), soci::use(c.arm), soci::use(c.status),
                   soci::use(c.reason), soci::use(at), soci::use(c.changed_by));
}

Result<std::vector<ArmStatusChange>> SqlTransaction::ListArmStatusChanges(
    std::string_view protocol_id) {
  const std::string p(protocol_id);
  return ReadRows("list arm status changes",
                  "SELECT id, protocol_id, arm, status, reason, changed_at, changed_by "
                  "FROM arm_status_changes WHERE protocol_id = :p ORDER BY id",
                  ReadArmStatusChange, soci::use(p));
}

Result<int64_t> SqlTransaction::InsertSiteActivation(const SiteActivation& a) {
  const std::string on = a.effective_on.ToString(), at = a.changed_at.ToString();
  return InsertRow("insert site activation",
                   "INSERT INTO site_activations (protocol_id, site, status, effective_on, "
                   "protocol_version, approval_reference, reason, changed_at, changed_by) VALUES "
                   "(:p, :s, :st, :on, :v, :ref, :r, :at, :by)",
                   soci::use(a.protocol_id), soci::use(a.site), soci::use(a.status), soci::use(on),
                   soci::use(a.protocol_version), soci::use(a.approval_reference),
                   soci::use(a.reason), soci::use(at), soci::use(a.changed_by));
}

Result<std::vector<SiteActivation>> SqlTransaction::ListSiteActivations(
    std::string_view protocol_id) {
  const std::string p(protocol_id);
  return ReadRows("list site activations",
                  "SELECT id, protocol_id, site, status, effective_on, protocol_version, "
                  "approval_reference, reason, changed_at, changed_by FROM site_activations "
                  "WHERE protocol_id = :p OR :p2 = '' ORDER BY id",
                  ReadSiteActivation, soci::use(p), soci::use(p));
}

}  // namespace stream::storage
