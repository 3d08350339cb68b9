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
#include "rules/scenario_patient.h"
#include "support/patient_builder.h"

namespace stream::rules {
namespace {

using ::stream::testing::D;

using ::stream::testing::AddRecord;
using ::stream::testing::Words;

struct Case {
  std::string file, name;
  int line = 0;
  PatientHistory patient;
  Date on = D("2024-02-01");
  Attestations attestations;
  EvaluationOptions options;
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
    } else if (w[0] == "evidence_within_days" && w.size() == 2) {
      c.options.evidence_within_days = std::stoi(w[1]);
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
        auto e = evaluator.Evaluate(*compiled, c.patient, c.on, c.attestations, c.options);
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
