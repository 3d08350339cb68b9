// The patient lines of the readable scenario files (tests/rules/scenarios/*.test and
// protocols/*.scenarios): "<record> <fields...>", described in
// tests/rules/scenarios/README.md. Shared by the criteria and protocol scenario runners.
#pragma once

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/patient_builder.h"

namespace stream::testing {

inline std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

inline std::optional<Date> OptDate(const std::string& w) {
  if (w == "-") return std::nullopt;
  return D(w.c_str());
}

inline std::optional<double> OptNumber(const std::string& w) {
  if (w == "-") return std::nullopt;
  return std::stod(w);
}

// Scenario records are numbered in the order they are written, so that evidence names
// them ("response 3").
inline int64_t NextRecordId(const PatientHistory& p) {
  return static_cast<int64_t>(p.diagnoses.size() + p.treatment_lines.size() + p.transplants.size() +
                              p.responses.size() + p.relapses.size() + p.deaths.size() +
                              p.follow_ups.size()) +
         1;
}

// One patient line: "<record> <fields...>"; returns an error text or "".
inline std::string AddRecord(PatientHistory& p, const std::vector<std::string>& w) {
  const std::string& kind = w[0];
  auto need = [&](size_t n) { return w.size() >= n; };
  if (kind == "born" && need(2)) {
    p.birth_year = std::stoi(w[1].substr(0, 4));
    p.birth_month = std::stoi(w[1].substr(5, 2));
  } else if (kind == "registered" && need(2)) {
    p.registered_on = D(w[1].c_str());
  } else if (kind == "sex" && need(2)) {
    p.sex = w[1];
  } else if (kind == "diagnosis" && need(4)) {
    Diagnosis d;
    d.disease = w[1];
    d.status_at_registration = w[2];
    d.diagnosis_date = D(w[3].c_str());
    d.origin = "de_novo";
    if (need(5)) d.lineage = w[4];
    d.record_id = NextRecordId(p);
    p.diagnoses.push_back(d);
  } else if (kind == "karyotype" && need(3)) {
    Karyotype k;
    k.sample_date = D(w[1].c_str());
    if (w[2] == "failed") {
      k.failed = true;
    } else {
      k.abnormalities.assign(w.begin() + 2, w.end());
    }
    p.karyotypes.push_back(k);
  } else if (kind == "variant" && need(4)) {  // variant GENE TYPE VAF|- [DATE]
    p.variants.push_back({w[1], std::nullopt, w[2], OptNumber(w[3]), "ngs",
                          need(5) ? D(w[4].c_str()) : D("2023-01-05")});
  } else if (kind == "test" && need(3)) {  // test GENE RESULT [DATE]
    p.gene_tests.push_back({w[1], w[2], "ngs", need(4) ? D(w[3].c_str()) : D("2023-01-05")});
  } else if (kind == "fusion" && need(2)) {
    p.fusions.push_back({w[1], "pcr", D("2023-01-05")});
  } else if (kind == "line" && need(4)) {  // line START END|- AGENT... [stopped=REASON]
    TreatmentLine l;
    l.line_number = static_cast<int>(p.treatment_lines.size()) + 1;
    l.start_date = D(w[1].c_str());
    l.end_date = OptDate(w[2]);
    for (size_t i = 3; i < w.size(); ++i) {
      if (w[i].rfind("stopped=", 0) == 0) {
        l.reason_stopped = w[i].substr(8);
      } else {
        l.agents.push_back(w[i]);
      }
    }
    l.regimen = l.agents.empty() ? "" : l.agents.front();
    l.intensity = "intensive";
    l.record_id = NextRecordId(p);
    p.treatment_lines.push_back(l);
  } else if (kind == "transplant" &&
             need(5)) {  // transplant DATE DONOR MANIPULATION|- PROPHYLAXIS...
    Transplant t;
    t.transplant_date = D(w[1].c_str());
    t.donor_type = w[2];
    t.stem_cell_source = "peripheral_blood";
    t.conditioning = "reduced_intensity";
    if (w[3] != "-") t.graft_manipulation = w[3];
    for (size_t i = 4; i < w.size(); ++i) {
      if (w[i] != "-") t.gvhd_prophylaxis.push_back(w[i]);
    }
    t.record_id = NextRecordId(p);
    p.transplants.push_back(t);
  } else if (kind == "acute_gvhd" && need(3)) {
    p.acute_gvhd.push_back({D(w[1].c_str()), std::stoi(w[2])});
  } else if ((kind == "ecog" || kind == "karnofsky" || kind == "lansky") && need(3)) {
    p.performance.push_back({D(w[1].c_str()), kind, std::stoi(w[2])});
  } else if (kind == "follow_up" && need(3)) {  // follow_up DATE alive|dead|lost_to_follow_up
    p.follow_ups.push_back({D(w[1].c_str()), w[2], NextRecordId(p)});
  } else if (kind == "response" && need(2)) {  // response DATE key=value...
    ResponseAssessment a;
    a.assessment_date = D(w[1].c_str());
    for (size_t i = 2; i < w.size(); ++i) {
      auto eq = w[i].find('=');
      if (eq == std::string::npos) return "response fields are key=value: " + w[i];
      std::string key = w[i].substr(0, eq), value = w[i].substr(eq + 1);
      if (key == "blasts")
        a.marrow_blasts = std::stod(value);
      else if (key == "blood_blasts")
        a.blood_blasts = std::stod(value);
      else if (key == "anc")
        a.anc = std::stod(value);
      else if (key == "platelets")
        a.platelets = std::stod(value);
      else if (key == "cellularity")
        a.marrow_cellularity = std::stod(value);
      else if (key == "emd")
        a.extramedullary_disease = value == "yes";
      else if (key == "mrd")
        a.mrd_status = value;
      else if (key == "mrd_value")
        a.mrd_value = std::stod(value);
      else if (key == "cns")
        a.cns_status = value;
      else if (key == "entered")
        a.eln2022_category = value;
      else
        return "unknown response field " + key;
    }
    a.record_id = NextRecordId(p);
    p.responses.push_back(a);
  } else if (kind == "relapse" && need(3)) {  // relapse DATE TYPE [SITE...]
    p.relapses.push_back({D(w[1].c_str()), w[2], CodeSet(w.begin() + 3, w.end()), NextRecordId(p)});
  } else if (kind == "death" && need(2)) {
    p.deaths.push_back({D(w[1].c_str()), "leukaemia", NextRecordId(p)});
  } else if (kind == "withdrawal" && need(2)) {  // withdrawal DATE: of the latest consent
    if (p.consents.empty()) return "withdrawal needs a consent line before it";
    p.consents.back().withdrawal_date = D(w[1].c_str());
  } else if (kind == "consent" && need(3)) {  // consent DATE SCOPE... [form=VERSION]
    Consent c;
    c.form_version = "1";
    c.consent_date = D(w[1].c_str());
    for (auto it = w.begin() + 2; it != w.end(); ++it) {
      if (it->starts_with("form=")) {
        c.form_version = it->substr(5);
      } else {
        c.scope.push_back(*it);
      }
    }
    p.consents.push_back(c);
  } else {
    return "cannot read patient line: " + kind;
  }
  return "";
}

}  // namespace stream::testing
