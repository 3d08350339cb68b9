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
  bool version_named = false;  // `site active VERSION`: the outcome starts with the version
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

// "site not_activated | active [VERSION] | suspended DATE | closed DATE".
std::string ReadSite(const std::vector<std::string>& w, Case& c) {
  const std::string state = w.size() > 1 ? w[1] : "";
  if (state == "not_activated" && w.size() == 2) {
    c.site = SiteStanding{};
  } else if (state == "active" && (w.size() == 2 || w.size() == 3)) {
    c.site.state = SiteState::kActive;
    if (w.size() == 3) c.site.version = w[2];
    c.version_named = w.size() == 3;
  } else if ((state == "suspended" || state == "closed") && w.size() == 3) {
    c.site.state = state == "suspended" ? SiteState::kSuspended : SiteState::kClosed;
    c.site.since = D(w[2].c_str());
  } else {
    return "expected: site not_activated | active [VERSION] | suspended DATE | closed DATE";
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

// The outcome as scenario lines: the version in force at the site when the case names
// one ("version: <v>", or "refused: version: <reason>" when it is not loaded), each gate
// that refuses ("refused: <gate>: <reason>"), the verdict (with the criteria that fail or
// are unknown) and, for a patient who is not ineligible, the assignment.
std::vector<std::string> Outcome(const Protocol& current, const FindVersion& find, const Case& c,
                                 rules::Evaluator& evaluator) {
  std::vector<std::string> out;
  PatientHistory patient = c.patient;
  patient.site = "XX-01";
  const VersionInForce version = InForceAt(current, c.site, patient.site, find);
  if (!version.protocol) return {"refused: version: " + version.refusal};
  const Protocol& p = *version.protocol;
  if (c.version_named) out.push_back("version: " + p.version);
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

Protocol LoadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto p = LoadProtocol(text.str(), path.string());
  EXPECT_TRUE(p.ok()) << p.error().ToString();
  return p.ok() ? std::move(*p) : Protocol{};
}

// Every case of one scenario file against `current` and its other versions.
void ExpectScenariosHold(const std::filesystem::path& scenarios, const Protocol& current,
                         const FindVersion& find) {
  std::string error;
  auto cases = ReadCases(scenarios, &error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_GE(cases.size(), 3u) << scenarios;
  rules::Evaluator evaluator;
  for (const auto& c : cases) {
    SCOPED_TRACE(scenarios.filename().string() + ":" + std::to_string(c.line) + " (" + c.name +
                 ")");
    EXPECT_EQ(Outcome(current, find, c, evaluator), c.expected);
  }
}

TEST(ProtocolScenarioTest, EveryShippedProtocolHasScenariosAndTheyHold) {
  std::filesystem::path dir = std::filesystem::path(STREAM_SOURCE_DIR) / "protocols";
  int protocols = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++protocols;
    const Protocol p = LoadFile(entry.path());
    std::filesystem::path scenarios = entry.path();
    scenarios.replace_extension(".scenarios");
    if (!std::filesystem::exists(scenarios)) {
      ADD_FAILURE() << scenarios << " is missing";
      continue;
    }
    ExpectScenariosHold(scenarios, p, nullptr);
  }
  EXPECT_EQ(protocols, 5);
}

// tests/protocol/versions: one protocol in two versions (an amendment); each case's site
// runs the version its `site active VERSION` line names, the latest being the current.
TEST(ProtocolScenarioTest, EachSiteScreensUnderTheVersionItApproved) {
  const std::filesystem::path dir =
      std::filesystem::path(STREAM_SOURCE_DIR) / "tests" / "protocol" / "versions";
  const Protocol v1 = LoadFile(dir / "salvage-trial-1.0.yaml");
  const Protocol v2 = LoadFile(dir / "salvage-trial-2.0.yaml");
  ASSERT_EQ(v1.version, "1.0");
  ASSERT_EQ(v2.version, "2.0");
  ASSERT_TRUE(v2.operations.amendment.has_value());
  const FindVersion find = [&](const std::string& v) -> const Protocol* {
    return v == "1.0" ? &v1 : v == "2.0" ? &v2 : nullptr;
  };
  ExpectScenariosHold(dir / "salvage-trial.scenarios", v2, find);
}

}  // namespace
}  // namespace stream::protocol
