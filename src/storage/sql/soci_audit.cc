// The SQL statements of the audit trail (core/audit_repository.h): append-only rows in
// audit_log, read newest first, in seq order, or through a bound filter.
#include <algorithm>

#include "storage/sql/sql_transaction.h"

namespace stream::storage {
namespace {

constexpr const char* kAuditSelect =
    "SELECT seq, at, actor, site, entity, entity_id, patient_id, action, field, old_value, "
    "new_value, reason, request_id, prev_hash, hash FROM audit_log";

AuditEntry ReadAudit(const soci::row& r) {
  AuditEntry e;
  e.seq = RowInt(r, 0);
  e.at = RowTimestamp(r, 1);
  e.actor = RowText(r, 2);
  e.site = RowText(r, 3);
  e.entity = RowText(r, 4);
  e.entity_id = RowInt(r, 5);
  e.patient_id = RowInt(r, 6);
  e.action = RowText(r, 7);
  e.field = RowText(r, 8);
  if (r.get_indicator(9) != soci::i_null) e.old_value = RowText(r, 9);
  if (r.get_indicator(10) != soci::i_null) e.new_value = RowText(r, 10);
  e.reason = RowText(r, 11);
  e.request_id = RowText(r, 12);
  e.prev_hash = RowText(r, 13);
  e.hash = RowText(r, 14);
  return e;
}

// The INSERT of one audit row, prepared on a transaction's first append (a use case
// appends one row per field changed) with the buffers it binds.
struct PreparedAuditInsert : PreparedStatement {
  AuditEntry entry;
  std::string at, old_value, new_value;
  long long entity_id = 0, patient_id = 0;
  soci::indicator old_ind = soci::i_null, new_ind = soci::i_null;
  soci::statement statement;

  explicit PreparedAuditInsert(soci::session& sql) : statement(sql) {
    statement.exchange(soci::use(at));
    statement.exchange(soci::use(entry.actor));
    statement.exchange(soci::use(entry.site));
    statement.exchange(soci::use(entry.entity));
    statement.exchange(soci::use(entity_id));
    statement.exchange(soci::use(patient_id));
    statement.exchange(soci::use(entry.action));
    statement.exchange(soci::use(entry.field));
    statement.exchange(soci::use(old_value, old_ind));
    statement.exchange(soci::use(new_value, new_ind));
    statement.exchange(soci::use(entry.reason));
    statement.exchange(soci::use(entry.request_id));
    statement.exchange(soci::use(entry.prev_hash));
    statement.exchange(soci::use(entry.hash));
    statement.alloc();
    statement.prepare(
        "INSERT INTO audit_log (at, actor, site, entity, entity_id, patient_id, action, field, "
        "old_value, new_value, reason, request_id, prev_hash, hash) VALUES (:at, :actor, :site, "
        ":entity, :entity_id, :patient_id, :action, :field, :old, :new, :reason, :request_id, "
        ":prev_hash, :hash)");
    statement.define_and_bind();
  }

  void Run(const AuditEntry& e) {
    entry = e;
    at = e.at.ToString();
    entity_id = e.entity_id;
    patient_id = e.patient_id;
    old_ind = e.old_value ? soci::i_ok : soci::i_null;
    new_ind = e.new_value ? soci::i_ok : soci::i_null;
    old_value = e.old_value.value_or("");
    new_value = e.new_value.value_or("");
    statement.execute(true);
  }
};

}  // namespace

Result<std::optional<AuditEntry>> SqlTransaction::LastAudit() {
  return ReadRow("read audit", std::string(kAuditSelect) + " ORDER BY seq DESC LIMIT 1", ReadAudit);
}

Result<int64_t> SqlTransaction::AppendAudit(const AuditEntry& e) {
  return Guard(engine_, "append audit", [&]() -> Result<int64_t> {
    if (!audit_insert_) audit_insert_ = std::make_unique<PreparedAuditInsert>(sql_);
    static_cast<PreparedAuditInsert&>(*audit_insert_).Run(e);
    return LastId();
  });
}

Status SqlTransaction::ScanAudit(const std::function<bool(const AuditEntry&)>& visit) {
  return Guard(engine_, "scan audit", [&]() -> Status {
    soci::rowset<soci::row> rows = (sql_.prepare << kAuditSelect << " ORDER BY seq");
    for (const auto& r : rows) {
      if (!visit(ReadAudit(r))) break;
    }
    return Ok();
  });
}

Result<std::vector<AuditEntry>> SqlTransaction::ListAudit(const AuditFilter& f) {
  return Guard(engine_, "query audit", [&]() -> Result<std::vector<AuditEntry>> {
    // Every condition is bound, never spliced: values come from API callers.
    std::string where = " WHERE 1 = 1";
    long long patient = f.patient_id.value_or(0), entity_id = f.entity_id.value_or(0);
    long long before = f.before_seq, limit = std::clamp<int64_t>(f.limit, 1, 10000);
    std::string entity = f.entity.value_or(""), actor = f.actor.value_or("");
    std::string site = f.site.value_or("");
    soci::statement st(sql_);
    soci::row row;
    st.exchange(soci::into(row));
    if (f.patient_id) where += " AND patient_id = :pt", st.exchange(soci::use(patient));
    if (f.entity) where += " AND entity = :en", st.exchange(soci::use(entity));
    if (f.entity_id) where += " AND entity_id = :eid", st.exchange(soci::use(entity_id));
    if (f.actor) where += " AND actor = :ac", st.exchange(soci::use(actor));
    if (f.site) where += " AND site = :si", st.exchange(soci::use(site));
    if (f.before_seq > 0) where += " AND seq < :bs", st.exchange(soci::use(before));
    st.exchange(soci::use(limit));
    st.alloc();
    st.prepare(std::string(kAuditSelect) + where + " ORDER BY seq DESC LIMIT :lim");
    st.define_and_bind();
    std::vector<AuditEntry> out;
    if (st.execute(true)) {
      do out.push_back(ReadAudit(row));
      while (st.fetch());
    }
    return out;
  });
}

}  // namespace stream::storage
