// The derived picture of one patient as JSON, shared by `stream patient show`, the API
// (GET /api/v1/patients/{id}/disease-course) and the browser: the disease state on a date
// with the records behind it, the dated course, the ELN 2022 genetic risk with the rule
// that decided it and what is still missing, and each response assessment's derived
// category beside the site's, flagged where they disagree (docs/clinical-rules.md).
#pragma once

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/patient_history.h"

namespace stream::interop {

nlohmann::json DiseaseCourseJson(const PatientHistory& history, Date as_of);

}  // namespace stream::interop
