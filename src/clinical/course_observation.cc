// The observations of the disease course, one per record, and the reading of one response
// assessment on its own (ELN 2022 for AML, I-BFM for ALL).
#include "clinical/course_observation.h"

#include <algorithm>
#include <charconv>

#include "clinical/endpoints.h"

namespace stream::clinical {
namespace {

bool IsRelapseStatus(const std::string& status) {
  return status == "first_relapse" || status == "second_relapse" || status == "later_relapse" ||
         status == "relapse_after_transplant";
}

}  // namespace

std::string Percent(double v) {
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general).ptr;
  return std::string(buf, end) + " %";
}

Evidence EvidenceOf(std::string kind, int64_t id, Date date, std::string summary) {
  return {std::move(kind), id, date, std::move(summary)};
}

std::vector<Observation> Observe(const PatientHistory& h, CourseRules rules,
                                 const CourseOptions& options) {
  std::vector<Observation> out;
  for (const auto& d : h.diagnoses) {
    Observation o;
    o.date = d.diagnosis_date;
    o.strength = Strength::kDiagnosis;
    o.what = Observation::What::kDiagnosis;
    o.evidence =
        EvidenceOf("diagnosis", d.record_id, d.diagnosis_date, "diagnosis of " + d.disease);
    out.push_back(o);
    if (d.status_at_registration == "primary_refractory" ||
        IsRelapseStatus(d.status_at_registration)) {
      Observation r;
      r.date = std::max(h.registered_on, d.diagnosis_date);
      r.strength = Strength::kRegistration;
      r.what = d.status_at_registration == "primary_refractory"
                   ? Observation::What::kRegisteredRefractory
                   : Observation::What::kRegisteredRelapse;
      r.evidence = EvidenceOf("diagnosis", d.record_id, r.date,
                              "status at registration: " + d.status_at_registration);
      out.push_back(r);
    }
  }
  for (const auto& a : h.responses) {
    Observation o;
    o.date = a.assessment_date;
    o.what = Observation::What::kAssessment;
    o.reading = ReadAssessment(a, rules, options.response);
    o.assessment = &a;
    o.evidence = EvidenceOf("response", a.record_id, a.assessment_date,
                            o.reading.summary.empty() ? o.reading.undecided : o.reading.summary);
    out.push_back(o);
  }
  for (const auto& r : h.relapses) {
    Observation o;
    o.date = r.relapse_date;
    o.what = Observation::What::kRelapseRecord;
    o.mrd_relapse_record = r.relapse_type == "mrd";
    const bool marrow = r.relapse_type == "haematological" ||
                        std::find(r.sites.begin(), r.sites.end(), "bone_marrow") != r.sites.end();
    o.extramedullary_only = !o.mrd_relapse_record && !marrow;
    std::string summary = r.relapse_type + " relapse";
    if (!r.sites.empty()) {
      std::string sites;
      for (const auto& s : r.sites) sites += (sites.empty() ? "" : ", ") + s;
      summary += " (" + sites + (r.sites.size() > 1 ? ": combined" : ": isolated") + ")";
    }
    o.evidence = EvidenceOf("relapse", r.record_id, r.relapse_date, summary);
    out.push_back(o);
  }
  for (const auto& l : h.treatment_lines) {
    if (!l.reason_stopped || (*l.reason_stopped != "refractory" && *l.reason_stopped != "relapse"))
      continue;
    Observation o;
    o.date = l.end_date.value_or(l.start_date);
    o.what = Observation::What::kLineFailure;
    o.evidence = EvidenceOf(
        "treatment_line", l.record_id, o.date,
        "line " + std::to_string(l.line_number) + " (" + l.regimen +
            ") stopped: " + (*l.reason_stopped == "refractory" ? "refractory disease" : "relapse"));
    out.push_back(o);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Observation& a, const Observation& b) { return a.date < b.date; });
  return out;
}

std::string_view MarrowStatus(double blasts) {
  if (blasts < 5) return "M1";
  if (blasts < 25) return "M2";
  return "M3";
}

