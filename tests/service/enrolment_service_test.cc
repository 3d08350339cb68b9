// Enrolment and allocation on a real SQLite file (the concurrent cases on PostgreSQL too):
// eligibility and consent re-checked, rule-assigned arms with caps, permuted blocks and
// minimisation, idempotent replays, and the randomisation-integrity invariants under 16 concurrent
// clients.
#include "service/enrolment_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "service/audit_trail.h"
#include "support/registry_fixture.h"
#include "support/trial_fixture.h"

namespace stream::service {
namespace {

using testing::kSecret;
using testing::Register;
using testing::RegistryFixture;
using testing::Request;
using testing::TestProtocol;

TEST(EnrolmentServiceTest, RefusesWithoutConsentOrWithAnUnmetOrUnknownCriterionNamingIt) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  const auto protocol = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  testing::ActivateSites(f);
  Record no_consent = f.AddAmlPatient("NC-1", RegistryFixture::kSiteA);
  auto out = service.Enrol(RegistryFixture::Central(), protocol, Request(no_consent.id, "k1"));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->status, EnrolmentStatus::kRefused);
  ASSERT_FALSE(out->reasons.empty());
  EXPECT_EQ(out->reasons[0], "no consent to trial participation recorded");

  const auto ids = Register(f, 1, "U-");
  auto unknown = service.Enrol(RegistryFixture::Central(), protocol,
                               EnrolmentRequest{"test-trial", ids[0], "k2", {}});
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, EnrolmentStatus::kRefused);
  ASSERT_EQ(unknown->reasons.size(), 1u);
  EXPECT_NE(unknown->reasons[0].find("pregnancy (Pregnancy): unknown"), std::string::npos)
      << unknown->reasons[0];
  EXPECT_NE(unknown->reasons[0].find("not_pregnant"), std::string::npos) << unknown->reasons[0];
  auto tx = f.store().Begin(TransactionMode::kRead);
  EXPECT_TRUE((*(*tx)->ListEnrolments("test-trial")).empty());
}

TEST(EnrolmentServiceTest, ARuleAssignedArmClosesWhenFull) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  const auto protocol = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  const auto ids = Register(f, 4, "ALL-", "all");
  for (int i = 0; i < 3; ++i) {
    auto out = service.Enrol(RegistryFixture::Central(), protocol,
                             Request(ids[i], "p" + std::to_string(i)));
    ASSERT_TRUE(out.ok());
    ASSERT_EQ(out->status, EnrolmentStatus::kEnrolled);
    EXPECT_EQ(out->enrolment.arm, "pilot");
    EXPECT_EQ(out->enrolment.method, "rule");
  }
  auto full = service.Enrol(RegistryFixture::Central(), protocol, Request(ids[3], "p3"));
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->status, EnrolmentStatus::kRefused);
  EXPECT_EQ(full->reasons, (std::vector<std::string>{"arm 'pilot' is full (3 patients): closed"}));
}

TEST(EnrolmentServiceTest, AForeignPatientIsNotFoundAndAReplayReturnsTheOriginal) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  const auto protocol = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  const auto ids = Register(f, 2, "R-");  // R-0 at site B, R-1 at site A
  auto foreign = service.Enrol(RegistryFixture::AtSite(RegistryFixture::kSiteA), protocol,
                               Request(ids[0], "f"));
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  auto first = service.Enrol(RegistryFixture::Central(), protocol, Request(ids[1], "same"));
  ASSERT_EQ(first->status, EnrolmentStatus::kEnrolled);
  EXPECT_EQ(first->enrolment.method, "blocks");
  EXPECT_EQ(first->enrolment.stratum, "age_group=>=60");
  EXPECT_EQ(first->enrolment.sequence_position, 1);
  auto replay = service.Enrol(RegistryFixture::Central(), protocol, Request(ids[1], "same"));
  ASSERT_EQ(replay->status, EnrolmentStatus::kReplayed);
  EXPECT_EQ(replay->enrolment.id, first->enrolment.id);
  EXPECT_EQ(replay->enrolment.arm, first->enrolment.arm);
  auto twice = service.Enrol(RegistryFixture::Central(), protocol, Request(ids[1], "other-key"));
  EXPECT_EQ(twice->status, EnrolmentStatus::kRefused);
  EXPECT_NE(twice->reasons[0].find("already enrolled"), std::string::npos);
  auto misused = service.Enrol(RegistryFixture::Central(), protocol, Request(ids[0], "same"));
  EXPECT_EQ(misused.error().code, ErrorCode::kConflict);
}

