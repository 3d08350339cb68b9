// Runs tests/clinical/scenarios/*.course: representative patients with the disease state
// the disease course must give on a date (clinical/disease_course.h). Format:
//
//   case <name>                 one case; the name cites the rule it checks
//   patient                     then the patient lines of tests/rules/scenarios/README.md
//   on YYYY-MM-DD               the date of the state (default 2024-02-01)
//   ----                        then the expected lines, all of them, in this order:
//   state: <code> since <date>  or "state: none"
//   evidence: <kind> <id>, ...  only when the state is conflicting
//   mrd: <status>               the current remission's latest MRD result, when any
//   mrd relapse: <date>         an MRD relapse not cleared since
//   dead: <date>                a death on or before the date
//   lost to follow-up
//   rules: all_ibfm             when the patient's rules are those of childhood ALL
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "clinical/disease_course.h"
#include "rules/scenario_patient.h"
#include "support/patient_builder.h"

namespace stream::clinical {
namespace {

using ::stream::testing::AddRecord;
using ::stream::testing::D;
using ::stream::testing::Words;

struct Case {
  std::string name;
  int line = 0;
  PatientHistory patient;
  Date on = D("2024-02-01");
  std::vector<std::string> expected;
};

std::vector<Case> ReadCases(const std::filesystem::path& path, std::string* error) {
  std::ifstream in(path);
  std::vector<Case> cases;
  std::string line;
  bool expected = false;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string trimmed = line.substr(std::min(line.find_first_not_of(' '), line.size()));
    if (trimmed.empty() || trimmed[0] == '#') continue;
    const auto w = Words(trimmed);
    if (w[0] == "case") {
      cases.emplace_back();
      cases.back().name = trimmed.substr(5);
      cases.back().line = number;
      cases.back().patient = stream::testing::PatientBuilder().Born(1960, 6).Build();
      expected = false;
      continue;
    }
    if (cases.empty()) {
      *error = path.string() + ":" + std::to_string(number) + ": expected 'case <name>'";
      return {};
    }
    Case& c = cases.back();
    if (trimmed == "----") {
      expected = true;
    } else if (expected) {
      c.expected.push_back(trimmed);
    } else if (trimmed == "patient") {
      continue;
    } else if (w[0] == "on" && w.size() == 2) {
      c.on = D(w[1].c_str());
    } else if (std::string e = AddRecord(c.patient, w); !e.empty()) {
      *error = path.string() + ":" + std::to_string(number) + ": " + e;
      return {};
    }
  }
  return cases;
}

std::vector<std::string> Outcome(const Case& c) {
  const DiseaseSnapshot s = DiseaseStateAsOf(c.patient, c.on);
  std::vector<std::string> out;
  out.push_back(s.state
                    ? "state: " + std::string(ToCode(*s.state)) + " since " + s.since->ToString()
                    : "state: none");
  if (s.state == DiseaseState::kConflicting) {
    std::string evidence;
    for (const auto& e : s.evidence)
      evidence += (evidence.empty() ? "" : ", ") + e.kind + " " + std::to_string(e.record_id);
    out.push_back("evidence: " + evidence);
  }
  if (!s.mrd_status.empty()) out.push_back("mrd: " + s.mrd_status);
  if (s.mrd_relapse) out.push_back("mrd relapse: " + s.mrd_relapse_date->ToString());
  if (s.death_date) out.push_back("dead: " + s.death_date->ToString());
  if (s.lost_to_follow_up) out.push_back("lost to follow-up");
  if (s.rules == CourseRules::kAllIbfm) out.push_back("rules: all_ibfm");
  return out;
}

TEST(DiseaseCourseScenarioTest, EveryCaseGivesTheExpectedState) {
  const std::filesystem::path dir =
      std::filesystem::path(STREAM_SOURCE_DIR) / "tests" / "clinical" / "scenarios";
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".course") continue;
    std::string error;
    const auto read = ReadCases(entry.path(), &error);
    ASSERT_TRUE(error.empty()) << error;
    for (const auto& c : read) {
      ++cases;
      SCOPED_TRACE(entry.path().filename().string() + ":" + std::to_string(c.line) + " (" + c.name +
                   ")");
      EXPECT_EQ(Outcome(c), c.expected);
    }
  }
  EXPECT_GE(cases, 20);
}

}  // namespace
}  // namespace stream::clinical
