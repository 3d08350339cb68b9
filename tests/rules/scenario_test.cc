// Runs the readable criteria scenarios in tests/rules/scenarios/*.test: each case gives a
// patient in a few lines, a criterion, and after "----" the expected verdict, missing
// facts and (optionally) explanation. The format is described in
// tests/rules/scenarios/README.md.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rules/criteria.h"
#include "support/patient_builder.h"

namespace stream::rules {
namespace {

using ::stream::testing::D;

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::optional<Date> OptDate(const std::string& w) {
  if (w == "-") return std::nullopt;
  return D(w.c_str());
}

std::optional<double> OptNumber(const std::string& w) {
  if (w == "-") return std::nullopt;
  return std::stod(w);
}

// One patient line: "<record> <fields...>"; returns an error text or "".
std::string AddRecord(PatientHistory& p, const std::vector<std::string>& w) {
  const std::string& kind = w[0];
  auto need = [&](size_t n) { return w.size() >= n; };
  if (kind == "born" && need(2)) {
    p.birth_year = std::stoi(w[1].substr(0, 4));
    p.birth_month = std::stoi(w[1].substr(5, 2));
  } else if (kind == "sex" && need(2)) {
    p.sex = w[1];
  } else if (kind == "diagnosis" && need(4)) {
    Diagnosis d;
    d.disease = w[1];
    d.status_at_registration = w[2];
    d.diagnosis_date = D(w[3].c_str());
    d.origin = "de_novo";
    if (need(5)) d.lineage = w[4];
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
  } else if (kind == "line" && need(4)) {  // line START END|- AGENT...
    TreatmentLine l;
    l.line_number = static_cast<int>(p.treatment_lines.size()) + 1;
    l.start_date = D(w[1].c_str());
    l.end_date = OptDate(w[2]);
    l.agents.assign(w.begin() + 3, w.end());
    l.intensity = "intensive";
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
    p.transplants.push_back(t);
  } else if (kind == "acute_gvhd" && need(3)) {
    p.acute_gvhd.push_back({D(w[1].c_str()), std::stoi(w[2])});
  } else if (kind == "ecog" && need(3)) {
    p.performance.push_back({D(w[1].c_str()), "ecog", std::stoi(w[2])});
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
      else if (key == "entered")
        a.eln2022_category = value;
      else
        return "unknown response field " + key;
    }
    p.responses.push_back(a);
  } else if (kind == "relapse" && need(3)) {
    p.relapses.push_back({D(w[1].c_str()), w[2]});
  } else if (kind == "death" && need(2)) {
    p.deaths.push_back({D(w[1].c_str()), "leukaemia"});
  } else if (kind == "consent" && need(3)) {  // consent DATE SCOPE...
    Consent c;
    c.form_version = "1";
    c.consent_date = D(w[1].c_str());
    c.scope.assign(w.begin() + 2, w.end());
    p.consents.push_back(c);
  } else {
    return "cannot read patient line: " + kind;
  }
  return "";
}

struct Case {
  std::string file, name;
  int line = 0;
  PatientHistory patient;
  Date on = D("2024-02-01");
  Attestations attestations;
  std::string criterion;
  std::vector<std::string> expected;
};

std::vector<Case> ReadCases(const std::filesystem::path& path, std::string* error) {
  std::ifstream in(path);
  std::vector<Case> cases;
  std::string line, section;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string trimmed = line.substr(std::min(line.find_first_not_of(' '), line.size()));
    if (section != "criterion" && section != "expected" && (trimmed.empty() || trimmed[0] == '#')) {
      continue;
    }
    auto w = Words(trimmed);
    if (!w.empty() && w[0] == "case") {
      cases.emplace_back();
      cases.back().file = path.filename().string();
      cases.back().name = trimmed.substr(5);
      cases.back().line = number;
      cases.back().patient = stream::testing::PatientBuilder().Born(1960, 6).Build();
      section = "";
      continue;
    }
    if (cases.empty()) {
      *error = path.string() + ":" + std::to_string(number) + ": expected 'case <name>'";
      return {};
    }
    Case& c = cases.back();
    if (trimmed == "----") {
      section = "expected";
    } else if (section == "expected") {
      if (!trimmed.empty()) c.expected.push_back(trimmed);
    } else if (trimmed == "patient" || trimmed == "criterion") {
      section = trimmed;
    } else if (section == "criterion") {
      c.criterion += line + "\n";
    } else if (w[0] == "on" && w.size() == 2) {
      c.on = D(w[1].c_str());
    } else if (w[0] == "attest" && w.size() == 3) {
      c.attestations[w[1]] = w[2] == "true";
    } else if (section == "patient") {
      std::string e = AddRecord(c.patient, w);
      if (!e.empty()) {
        *error = path.string() + ":" + std::to_string(number) + ": " + e;
        return {};
      }
    } else {
      *error = path.string() + ":" + std::to_string(number) + ": unexpected line";
      return {};
    }
  }
  return cases;
}

TEST(CriteriaScenarioTest, AllScenarioFiles) {
  std::filesystem::path dir = std::filesystem::path(STREAM_SOURCE_DIR) / "tests/rules/scenarios";
  int cases_run = 0;
  Evaluator evaluator;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".test") continue;
    std::string error;
    auto cases = ReadCases(entry.path(), &error);
    ASSERT_TRUE(error.empty()) << error;
    for (const auto& c : cases) {
      SCOPED_TRACE(c.file + ":" + std::to_string(c.line) + " (" + c.name + ")");
      auto compiled = Compile(c.criterion);
      std::vector<std::string> actual;
      if (!compiled.ok()) {
        actual.push_back("error " + compiled.error().ToString());
      } else {
        auto e = evaluator.Evaluate(*compiled, c.patient, c.on, c.attestations);
        ASSERT_TRUE(e.ok()) << e.error().ToString();
        actual.push_back(std::string(ToString(e->verdict)));
        for (const auto& m : e->missing) actual.push_back("missing: " + m);
        bool wants_explanation = false;
        for (const auto& x : c.expected) wants_explanation |= x.rfind("explain: ", 0) == 0;
        if (wants_explanation) actual.push_back("explain: " + e->explanation);
      }
      EXPECT_EQ(actual, c.expected);
      ++cases_run;
    }
  }
  EXPECT_GT(cases_run, 10);
}

}  // namespace
}  // namespace stream::rules
