#include "service/export_service.h"

#include <map>

#include "core/consent_scope.h"
#include "core/field_reader.h"
#include "service/access_policy.h"
#include "service/field_visibility.h"
#include "service/record_pages.h"
#include "service/transaction_runner.h"

namespace stream::service {

Result<bool> ExportPseudonymised(const Actor& actor, const std::string& study) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kExport));
  const bool pseudonymise = SeesStudyPseudonyms(actor.role);
  if (pseudonymise && study.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "statisticians export per study: name the study (a protocol id or 'registry')",
                "study");
  }
  return pseudonymise;
}

Result<ExportTable> ExportService::Export(const Actor& actor, const KindSpec& kind,
                                          const std::string& study) {
  STREAM_ASSIGN_OR_RETURN(const bool pseudonymise, ExportPseudonymised(actor, study));
  const bool is_patient = &kind == &PatientKind();
  ExportTable table;
  table.kind = &kind;
  table.pseudonymised = pseudonymise;
  std::map<int64_t, std::string> pseudonym_of;  // patient id -> registry pseudonym
  // Registry consent withdrawn: what was recorded from the withdrawal on is withheld
  // (core/consent_scope.h); the patient rows and the consents themselves stay.
  const bool withholds = !is_patient && kind.name != "consent" && !kind.dates.date_field.empty();
  std::map<int64_t, Date> withdrawn_from;  // patient id -> registry consent withdrawn on
  Status s = RunInTransaction(store_, TransactionMode::kRead, [&](Transaction& tx) -> Status {
    table.records.clear();
    pseudonym_of.clear();
    withdrawn_from.clear();
    RecordFilter filter;
    if (!actor.IsCentral()) filter.site = actor.site;
    filter.limit = 50000;
    STREAM_RETURN_IF_ERROR(ForEachRecord(tx, PatientKind(), filter,
                                         [&](Record&& p) { pseudonym_of[p.id] = PseudonymOf(p); }));
    if (withholds) {
      std::map<int64_t, std::vector<Consent>> consents_of;
      STREAM_RETURN_IF_ERROR(ForEachRecord(tx, KindNamed("consent"), filter, [&](Record&& r) {
        consents_of[r.patient_id].push_back(ConsentOf(r));
      }));
      for (const auto& [patient, consents] : consents_of) {
        if (auto from = ConsentWithdrawnFrom(consents, "registry")) withdrawn_from[patient] = *from;
      }
    }
    for (RecordFilter page = filter;;) {
      STREAM_ASSIGN_OR_RETURN(auto rows, tx.ListRecords(kind, page));
      for (auto& r : rows) table.records.push_back(std::move(r));
      if (static_cast<int64_t>(table.records.size()) > kMaxExportRows) {
        return Fail(ErrorCode::kInvalidArgument,
                    "more than " + std::to_string(kMaxExportRows) +
                        " rows: export per site or use the database's own tools",
                    "kind");
      }
      if (static_cast<int64_t>(rows.size()) < page.limit) break;
      page.after_id = table.records.back().id;
    }
    return Ok();
  });
  if (!s.ok()) return s.error();
  const size_t pseudonym_field = is_patient ? kind.IndexOf("pseudonym") : 0;
  // Records of patients outside the listing (another site's, or a deleted patient's)
  // are dropped.
  std::erase_if(table.records, [&](const Record& r) {
    return !pseudonym_of.count(is_patient ? r.id : r.patient_id);
  });
  if (!withdrawn_from.empty()) {
    const size_t before = table.records.size();
    std::erase_if(table.records, [&](const Record& r) {
      const auto found = withdrawn_from.find(r.patient_id);
      if (found == withdrawn_from.end()) return false;
      const auto date = r.DateOf(kind, kind.dates.date_field);
      return date && !(*date < found->second);
    });
    table.withheld = static_cast<int64_t>(before - table.records.size());
  }
  table.patients.reserve(table.records.size());
  for (auto& r : table.records) {
    std::string name = pseudonym_of[is_patient ? r.id : r.patient_id];
    if (pseudonymise) {
      name = pseudonyms_.For(study, name);
      r.id = 0;
      r.patient_id = 0;
      if (is_patient) r.values[pseudonym_field] = Value{name};
    }
    table.patients.push_back(std::move(name));
  }
  table.withheld_fields = WithheldFields(actor.role, kind);
  WithholdUnseen(actor.role, kind, table.records);
  return table;
}

}  // namespace stream::service
