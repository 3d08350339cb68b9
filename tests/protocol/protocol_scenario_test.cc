// Runs the protocol scenarios beside the shipped protocols: protocols/<file>.scenarios
// holds representative patients for protocols/<file>.yaml, each with the expected verdict
// and arm. The format is described in docs/protocol-files.md ("Scenario files"); the
// patient lines are those of tests/rules/scenarios/README.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocol/protocol.h"
#include "rules/scenario_patient.h"
#include "support/patient_builder.h"

namespace stream::protocol {
namespace {

using ::stream::testing::AddRecord;
using ::stream::testing::D;
using ::stream::testing::Words;

struct Case {
  std::string name;
  int line = 0;
  PatientHistory patient;
  Date on = D("2024-02-01");
  rules::Attestations attestations;
  std::vector<std::string> expected;
};

std::vector<Case> ReadCases(const std::filesystem::path& path, std::string* error) {
  std::ifstream in(path);
  std::vector<Case> cases;
  std::string line;
  bool patient = false, expected = false;
  int number = 0;
  auto fail = [&](const std::string& message) {
    *error = path.string() + ":" + std::to_string(number) + ": " + message;
    return std::vector<Case>{};
  };
  while (std::getline(in, line)) {
    ++number;
    std::string trimmed = line.substr(std::min(line.find_first_not_of(' '), line.size()));
    if (trimmed.empty() || trimmed[0] == '#') continue;
    auto w = Words(trimmed);
    if (w[0] == "case") {
      cases.emplace_back();
      cases.back().name = trimmed.substr(5);
      cases.back().line = number;
      cases.back().patient = stream::testing::PatientBuilder().Born(1960, 6).Build();
      patient = expected = false;
      continue;
    }
    if (cases.empty()) return fail("expected 'case <name>'");
    Case& c = cases.back();
    if (trimmed == "----") {
      expected = true;
    } else if (expected) {
      c.expected.push_back(trimmed);
    } else if (trimmed == "patient") {
      patient = true;
    } else if (w[0] == "on" && w.size() == 2) {
      c.on = D(w[1].c_str());
    } else if (w[0] == "attest" && w.size() == 3) {
      c.attestations[w[1]] = w[2] == "true";
    } else if (patient) {
      std::string e = AddRecord(c.patient, w);
      if (!e.empty()) return fail(e);
    } else {
      return fail("unexpected line");
    }
  }
  return cases;
}

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

// The outcome as scenario lines: the verdict (with the criteria that fail or are unknown)
// and, for a patient who is not ineligible, the assignment.
std::vector<std::string> Outcome(const Protocol& p, const Case& c, rules::Evaluator& evaluator) {
  std::vector<std::string> out;
  auto s = Screen(p, c.patient, c.on, c.attestations, evaluator);
  if (!s.ok()) return {"error " + s.error().ToString()};
  std::vector<std::string> failing, unknown;
  for (const auto& o : s->criteria) {
    if (o.qualifies == rules::Verdict::kNotMet) failing.push_back(o.criterion->id);
    if (o.qualifies == rules::Verdict::kUnknown) unknown.push_back(o.criterion->id);
  }
  if (s->eligible == rules::Verdict::kMet) {
    out.push_back("eligible");
  } else if (s->eligible == rules::Verdict::kNotMet) {
    out.push_back("not eligible: " + Join(failing, ", "));
    return out;
  } else {
    out.push_back("unknown: " + Join(unknown, ", "));
  }
  auto a = Assign(p, c.patient, c.on, c.attestations, evaluator);
  if (!a.ok()) return {"error " + a.error().ToString()};
  if (a->assignment != nullptr && !a->assignment->arm.empty()) {
    out.push_back("arm: " + a->assignment->arm);
  } else if (a->assignment != nullptr) {
    out.push_back("randomise: " + Join(a->assignment->randomise, ", "));
  } else if (!a->undecided.empty()) {
    out.push_back("waits: " + Join(a->missing, "; "));
  } else {
    out.push_back("no arm");
  }
  return out;
}

TEST(ProtocolScenarioTest, EveryShippedProtocolHasScenariosAndTheyHold) {
  std::filesystem::path dir = std::filesystem::path(STREAM_SOURCE_DIR) / "protocols";
  int protocols = 0;
  rules::Evaluator evaluator;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++protocols;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto p = LoadProtocol(text.str(), entry.path().string());
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    std::filesystem::path scenarios = entry.path();
    scenarios.replace_extension(".scenarios");
    if (!std::filesystem::exists(scenarios)) {
      ADD_FAILURE() << scenarios << " is missing";
      continue;
    }
    std::string error;
    auto cases = ReadCases(scenarios, &error);
    ASSERT_TRUE(error.empty()) << error;
    EXPECT_GE(cases.size(), 3u) << scenarios;
    for (const auto& c : cases) {
      SCOPED_TRACE(scenarios.filename().string() + ":" + std::to_string(c.line) + " (" + c.name +
                   ")");
      EXPECT_EQ(Outcome(*p, c, evaluator), c.expected);
    }
  }
  EXPECT_EQ(protocols, 5);
}

}  // namespace
}  // namespace stream::protocol
