// What the records of one patient say about the disease, one record at a time: the
// dated observations the course's state machine reads (clinical/course_state_machine.h).
//
// Internal to src/clinical. Pure functions over PatientHistory; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clinical/disease_course.h"
#include "core/date.h"
#include "core/patient_history.h"

namespace stream::clinical {

// How strongly a step establishes the state: a record of the disease itself (assessment,
// relapse, failed line) outranks the status the site gave at registration, which
// outranks the diagnosis.
enum class Strength { kDiagnosis = 0, kRegistration = 1, kRecord = 2 };

// One dated observation of the disease before the state machine reads it.
struct Observation {
  Date date;
  Strength strength = Strength::kRecord;
  enum class What {
    kDiagnosis,
    kRegisteredRefractory,
    kRegisteredRelapse,
    kAssessment,
    kRelapseRecord,
    kLineFailure,
    kMrd,  // MRD-only information of an assessment in remission
  } what = What::kAssessment;
  AssessmentReading reading;  // kAssessment
  bool extramedullary_only = false;
  bool mrd_relapse_record = false;
  const ResponseAssessment* assessment = nullptr;
  Evidence evidence;
};

// Evidence naming one record.
Evidence EvidenceOf(std::string kind, int64_t id, Date date, std::string summary);

// A percentage as the course's summaries write it: "14 %".
std::string Percent(double v);

// The history's diagnoses (and status at registration), response assessments (read under
// `rules`), relapse records and failed treatment lines, oldest first; the same date keeps
// the history's order.
std::vector<Observation> Observe(const PatientHistory& h, CourseRules rules,
                                 const CourseOptions& options);

}  // namespace stream::clinical
