// The state machine of the disease course (the table in clinical/disease_course.h): fed
// the observations of one clinical date at a time, oldest first, it derives remission,
// response, relapse (haematological, extramedullary, MRD) and refractoriness, and keeps
// the course's events and the snapshot of the latest state.
//
// Internal to src/clinical. One machine per patient and run; not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clinical/course_observation.h"
#include "clinical/disease_course.h"
#include "core/date.h"
#include "core/patient_history.h"

namespace stream::clinical {

// The state machine's memory between days. `h` and `options` must outlive it.
struct CourseStateMachine {
  const PatientHistory& h;
  const CourseOptions& options;
  DiseaseSnapshot snap;
  DiseaseCourse course;
  std::optional<DiseaseState> settled;   // the last state that was not conflicting
  std::optional<double> last_mrd_value;  // positive MRD value in this remission
  bool pending_m2 = false;               // ALL: an unconfirmed M2 marrow in remission

  // All observations of one day; days come in date order.
  void Day(Date date, std::vector<const Observation*> day);

  // Adds an event to the course.
  void Emit(Date date, CourseEventKind kind, std::optional<DiseaseState> state,
            std::string description, std::vector<Evidence> evidence);

 private:
  bool TreatedBefore(Date d) const;
  // The state an observation leads to from the settled state.
  std::optional<DiseaseState> Next(const Observation& o) const;
  void SetState(Date date, DiseaseState state, std::vector<Evidence> evidence);
  // MRD of an assessment read in a haematological remission (ELN 2022 table 7).
  void ReadMrd(const ResponseAssessment& a, const Evidence& evidence);
};

}  // namespace stream::clinical
