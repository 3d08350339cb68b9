#include "core/patient_history.h"

#include <algorithm>

#include "core/field_reader.h"

namespace stream {
namespace {

// Each branch reads its kind through a FieldReader, so every field name below is checked
// against the data model while compiling.
void Add(PatientHistory& h, const KindSpec& kind, const Record& rec) {
  const std::string_view k = kind.name;
  if (k == "diagnosis") {
    const FieldReader<"diagnosis"> r(rec);
    h.diagnoses.push_back({r.Text("disease"), r.OptText("who_2022_subtype"),
                           r.OptText("icc_subtype"), r.OptText("lineage"), r.Day("diagnosis_date"),
                           r.Text("origin"), r.Text("status_at_registration"), rec.id});
  } else if (k == "karyotype") {
    const FieldReader<"karyotype"> r(rec);
    h.karyotypes.push_back({r.Day("sample_date"), r.OptText("iscn"), r.Codes("abnormalities"),
                            r.OptBool("failed").value_or(false)});
  } else if (k == "variant") {
    const FieldReader<"variant"> r(rec);
    h.variants.push_back({r.Text("gene"), r.OptText("hgvs"), r.Text("variant_type"), r.Num("vaf"),
                          r.Text("method"), r.Day("sample_date")});
  } else if (k == "fusion") {
    const FieldReader<"fusion"> r(rec);
    h.fusions.push_back({r.Text("fusion"), r.Text("method"), r.Day("sample_date")});
  } else if (k == "gene_test") {
    const FieldReader<"gene_test"> r(rec);
    h.gene_tests.push_back(
        {r.Text("gene"), r.Text("result"), r.Text("method"), r.Day("sample_date")});
  } else if (k == "treatment_line") {
    const FieldReader<"treatment_line"> r(rec);
    h.treatment_lines.push_back({r.Int("line_number"), r.Text("regimen"), r.Codes("agents"),
                                 r.Text("intensity"), r.Day("start_date"), r.OptDay("end_date"),
                                 r.OptText("reason_stopped"), rec.id});
  } else if (k == "transplant") {
    const FieldReader<"transplant"> r(rec);
    h.transplants.push_back({r.Day("transplant_date"), r.Text("donor_type"),
                             r.Text("stem_cell_source"), r.Text("conditioning"),
                             r.OptText("graft_manipulation"), r.Codes("gvhd_prophylaxis"), rec.id});
  } else if (k == "dli") {
    const FieldReader<"dli"> r(rec);
    h.dlis.push_back({r.Day("infusion_date"), r.Num("cd3_dose"), r.Text("indication")});
  } else if (k == "response") {
    const FieldReader<"response"> r(rec);
    h.responses.push_back({r.Day("assessment_date"), r.Num("marrow_blasts"), r.Num("blood_blasts"),
                           r.Num("anc"), r.Num("platelets"), r.OptBool("extramedullary_disease"),
                           r.Num("marrow_cellularity"), r.OptText("mrd_method"), r.Num("mrd_value"),
                           r.Num("mrd_sensitivity"), r.OptText("mrd_status"),
                           r.OptText("eln2022_category"), r.OptText("cns_status"), rec.id});
  } else if (k == "relapse") {
    const FieldReader<"relapse"> r(rec);
    h.relapses.push_back({r.Day("relapse_date"), r.Text("relapse_type"), r.Codes("sites"), rec.id});
  } else if (k == "death") {
    const FieldReader<"death"> r(rec);
    h.deaths.push_back({r.Day("death_date"), r.Text("cause"), rec.id});
  } else if (k == "acute_gvhd") {
    const FieldReader<"acute_gvhd"> r(rec);
    h.acute_gvhd.push_back({r.Day("onset_date"), r.Int("grade")});
  } else if (k == "chronic_gvhd") {
    const FieldReader<"chronic_gvhd"> r(rec);
    h.chronic_gvhd.push_back({r.Day("onset_date"), r.Text("severity")});
  } else if (k == "adverse_event") {
    const FieldReader<"adverse_event"> r(rec);
    h.adverse_events.push_back({r.Text("ctcae_term"), r.OptText("meddra_code"), r.Int("grade"),
                                r.Day("onset_date"), r.OptDay("resolution_date"),
                                r.OptBool("serious").value_or(false), r.OptText("attribution")});
  } else if (k == "performance_status") {
    const FieldReader<"performance_status"> r(rec);
    h.performance.push_back({r.Day("assessment_date"), r.Text("scale"), r.Int("score")});
  } else if (k == "follow_up") {
    const FieldReader<"follow_up"> r(rec);
    h.follow_ups.push_back({r.Day("contact_date"), r.Text("vital_status"), rec.id});
  } else if (k == "consent") {
    h.consents.push_back(ConsentOf(rec));
  }
}

template <typename T, typename Key>
void SortBy(std::vector<T>& v, Key key) {
  std::stable_sort(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

}  // namespace

Consent ConsentOf(const Record& record) {
  const FieldReader<"consent"> r(record);
  return {r.Text("form_version"), r.Day("consent_date"), r.Codes("scope"),
          r.OptDay("withdrawal_date")};
}

PatientHistory BuildHistory(const Record& patient, const std::vector<KindRecord>& records) {
  const FieldReader<"patient"> p(patient);
  PatientHistory h;
  h.id = patient.id;
  h.pseudonym = p.Text("pseudonym");
  h.site = p.Text("site");
  h.sex = p.Text("sex");
  h.birth_year = p.Int("birth_year");
  h.birth_month = p.Int("birth_month");
  h.registered_on = p.Day("registered_on");
  for (const auto& kr : records) {
    if (!kr.record.deleted) Add(h, *kr.kind, kr.record);
  }
  SortBy(h.diagnoses, [](const auto& x) { return x.diagnosis_date; });
  SortBy(h.karyotypes, [](const auto& x) { return x.sample_date; });
  SortBy(h.variants, [](const auto& x) { return x.sample_date; });
  SortBy(h.fusions, [](const auto& x) { return x.sample_date; });
  SortBy(h.gene_tests, [](const auto& x) { return x.sample_date; });
  SortBy(h.treatment_lines, [](const auto& x) { return x.start_date; });
  SortBy(h.transplants, [](const auto& x) { return x.transplant_date; });
  SortBy(h.dlis, [](const auto& x) { return x.infusion_date; });
  SortBy(h.responses, [](const auto& x) { return x.assessment_date; });
  SortBy(h.relapses, [](const auto& x) { return x.relapse_date; });
  SortBy(h.deaths, [](const auto& x) { return x.death_date; });
  SortBy(h.acute_gvhd, [](const auto& x) { return x.onset_date; });
  SortBy(h.chronic_gvhd, [](const auto& x) { return x.onset_date; });
  SortBy(h.adverse_events, [](const auto& x) { return x.onset_date; });
  SortBy(h.performance, [](const auto& x) { return x.assessment_date; });
  SortBy(h.follow_ups, [](const auto& x) { return x.contact_date; });
  SortBy(h.consents, [](const auto& x) { return x.consent_date; });
  return h;
}

}  // namespace stream