TEST(EnrolmentServiceTest, TheListCanBeRegeneratedFromTheSecretAndMatchesItsRecordedHash) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  const auto protocol = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  const auto ids = Register(f, 20, "L-");
  std::vector<std::string> arms;
  for (int i = 1; i < 20; i += 2) {  // the over-60s: one stratum
    auto out = service.Enrol(RegistryFixture::Central(), protocol,
                             Request(ids[i], "l" + std::to_string(i)));
    ASSERT_EQ(out->status, EnrolmentStatus::kEnrolled);
    arms.push_back(out->enrolment.arm);
  }
  Actor admin{"rand.admin", "randomisation_admin", "", "r"};
  auto list = service.RegenerateList(admin, protocol, "age_group=>=60", 10);
  ASSERT_TRUE(list.ok()) << list.error().ToString();
  EXPECT_EQ(list->hash, list->recorded_hash);
  for (size_t i = 0; i < arms.size(); ++i)
    EXPECT_EQ(list->entries[i].arm, arms[i]) << "position " << i + 1;
  EXPECT_EQ(service
                .RegenerateList(RegistryFixture::AtSite(RegistryFixture::kSiteA), protocol,
                                "age_group=>=60", 10)
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EnrolmentService other_key(f.store(), f.clock(), std::string(32, 'x'));
  EXPECT_NE(other_key.RegenerateList(admin, protocol, "age_group=>=60", 10)->hash,
            list->recorded_hash);
}

TEST(EnrolmentServiceTest, EmergencyUnblindingNeedsAReasonAndIsAudited) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  const auto protocol = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  const auto ids = Register(f, 2, "B-");
  auto enrolled = service.Enrol(RegistryFixture::Central(), protocol, Request(ids[1], "b1"));
  ASSERT_EQ(enrolled->status, EnrolmentStatus::kEnrolled);
  EXPECT_EQ(service.Unblind(RegistryFixture::Central(), protocol, ids[1], "").error().code,
            ErrorCode::kReasonRequired);
  EXPECT_EQ(
      service.Unblind(RegistryFixture::Central(), protocol, ids[0], "anaphylaxis").error().code,
      ErrorCode::kNotFound);
  auto revealed = service.Unblind(RegistryFixture::Central(), protocol, ids[1],
                                  "anaphylaxis, treating physician");
  ASSERT_TRUE(revealed.ok());
  EXPECT_EQ(revealed->arm, enrolled->enrolment.arm);
  auto tx = f.store().Begin(TransactionMode::kRead);
  auto last = *(*tx)->LastAudit();
  EXPECT_EQ(last->action, "unblind");
  EXPECT_EQ(last->reason, "anaphylaxis, treating physician");
  EXPECT_EQ(last->new_value, enrolled->enrolment.arm);
}