AssessmentReading ReadAssessment(const ResponseAssessment& a, CourseRules rules,
                                 const ResponseOptions& options) {
  AssessmentReading r;
  const bool cns_disease = a.cns_status && (*a.cns_status == "cns2" || *a.cns_status == "cns3");
  const bool emd = a.extramedullary_disease.value_or(false) || cns_disease;
  const std::string emd_words =
      cns_disease ? "CNS involvement (" + *a.cns_status + ")" : "extramedullary disease";
  if (rules == CourseRules::kAllIbfm) {
    // I-BFM: M1 marrow without CNS or other extramedullary disease is CR; counts are not
    // needed.
    if (a.marrow_blasts) {
      const std::string marrow = "marrow blasts " + Percent(*a.marrow_blasts) + " (" +
                                 std::string(MarrowStatus(*a.marrow_blasts)) + ")";
      if (*a.marrow_blasts >= 5) {
        r.has_disease = true;
        r.needs_confirmation = *a.marrow_blasts < 25 && !emd;
        r.summary = marrow + (emd ? ", " + emd_words : "");
      } else if (emd) {
        r.has_disease = true;
        r.extramedullary_only = true;
        r.summary = marrow + ", " + emd_words;
      } else {
        r.state = DiseaseState::kCr;
        r.summary = marrow + (a.cns_status ? ", " + *a.cns_status : ", CNS status not recorded");
      }
      return r;
    }
    if (emd) {
      r.has_disease = true;
      r.extramedullary_only = true;
      r.summary = emd_words + " (marrow not examined)";
      return r;
    }
    if (a.eln2022_category && *a.eln2022_category == "cr") {
      r.state = DiseaseState::kCr;
      r.summary = "CR as entered by the site (no marrow blasts recorded)";
      return r;
    }
    r.undecided = "no marrow blasts recorded: the assessment decides nothing";
    return r;
  }

  // AML, ELN 2022. Disease that no count can undo: >= 5 % marrow blasts, blood blasts,
  // extramedullary disease. PR (blasts 5-25 % with a >= 50 % fall) is still disease.
  bool mrd_negative = false;
  const auto category = AssessedCategory(a, options, &mrd_negative);
  if (a.marrow_blasts && *a.marrow_blasts >= 5) {
    r.has_disease = true;
    r.summary = "marrow blasts " + Percent(*a.marrow_blasts) + " >= 5 %";
    if (category == ResponseCategory::kPr) {
      r.state = DiseaseState::kPr;
      r.summary += " (PR)";
    }
    return r;
  }
  if (a.blood_blasts && *a.blood_blasts > 0) {
    r.has_disease = true;
    r.summary = "blood blasts " + Percent(*a.blood_blasts);
    return r;
  }
  if (emd) {
    r.has_disease = true;
    r.extramedullary_only = a.marrow_blasts.has_value();
    r.summary = emd_words;
    return r;
  }
  if (!category) {
    const ResponseResult derived = ClassifyEln2022Response(a, std::nullopt, options);
    r.undecided = "assessment not evaluable";
    if (!derived.missing.empty()) {
      r.undecided += ": missing ";
      for (size_t i = 0; i < derived.missing.size(); ++i)
        r.undecided += (i ? ", " : "") + derived.missing[i];
    }
    return r;
  }
  switch (*category) {
    case ResponseCategory::kCr:
      r.state = DiseaseState::kCr;
      break;
    case ResponseCategory::kCrh:
      r.state = DiseaseState::kCrh;
      break;
    case ResponseCategory::kCri:
      r.state = DiseaseState::kCri;
      break;
    case ResponseCategory::kMlfs:
      r.state = DiseaseState::kMlfs;
      break;
    case ResponseCategory::kPr:
      r.state = DiseaseState::kPr;
      r.has_disease = true;
      break;
    case ResponseCategory::kNoResponse:
      r.has_disease = true;
      r.summary = "no response";
      return r;
    default:
      r.undecided = "assessment not evaluable";
      return r;
  }
  r.summary = std::string(ToCode(*category));
  if (a.marrow_blasts) r.summary += ": marrow blasts " + Percent(*a.marrow_blasts);
  if (!a.marrow_blasts) r.summary += " as entered by the site";
  return r;
}

}  // namespace stream::clinical
