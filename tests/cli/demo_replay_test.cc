// The demo registry's trials: patients are enrolled in the shipped protocols through the
// real services on the day they became eligible, every randomised allocation is the
// concealed list's entry at its position, nobody is enrolled after death or after
// today, the audit chain verifies, and the same seed gives the same enrolments.
#include "cli/demo_replay.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "service/audit_trail.h"
#include "service/enrolment_service.h"
#include "support/registry_fixture.h"

namespace stream::cli {
namespace {

using testing::RegistryFixture;

const service::Actor kAdmin{"demo.test", "administrator", "", "req-demo"};
const std::string kKey(32, 'k');

struct Demo {
  explicit Demo(service::ProtocolCatalogue c) : catalogue(std::move(c)) {}
  RegistryFixture fixture;
  service::ProtocolCatalogue catalogue;
  DemoReplayReport report;
};

std::unique_ptr<Demo> Replay(int patients, uint64_t seed) {
  auto catalogue = service::ProtocolCatalogue::Load(std::string(STREAM_SOURCE_DIR) + "/protocols");
  if (!catalogue.ok()) ADD_FAILURE() << catalogue.error().ToString();
  auto demo = std::make_unique<Demo>(std::move(*catalogue));
  const auto sites = synthetic::DemoSites(6);
  const Timestamp now = demo->fixture.clock().Now();
  SeededRandom random(seed);
  Progress progress("test", patients);
  auto report = ReplayDemoRegistry(
      {demo->fixture.store(), now, &demo->catalogue, kKey, seed, kAdmin}, sites, patients,
      [&](int i) { return synthetic::GeneratePatient(i, sites, now.date(), random); }, progress);
  EXPECT_TRUE(report.ok()) << report.error().ToString();
  if (report.ok()) demo->report = *report;
  return demo;
}

using Allocation = std::tuple<std::string, std::string, std::string, std::string>;

std::vector<Allocation> Allocations(Demo& demo) {
  service::EnrolmentService enrolment(demo.fixture.store(), demo.fixture.clock(), kKey);
  std::vector<Allocation> out;
  for (const auto& entry : demo.catalogue.protocols()) {
    auto list =
        enrolment.ListAllocations(kAdmin, entry->protocol, [](const std::string& p) { return p; });
    EXPECT_TRUE(list.ok());
    for (const auto& a : *list) {
      out.emplace_back(entry->protocol.id, a.patient, a.enrolment.arm,
                       a.enrolment.enrolled_at.ToString());
    }
  }
  return out;
}

TEST(DemoReplayTest, EnrolsPatientsInTheShippedTrialsThroughTheServices) {
  auto demo = Replay(500, 20261121);
  const auto& report = demo->report;
  int protocols_with_enrolments = 0;
  int64_t total = 0;
  for (const auto& [protocol, n] : report.enrolled) {
    protocols_with_enrolments += n > 0;
    total += n;
  }
  EXPECT_GE(protocols_with_enrolments, 3);
  EXPECT_GE(total, 100) << "dozens to a few hundred enrolments";

  service::EnrolmentService enrolment(demo->fixture.store(), demo->fixture.clock(), kKey);
  const Timestamp now = demo->fixture.clock().Now();
  std::set<std::string> months;
  int64_t randomised = 0;
  for (const auto& entry : demo->catalogue.protocols()) {
    const auto& protocol = entry->protocol;
    auto list = enrolment.ListAllocations(kAdmin, protocol, [](const std::string& p) { return p; });
    ASSERT_TRUE(list.ok());
    const auto it = report.enrolled.find(protocol.id);
    EXPECT_EQ(static_cast<int64_t>(list->size()), it == report.enrolled.end() ? 0 : it->second)
        << protocol.id;
    std::map<std::string, service::EnrolmentService::RegeneratedList> lists;
    for (const auto& a : *list) {
      const Enrolment& e = a.enrolment;
      EXPECT_NE(protocol.FindArm(e.arm), nullptr) << protocol.id << " " << e.arm;
      EXPECT_LE(e.enrolled_at, now);
      if (protocol.accrual) {  // only while the trial recruits
        EXPECT_GE(e.enrolled_at.date(), protocol.accrual->start) << protocol.id;
        EXPECT_LE(e.enrolled_at.date(), protocol.accrual->end) << protocol.id;
      }
      months.insert(e.enrolled_at.ToString().substr(0, 7));
      // Alive on the day: nothing after death is ever enrolled.
      auto history = demo->fixture.registry().GetHistory(kAdmin, e.patient_id);
      ASSERT_TRUE(history.ok());
      for (const auto& d : history->deaths) EXPECT_GE(d.death_date, e.enrolled_at.date());
      if (e.method != "blocks") continue;
      ++randomised;
      if (!lists.count(e.stratum)) {
        auto regenerated =
            enrolment.RegenerateList(kAdmin, protocol, e.stratum, service::kListLength);
        ASSERT_TRUE(regenerated.ok()) << regenerated.error().ToString();
        EXPECT_EQ(regenerated->hash, regenerated->recorded_hash) << protocol.id << " " << e.stratum;
        lists.emplace(e.stratum, std::move(*regenerated));
      }
      const auto& entries = lists.at(e.stratum).entries;
      ASSERT_LE(e.sequence_position, static_cast<int64_t>(entries.size()));
      EXPECT_EQ(entries[static_cast<size_t>(e.sequence_position - 1)].arm, e.arm)
          << protocol.id << " " << e.stratum << " #" << e.sequence_position;
    }
  }
  EXPECT_GE(randomised, 30);  // randomised trials enrol only within their accrual windows
  EXPECT_GE(months.size(), 24u) << "accrual spread over the past years";

  auto verification = service::VerifyAuditTrail(demo->fixture.store());
  ASSERT_TRUE(verification.ok());
  EXPECT_TRUE(verification->ok()) << verification->problems.front().what;
}

TEST(DemoReplayTest, TheSameSeedGivesTheSameEnrolments) {
  auto a = Replay(200, 7);
  auto b = Replay(200, 7);
  const auto first = Allocations(*a);
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, Allocations(*b));
  EXPECT_NE(first, Allocations(*Replay(200, 8)));
}

}  // namespace
}  // namespace stream::cli