// 16 clients × 500 patients, 10 % of requests replayed: promise 6's invariants, on
// each storage engine (support/store_backend.h).
void ConcurrentEnrolment(protocol::RandomisationMethod method, const std::string& backend) {
  RegistryFixture f(backend);
  EnrolmentService service(f.store(), f.clock(), kSecret);
  const auto protocol = TestProtocol(method);
  constexpr int kClients = 16, kPerClient = 500;
  const auto ids = Register(f, kClients * kPerClient, "C-");
  std::vector<std::vector<EnrolmentOutcome>> results(kClients);
  std::atomic<int> replay_mismatches{0}, failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < kPerClient; ++i) {
        const int64_t patient = ids[static_cast<size_t>(c * kPerClient + i)];
        const std::string key = "req-" + std::to_string(patient);
        auto out = service.Enrol(RegistryFixture::Central(), protocol, Request(patient, key));
        if (!out.ok() || out->status != EnrolmentStatus::kEnrolled) {
          ++failures;
          continue;
        }
        results[static_cast<size_t>(c)].push_back(*out);
        if (i % 10 == 0) {  // the network dropped the answer: the client sends it again
          auto again = service.Enrol(RegistryFixture::Central(), protocol, Request(patient, key));
          if (!again.ok() || again->status != EnrolmentStatus::kReplayed ||
              again->enrolment.id != out->enrolment.id ||
              again->enrolment.arm != out->enrolment.arm) {
            ++replay_mismatches;
          }
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(replay_mismatches, 0);

  auto tx = f.store().Begin(TransactionMode::kRead);
  const auto enrolments = *(*tx)->ListEnrolments("test-trial");
  ASSERT_EQ(enrolments.size(), static_cast<size_t>(kClients * kPerClient));
  std::set<int64_t> patients;
  std::set<std::pair<std::string, int64_t>> positions;
  std::map<std::string, int> per_arm;
  for (const auto& e : enrolments) {
    EXPECT_TRUE(patients.insert(e.patient_id).second)
        << "patient " << e.patient_id << " randomised twice";
    if (method == protocol::RandomisationMethod::kPermutedBlocks) {
      EXPECT_TRUE(positions.insert({e.stratum, e.sequence_position}).second)
          << "position " << e.sequence_position << " of " << e.stratum << " used twice";
    }
    ++per_arm[e.arm];
  }
  if (method == protocol::RandomisationMethod::kPermutedBlocks) {
    // Every completed block is balanced: regenerate each stratum's list and compare.
    Actor admin{"rand.admin", "randomisation_admin", "", "r"};
    std::map<std::string, std::vector<const Enrolment*>> by_stratum;
    for (const auto& e : enrolments) by_stratum[e.stratum].push_back(&e);
    for (auto& [stratum, list] : by_stratum) {
      std::sort(list.begin(), list.end(),
                [](auto* a, auto* b) { return a->sequence_position < b->sequence_position; });
      ASSERT_EQ(list.back()->sequence_position, static_cast<int64_t>(list.size()))
          << "gaps in " << stratum;
      auto regenerated =
          service.RegenerateList(admin, protocol, stratum, static_cast<int>(list.size()));
      ASSERT_TRUE(regenerated.ok());
      EXPECT_EQ(regenerated->hash, regenerated->recorded_hash);
      std::map<int, std::map<std::string, int>> blocks;
      for (size_t i = 0; i < list.size(); ++i) {
        const auto& entry = regenerated->entries[i];
        ASSERT_EQ(entry.arm, list[i]->arm) << stratum << " position " << i + 1;
        ++blocks[entry.block][entry.arm];
      }
      const int last_block = regenerated->entries.back().block;
      for (const auto& [block, arms] : blocks) {
        if (block == last_block) continue;
        EXPECT_EQ(arms.at("std"), arms.at("exp")) << stratum << " block " << block;
      }
    }
  }
  EXPECT_LE(std::abs(per_arm["std"] - per_arm["exp"]),
            method == protocol::RandomisationMethod::kPermutedBlocks ? 6 : 20);
  auto audit = VerifyAuditTrail(f.store());
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->ok());
}

class ConcurrentEnrolmentTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      const std::string reason = testing::PostgresUnavailableReason();
      if (!reason.empty()) GTEST_SKIP() << reason;
    }
  }
};

TEST_P(ConcurrentEnrolmentTest, ConcurrentClientsKeepStratifiedBlocksIntact) {
  ConcurrentEnrolment(protocol::RandomisationMethod::kPermutedBlocks, GetParam());
}

TEST_P(ConcurrentEnrolmentTest, ConcurrentClientsKeepMinimisationBalanced) {
  ConcurrentEnrolment(protocol::RandomisationMethod::kMinimisation, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Engines, ConcurrentEnrolmentTest,
                         ::testing::ValuesIn(testing::BackendNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace stream::service
