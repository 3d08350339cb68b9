#include "service/history_checks.h"

#include <algorithm>
#include <optional>

#include "core/consent_scope.h"
#include "core/field_reader.h"

namespace stream::service {
namespace {

struct Dated {
  const KindSpec* kind;
  int64_t id;
  Date date;
};

Result<std::vector<Dated>> DatesOf(Transaction& tx, const KindSpec& kind, int64_t patient_id,
                                   int64_t self_id) {
  std::vector<Dated> out;
  if (kind.dates.date_field.empty()) return out;
  RecordFilter filter;
  filter.patient_id = patient_id;
  STREAM_ASSIGN_OR_RETURN(auto rows, tx.ListRecords(kind, filter));
  for (const auto& r : rows) {
    if (r.id == self_id) continue;
    if (auto d = r.DateOf(kind, kind.dates.date_field)) out.push_back({&kind, r.id, *d});
  }
  return out;
}

std::optional<Date> Earliest(const std::vector<Dated>& dates) {
  std::optional<Date> out;
  for (const auto& d : dates) {
    if (!out || d.date < *out) out = d.date;
  }
  return out;
}

Error Conflict(const KindSpec& kind, Date date, const std::string& why) {
  return Fail(ErrorCode::kInvalidArgument, date.ToString() + " " + why,
              std::string(kind.dates.date_field));
}

// Lansky is the performance scale for children under 16, Karnofsky for 16 and over
// (ECOG has no age limit). The registry knows only the month of birth, so in the month of
// the 16th birthday either scale is accepted; outside it the age is certain.
std::optional<Error> PerformanceScaleConflict(const KindSpec& kind,
                                              const std::vector<Value>& values, Date date,
                                              int birth_year, int birth_month) {
  const auto* scale = std::get_if<std::string>(&values[kind.IndexOf("scale")]);
  if (!scale || (*scale != "lansky" && *scale != "karnofsky")) return std::nullopt;
  const Date sixteenth_month =
      Date::FromCivil(birth_year + 16, static_cast<unsigned>(birth_month), 1);
  const Date month_after =
      birth_month == 12
          ? Date::FromCivil(birth_year + 17, 1, 1)
          : Date::FromCivil(birth_year + 16, static_cast<unsigned>(birth_month) + 1, 1);
  const std::string age = "the patient was " +
                          std::to_string(AgeInYears(birth_year, birth_month, date)) + " on " +
                          date.ToString();
  if (*scale == "lansky" && date >= month_after) {
    return Fail(ErrorCode::kInvalidArgument,
                "Lansky is for children under 16 and " + age + ": use Karnofsky or ECOG", "scale");
  }
  if (*scale == "karnofsky" && date < sixteenth_month) {
    return Fail(ErrorCode::kInvalidArgument,
                "Karnofsky is for patients aged 16 and over and " + age + ": use Lansky or ECOG",
                "scale");
  }
  return std::nullopt;
}

// Consent enforced (issue #15.7): once every registry consent of the patient is
// withdrawn, no new record is accepted but a new consent; what was collected before stays
// (erasure is a separate, explicit request) and can still be corrected.
Result<std::optional<Error>> RegistryConsentWithdrawn(Transaction& tx, const KindSpec& kind,
                                                      int64_t patient_id, Date today) {
  const KindSpec& consent = *FindKind("consent");
  if (&kind == &consent) return std::optional<Error>();
  RecordFilter filter;
  filter.patient_id = patient_id;
  STREAM_ASSIGN_OR_RETURN(auto rows, tx.ListRecords(consent, filter));
  std::vector<Consent> consents;
  for (const auto& r : rows) consents.push_back(ConsentOf(r));
  const auto withdrawn = ConsentWithdrawnFrom(consents, "registry");
  // None recorded, or one in force (a withdrawal dated after today is not yet in effect).
  if (!withdrawn || today < *withdrawn) return std::optional<Error>();
  return std::optional<Error>(
      Fail(ErrorCode::kConflict,
           "consent to the registry was withdrawn on " + withdrawn->ToString() +
               ": no new data may be recorded for this patient unless a new consent is recorded",
           "patient"));
}

}  // namespace

Result<std::vector<Error>> HistoryConflicts(Transaction& tx, const KindSpec& kind,
                                            const Record& patient, const std::vector<Value>& values,
                                            int64_t self_id, Date today) {
  std::vector<Error> out;
  if (self_id == 0) {  // a new record, not a correction
    STREAM_ASSIGN_OR_RETURN(auto withdrawn, RegistryConsentWithdrawn(tx, kind, patient.id, today));
    if (withdrawn) out.push_back(std::move(*withdrawn));
  }
  if (kind.dates.date_field.empty()) return out;
  const auto* date_value = std::get_if<Date>(&values[kind.IndexOf(kind.dates.date_field)]);
  if (!date_value) return out;
  const Date date = *date_value;
  if (date > today) out.push_back(Conflict(kind, date, "is in the future"));
  const FieldReader<"patient"> born(patient);
  const auto birth_year = born.OptInt("birth_year").value_or(1900);
  const auto birth_month = born.OptInt("birth_month").value_or(1);
  if (date < Date::FromCivil(static_cast<int>(birth_year), static_cast<unsigned>(birth_month), 1)) {
    out.push_back(Conflict(kind, date, "is before the patient's month of birth"));
  }
  if (kind.name == "performance_status") {
    if (auto e = PerformanceScaleConflict(kind, values, date, static_cast<int>(birth_year),
                                          static_cast<int>(birth_month))) {
      out.push_back(std::move(*e));
    }
  }

  const KindSpec& diagnosis = *FindKind("diagnosis");
  const KindSpec& death = *FindKind("death");
  if (kind.dates.not_before_diagnosis) {
    STREAM_ASSIGN_OR_RETURN(auto diagnoses, DatesOf(tx, diagnosis, patient.id, self_id));
    if (auto first = Earliest(diagnoses); first && date < *first) {
      out.push_back(Conflict(kind, date,
                             "is before the diagnosis on " + first->ToString() + " (diagnosis " +
                                 std::to_string(diagnoses.front().id) + ")"));
    }
  }
  if (kind.dates.not_after_death) {
    STREAM_ASSIGN_OR_RETURN(auto deaths, DatesOf(tx, death, patient.id, self_id));
    if (auto died = Earliest(deaths); died && date > *died) {
      out.push_back(Conflict(kind, date, "is after the patient's death on " + died->ToString()));
    }
  }
  if (&kind == &death) {
    STREAM_ASSIGN_OR_RETURN(auto deaths, DatesOf(tx, death, patient.id, self_id));
    if (!deaths.empty()) {
      out.push_back(Fail(ErrorCode::kConflict,
                         "the patient's death is already recorded (death " +
                             std::to_string(deaths.front().id) + ")",
                         "death_date"));
    }
  }
  // A new earliest diagnosis, or a death, must not contradict records already there.
  const bool is_diagnosis = &kind == &diagnosis;
  if (is_diagnosis || &kind == &death) {
    STREAM_ASSIGN_OR_RETURN(auto diagnoses, DatesOf(tx, diagnosis, patient.id, self_id));
    if (is_diagnosis) {
      if (auto first = Earliest(diagnoses); first && *first <= date) return out;
    }
    for (const auto& other : RecordKinds()) {
      const bool applies =
          is_diagnosis ? other.dates.not_before_diagnosis : other.dates.not_after_death;
      if (!applies) continue;
      STREAM_ASSIGN_OR_RETURN(auto dates, DatesOf(tx, other, patient.id, self_id));
      for (const auto& d : dates) {
        if (is_diagnosis ? d.date < date : d.date > date) {
          out.push_back(Conflict(kind, date,
                                 std::string(is_diagnosis ? "is after the " : "is before the ") +
                                     std::string(other.name) + " " + std::to_string(d.id) +
                                     " dated " + d.date.ToString()));
          return out;
        }
      }
    }
  }
  return out;
}

Status CheckAgainstHistory(Transaction& tx, const KindSpec& kind, const Record& patient,
                           const std::vector<Value>& values, int64_t self_id, Date today) {
  STREAM_ASSIGN_OR_RETURN(auto conflicts,
                          HistoryConflicts(tx, kind, patient, values, self_id, today));
  if (conflicts.empty()) return Ok();
  return conflicts.front();
}

}  // namespace stream::service
