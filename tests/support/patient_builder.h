// Hand-built PatientHistory values for clinical and rules tests.
#pragma once

#include <string>
#include <utility>

#include "core/date.h"
#include "core/patient_history.h"

namespace stream::testing {

inline Date D(const char* iso) { return *Date::Parse(iso); }

// Fluent builder: PatientBuilder().Born(1960, 5).Aml().Variant("NPM1").Build().
class PatientBuilder {
 public:
  PatientBuilder() {
    p_.id = 1;
    p_.pseudonym = "P-0001";
    p_.site = "IT-FO-01";
    p_.sex = "female";
    p_.birth_year = 1960;
    p_.birth_month = 6;
    p_.registered_on = D("2024-01-10");
  }
  PatientBuilder& Born(int year, int month) {
    p_.birth_year = year;
    p_.birth_month = month;
    return *this;
  }
  PatientBuilder& Diagnosis(std::string disease = "aml", std::string status = "first_relapse",
                            const char* date = "2023-01-05") {
    stream::Diagnosis d;
    d.disease = std::move(disease);
    d.status_at_registration = std::move(status);
    d.origin = "de_novo";
    d.diagnosis_date = D(date);
    p_.diagnoses.push_back(d);
    return *this;
  }
  PatientBuilder& Karyotype(CodeSet codes, bool failed = false, const char* date = "2023-01-05") {
    stream::Karyotype k;
    k.sample_date = D(date);
    k.abnormalities = std::move(codes);
    k.failed = failed;
    p_.karyotypes.push_back(k);
    return *this;
  }
  PatientBuilder& Variant(std::string gene, std::string type = "other",
                          std::optional<double> vaf = std::nullopt,
                          const char* date = "2023-01-05") {
    stream::Variant v;
    v.gene = gene;
    v.variant_type = std::move(type);
    v.vaf = vaf;
    v.method = "ngs";
    v.sample_date = D(date);
    p_.variants.push_back(v);
    return Test(gene, "positive", date);
  }
  PatientBuilder& Test(std::string gene, std::string result, const char* date = "2023-01-05") {
    p_.gene_tests.push_back({std::move(gene), std::move(result), "ngs", D(date)});
    return *this;
  }
  PatientBuilder& Negative(std::initializer_list<const char*> genes) {
    for (const char* g : genes) Test(g, "negative");
    return *this;
  }
  PatientBuilder& Fusion(std::string fusion, const char* date = "2023-01-05") {
    p_.fusions.push_back({std::move(fusion), "pcr", D(date)});
    return *this;
  }
  PatientBuilder& Line(CodeSet agents, const char* start, std::optional<const char*> end,
                       std::string intensity = "intensive") {
    TreatmentLine l;
    l.line_number = static_cast<int>(p_.treatment_lines.size()) + 1;
    l.regimen = "regimen";
    l.agents = std::move(agents);
    l.intensity = std::move(intensity);
    l.start_date = D(start);
    if (end) l.end_date = D(*end);
    p_.treatment_lines.push_back(l);
    return *this;
  }
  PatientBuilder& Transplant(std::string donor, const char* date = "2023-06-01",
                             std::optional<std::string> manipulation = "unmanipulated",
                             CodeSet prophylaxis = {"cyclosporin_a", "methotrexate"}) {
    stream::Transplant t;
    t.transplant_date = D(date);
    t.donor_type = std::move(donor);
    t.stem_cell_source = "peripheral_blood";
    t.conditioning = "reduced_intensity";
    t.graft_manipulation = std::move(manipulation);
    t.gvhd_prophylaxis = std::move(prophylaxis);
    p_.transplants.push_back(t);
    return *this;
  }
  PatientBuilder& AcuteGvhd(int grade, const char* date = "2023-07-01") {
    p_.acute_gvhd.push_back({D(date), grade});
    return *this;
  }
  PatientBuilder& Ecog(int score, const char* date = "2024-01-05") {
    p_.performance.push_back({D(date), "ecog", score});
    return *this;
  }
  PatientBuilder& Response(ResponseAssessment a) {
    p_.responses.push_back(std::move(a));
    return *this;
  }
  PatientBuilder& Relapse(const char* date, std::string type = "haematological") {
    p_.relapses.push_back({D(date), std::move(type)});
    return *this;
  }
  PatientBuilder& Consent(CodeSet scope, const char* date = "2024-01-10",
                          std::optional<const char*> withdrawn = std::nullopt) {
    stream::Consent c;
    c.form_version = "2.1";
    c.consent_date = D(date);
    c.scope = std::move(scope);
    if (withdrawn) c.withdrawal_date = D(*withdrawn);
    p_.consents.push_back(c);
    return *this;
  }
  PatientBuilder& Death(const char* date) {
    p_.deaths.push_back({D(date), "leukaemia"});
    return *this;
  }
  PatientHistory& mutable_history() { return p_; }
  PatientHistory Build() const { return p_; }

 private:
  PatientHistory p_;
};

// A CR-grade assessment: blasts 2 %, no blood blasts, no EMD, full recovery.
inline ResponseAssessment CrAssessment(const char* date = "2024-01-02") {
  ResponseAssessment a;
  a.assessment_date = D(date);
  a.marrow_blasts = 2;
  a.blood_blasts = 0;
  a.extramedullary_disease = false;
  a.anc = 1.5;
  a.platelets = 150;
  a.marrow_cellularity = 40;
  return a;
}

}  // namespace stream::testing
