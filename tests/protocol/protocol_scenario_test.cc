// Runs the protocol scenarios beside the shipped protocols: protocols/<file>.scenarios
// holds representative patients for protocols/<file>.yaml, each with the expected verdict
// and arm. The format is described in docs/protocol-files.md ("Scenario files"); the
// patient lines are those of tests/rules/scenarios/README.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocol/enrolment_gates.h"
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
  // The gates (issue #23): the patient's other enrolments, and the protocol's standing at
  // the patient's site (active unless a `site` line says otherwise).
  std::vector<Enrolment> enrolments;
  SiteStanding site{SiteState::kActive, D("2020-01-01"), "", "", ""};
  std::vector<std::string> expected;
};

// "enrolled PROTOCOL DATE [off DATE REASON]": an enrolment in another protocol.
std::string ReadEnrolment(const std::vector<std::string>& w, Case& c) {
  if (w.size() != 3 && w.size() != 6) return "expected: enrolled PROTOCOL DATE [off DATE REASON]";
  Enrolment e;
  e.id = static_cast<int64_t>(c.enrolments.size()) + 1;
  e.protocol_id = w[1];
  e.enrolled_at = Timestamp::FromMillis(D(w[2].c_str()).days() * 86'400'000);
  if (w.size() == 6) {
    if (w[3] != "off") return "expected 'off' after the enrolment date";
    e.off_study_date = D(w[4].c_str());
    e.off_study_reason = w[5];
  }
  c.enrolments.push_back(std::move(e));
  return "";
}

// "site not_activated | active | suspended DATE | closed DATE".
std::string ReadSite(const std::vector<std::string>& w, Case& c) {
  const std::string state = w.size() > 1 ? w[1] : "";
  if (state == "not_activated" && w.size() == 2) {
    c.site = SiteStanding{};
  } else if (state == "active" && w.size() == 2) {
    c.site.state = SiteState::kActive;
  } else if ((state == "suspended" || state == "closed") && w.size() == 3) {
    c.site.state = state == "suspended" ? SiteState::kSuspended : SiteState::kClosed;
    c.site.since = D(w[2].c_str());
  } else {
    return "expected: site not_activated | active | suspended DATE | closed DATE";
  }
  return "";
}

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
    } else if (w[0] == "enrolled") {
      patient = false;
      std::string e = ReadEnrolment(w, c);
      if (!e.empty()) return fail(e);
    } else if (w[0] == "site") {
      patient = false;
      std::string e = ReadSite(w, c);
      if (!e.empty()) return fail(e);
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

// The outcome as scenario lines: each gate that refuses ("refused: <gate>: <reason>"),
// the verdict (with the criteria that fail or are unknown) and, for a patient who is not
// ineligible, the assignment.
std::vector<std::string> Outcome(const Protocol& p, const Case& c, rules::Evaluator& evaluator) {
  std::vector<std::string> out;
  PatientHistory patient = c.patient;
  patient.site = "XX-01";
  for (const auto& g : CheckGates(p, {patient, c.on, c.enrolments, c.site}))
    out.push_back("refused: " + std::string(ToString(g.gate)) + ": " + g.reason);
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
