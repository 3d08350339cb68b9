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

}  // namespace stream::interop
