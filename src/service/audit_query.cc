#include "service/audit_query.h"

#include <algorithm>
#include <utility>

#include "core/field_reader.h"
#include "service/access_policy.h"
#include "service/field_visibility.h"
#include "service/transaction_runner.h"

namespace stream::service {
namespace {

// Where the value of `key` lies in "protocol=X; …; arm=A; …": [begin, end), or npos.
std::pair<size_t, size_t> MemberSpan(const std::string& text, const std::string& key) {
  const std::string needle = key + "=";
  size_t at = text.rfind(needle, 0) == 0 ? 0 : text.find("; " + needle);
  if (at == std::string::npos) return {std::string::npos, std::string::npos};
  if (at > 0) at += 2;
  at += needle.size();
  return {at, std::min(text.find(';', at), text.size())};
}

// The value of `key`, or "".
std::string Member(const std::string& text, const std::string& key) {
  const auto [begin, end] = MemberSpan(text, key);
  return begin == std::string::npos ? std::string() : text.substr(begin, end - begin);
}

// Replaces the value of `key` by `mask`, when the key is present.
void MaskMember(std::optional<std::string>& value, const std::string& key,
                const std::string& mask) {
  if (!value) return;
  const auto [begin, end] = MemberSpan(*value, key);
  if (begin != std::string::npos) value->replace(begin, end - begin, mask);
}

// The arm of an allocation row; a row that names none is masked whole.
void MaskArm(std::optional<std::string>& value) {
  if (!value) return;
  if (Member(*value, "arm").empty()) {
    value = "(blinded)";
    return;
  }
  MaskMember(value, "arm", "(blinded)");
}

// Allocation concealment: a list position (and the stratum it counts in) tells whoever
// knows the block sizes where a block ends, and so the next arms. Only those who manage
// the concealed lists read them in the audit trail.
void ConcealListPositions(std::vector<AuditEntry>& rows) {
  for (auto& row : rows) {
    if (row.entity != "enrolment") continue;
    for (auto* value : {&row.old_value, &row.new_value}) {
      MaskMember(*value, "position", "(concealed)");
      MaskMember(*value, "stratum", "(concealed)");
    }
  }
}

// Fields the reader may not see (core/schema.h, Audience) are masked in record rows: a
// correction of the field, or the field inside a whole-record value.
void MaskWithheldFields(const std::string& role, std::vector<AuditEntry>& rows) {
  if (Sees(role, Audience::kCareTeam)) return;  // sees every field
  for (auto& row : rows) {
    const KindSpec* kind = row.entity == "patient" ? &PatientKind() : FindKind(row.entity);
    if (!kind) continue;
    for (const auto field : WithheldFields(role, *kind)) {
      if (row.field == field) {
        if (row.old_value) row.old_value = "(withheld)";
        if (row.new_value) row.new_value = "(withheld)";
        continue;
      }
      for (auto* value : {&row.old_value, &row.new_value})
        MaskMember(*value, std::string(field), "(withheld)");
    }
  }
}

}  // namespace

Result<std::vector<AuditEntry>> AuditQuery::Find(const Actor& actor, AuditFilter filter) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadAudit));
  if (!actor.IsCentral()) filter.site = actor.site;
  filter.limit = std::clamp<int64_t>(filter.limit, 1, 1000);
  auto rows = RunInTransaction<std::vector<AuditEntry>>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<std::vector<AuditEntry>> {
        if (filter.patient_id) {
          // The patient must exist and be visible: a foreign patient reads as a missing one.
          STREAM_ASSIGN_OR_RETURN(auto patient, tx.FindRecord(PatientKind(), *filter.patient_id));
          if (!patient || !actor.CanSee(SiteOf(*patient))) {
            return Fail(ErrorCode::kNotFound,
                        "no patient with id " + std::to_string(*filter.patient_id));
          }
        }
        STREAM_ASSIGN_OR_RETURN(auto found, tx.ListAudit(filter));
        if (filter.entity && filter.entity_id && found.empty() && filter.before_seq == 0) {
          return Fail(ErrorCode::kNotFound,
                      "no " + *filter.entity + " with id " + std::to_string(*filter.entity_id));
        }
        return found;
      });
  if (rows.ok() && !Allows(actor.role, Permission::kManageRandomisation))
    ConcealListPositions(*rows);
  if (rows.ok()) MaskWithheldFields(actor.role, *rows);
  if (!rows.ok() || !IsBlinded(actor.role)) return rows;
  for (auto& row : *rows) {
    if (row.entity != "enrolment") continue;
    const std::string protocol =
        Member(row.new_value.value_or(row.old_value.value_or("")), "protocol");
    // An unblinding row names no protocol: mask it whenever any doubt remains.
    if (!protocol.empty() && !blinded_(protocol)) continue;
    MaskArm(row.old_value);
    MaskArm(row.new_value);
  }
  return rows;
}

}  // namespace stream::service
