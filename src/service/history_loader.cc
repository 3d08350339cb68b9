#include "service/history_loader.h"

#include "core/field_reader.h"

namespace stream::service {

Result<PatientHistory> LoadHistory(Transaction& tx, const Actor& actor, int64_t patient_id) {
  STREAM_ASSIGN_OR_RETURN(auto patient, tx.FindRecord(PatientKind(), patient_id));
  if (!patient || patient->deleted || !actor.CanSee(SiteOf(*patient))) {
    return Fail(ErrorCode::kNotFound, "no patient with id " + std::to_string(patient_id));
  }
  std::vector<KindRecord> records;
  for (const auto& kind : RecordKinds()) {
    RecordFilter filter;
    filter.patient_id = patient_id;
    STREAM_ASSIGN_OR_RETURN(auto rows, tx.ListRecords(kind, filter));
    for (auto& r : rows) records.push_back({&kind, std::move(r)});
  }
  return BuildHistory(*patient, records);
}

}  // namespace stream::service
