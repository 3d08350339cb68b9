#include "interop/derived_csv.h"

#include "interop/csv.h"

namespace stream::interop {

std::string DerivedToCsv(const std::vector<service::DerivedRow>& rows, Date as_of) {
  std::string out =
      "patient,as_of,rules,disease_state,state_since,remission_date,mrd_status,mrd_relapse,"
      "mrd_relapse_date,last_transplant,death_date,lost_to_follow_up,eln2022_risk,"
      "assessments_disagreeing\n";
  const std::string date = as_of.ToString();
  for (const auto& r : rows) {
    for (const std::string* cell : {&r.patient, &date, &r.rules, &r.disease_state, &r.state_since,
                                    &r.remission_date, &r.mrd_status}) {
      out += CsvCell(*cell) + ",";
    }
    out += std::string(r.mrd_relapse ? "true" : "false") + ",";
    for (const std::string* cell : {&r.mrd_relapse_date, &r.last_transplant, &r.death_date})
      out += CsvCell(*cell) + ",";
    out += std::string(r.lost_to_follow_up ? "true" : "false") + ",";
    out += CsvCell(r.eln2022_risk) + "," + std::to_string(r.assessments_disagreeing) + "\n";
  }
  return out;
}

std::string AttestationsToCsv(const std::vector<std::pair<std::string, Attestation>>& rows) {
  std::string out =
      "patient,protocol,protocol_version,criterion,name,value,attested_on,attested_at,"
      "attested_by,site\n";
  for (const auto& [patient, a] : rows) {
    out += CsvCell(patient) + "," + CsvCell(a.protocol_id) + "," + CsvCell(a.protocol_version) +
           "," + CsvCell(a.criterion) + "," + CsvCell(a.name) + "," + (a.value ? "true" : "false") +
           "," + a.attested_on.ToString() + "," + a.attested_at.ToString() + "," +
           CsvCell(a.attested_by) + "," + CsvCell(a.site) + "\n";
  }
  return out;
}

}  // namespace stream::interop
