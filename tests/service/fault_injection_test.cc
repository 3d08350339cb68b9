// "Leaves nothing half-written" (style guide, Errors): each use case below runs on a real
// SQLite store behind a FaultyStore that fails its 1st, 2nd, … statement in turn, until
// the use case makes fewer statements than that and succeeds. Every time, the use case
// must return the injected error (not succeed, not crash) and the database must hold
// exactly the rows it held before, with the audit chain intact. The faults are a full
// disk, a lock held past every retry (kBusy, retryable) and a constraint violation.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdio>
#include <functional>
#include <map>
#include <string>

#include "service/audit_trail.h"
#include "service/enrolment_service.h"
#include "service/identity_vault.h"
#include "service/registry_service.h"
#include "support/faulty_store.h"
#include "support/registry_fixture.h"
#include "support/trial_fixture.h"

namespace stream::service {
namespace {

using testing::Fault;
using testing::FaultyStore;
using testing::RegistryFixture;

// More statements than any use case here makes: a loop past it is a runaway.
constexpr int64_t kMaxStatements = 500;

// The number of rows of every table, the sealed identities' included.
using RowCounts = std::map<std::string, long long>;

RowCounts CountRows(RegistryFixture& f) {
  auto sql = f.backend().AppSession();
  std::vector<std::string> tables;
  soci::rowset<std::string> rows =
      (sql->prepare << "SELECT name FROM sqlite_master WHERE type = 'table'");
  for (const auto& t : rows) tables.push_back(t);
  RowCounts counts;
  for (const auto& t : tables)
    *sql << "SELECT COUNT(*) FROM \"" << t << "\"", soci::into(counts[t]);
  return counts;
}

// One kind of fault, with what each must do.
struct FaultKind {
  const char* name;
  ErrorCode code;
  bool persistent;  // kBusy is retried: it must outlast every retry to be returned
};

const FaultKind kFaultKinds[] = {
    {"disk full", ErrorCode::kStorageFull, false},
    {"lock never released", ErrorCode::kBusy, true},
    {"constraint violation", ErrorCode::kAlreadyExists, false},
};

// Fails statement 1, 2, … of `use_case` with `kind` until it runs out of statements
// (and must then succeed), checking after every fault that it returned the fault's
// code and wrote nothing. Returns the number of fault points exercised.
int64_t FailEveryStatement(RegistryFixture& f, FaultyStore& faulty, const FaultKind& kind,
                           const std::function<Status()>& use_case) {
  SCOPED_TRACE(kind.name);
  const RowCounts before = CountRows(f);
  for (int64_t n = 1; n <= kMaxStatements; ++n) {
    faulty.Arm(Fault{n, kind.code, kind.persistent});
    const Status status = use_case();
    if (faulty.failures() == 0) {  // fewer than n statements: nothing was injected
      EXPECT_TRUE(status.ok()) << status.error().ToString();
      EXPECT_EQ(faulty.statements(), n - 1) << "the use case is not deterministic";
      faulty.Disarm();
      return n - 1;
    }
    const std::string where =
        "statement " + std::to_string(n) + " (" + faulty.log().at(n - 1) + ")";
    EXPECT_FALSE(status.ok()) << where << " failed, yet the use case reported success";
    if (!status.ok()) {
      EXPECT_EQ(status.error().code, kind.code) << where << ": " << status.error().ToString();
    }
    faulty.Disarm();
    EXPECT_EQ(CountRows(f), before) << "half-written after a fault at " << where;
    auto verified = VerifyAuditTrail(f.store());
    EXPECT_TRUE(verified.ok() && verified->ok()) << "audit chain broken after a fault at " << where;
  }
  ADD_FAILURE() << "the use case made more than " << kMaxStatements << " statements";
  return -1;
}

Identity SomeIdentity() { return Identity{"Maria Rossi", "1970-03-14", "FO-123456"}; }

std::vector<Value> ConsentValues() {
  const KindSpec& consent = *FindKind("consent");
  return MakeRecord(consent, {{"form_version", std::string("2.1")},
                              {"consent_date", *Date::Parse("2024-01-10")},
                              {"scope", CodeSet{"registry", "trial"}}})
      .values;
}

TEST(FaultInjectionTest, RegisteringAPatientWithIdentityFailsWholeAtEveryStatement) {
  for (const FaultKind& kind : kFaultKinds) {
    RegistryFixture f;
    FaultyStore faulty(f.store());
    auto vault = IdentityVault::FromKey(IdentityVault::NewKey());
    ASSERT_TRUE(vault.ok());
    RegistryService registry(faulty, f.clock(), &*vault);
    const int64_t points = FailEveryStatement(f, faulty, kind, [&]() -> Status {
      return registry
          .AddPatient(RegistryFixture::Central(),
                      RegistryFixture::PatientValues("FI-1", RegistryFixture::kSiteA),
                      SomeIdentity())
          .status();
    });
    std::printf("register a patient, %s: %lld fault points\n", kind.name,
                static_cast<long long>(points));
    EXPECT_GE(points, 4);  // at least the patient, its identity, an audit row and the commit
    auto patient = f.registry().GetPatientByPseudonym(RegistryFixture::Central(), "FI-1");
    ASSERT_TRUE(patient.ok()) << patient.error().ToString();
    auto identity = registry.GetIdentity(RegistryFixture::Central(), patient->id);
    ASSERT_TRUE(identity.ok()) << identity.error().ToString();
    EXPECT_EQ(identity->hospital_number, "FO-123456");
  }
}

TEST(FaultInjectionTest, AddingAClinicalRecordFailsWholeAtEveryStatement) {
  const KindSpec& consent = *FindKind("consent");
  for (const FaultKind& kind : kFaultKinds) {
    RegistryFixture f;
    const Record patient = f.AddAmlPatient("FI-2", RegistryFixture::kSiteA);
    FaultyStore faulty(f.store());
    RegistryService registry(faulty, f.clock(), nullptr);
    const int64_t points = FailEveryStatement(f, faulty, kind, [&]() -> Status {
      return registry.AddRecord(RegistryFixture::Central(), consent, patient.id, ConsentValues())
          .status();
    });
    std::printf("add a record, %s: %lld fault points\n", kind.name, static_cast<long long>(points));
    EXPECT_GE(points, 4);  // at least the patient read, the record, an audit row and the commit
    auto tx = f.store().Begin(TransactionMode::kRead);
    ASSERT_TRUE(tx.ok());
    auto consents = (*tx)->ListRecords(consent, RecordFilter{patient.id});
    ASSERT_TRUE(consents.ok());
    EXPECT_EQ(consents->size(), 1u);
  }
}

TEST(FaultInjectionTest, EnrollingAndRandomisingFailsWholeAtEveryStatement) {
  const auto protocol = testing::TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  for (const FaultKind& kind : kFaultKinds) {
    RegistryFixture f;
    const auto ids = testing::Register(f, 2, "FE-");
    FaultyStore faulty(f.store());
    EnrolmentService enrolment(faulty, f.clock(), testing::kSecret);
    // The stratum's first patient: the enrolment also activates its randomisation list.
    const int64_t points = FailEveryStatement(f, faulty, kind, [&]() -> Status {
      return enrolment.Enrol(RegistryFixture::Central(), protocol, testing::Request(ids[1], "fe"))
          .status();
    });
    std::printf("enrol and randomise, %s: %lld fault points\n", kind.name,
                static_cast<long long>(points));
    EXPECT_GE(points, 5);  // at least the enrolment, the list, an audit row and the commit
    auto tx = f.store().Begin(TransactionMode::kRead);
    ASSERT_TRUE(tx.ok());
    auto enrolled = (*tx)->ListEnrolments("test-trial");
    ASSERT_TRUE(enrolled.ok());
    ASSERT_EQ(enrolled->size(), 1u);
    EXPECT_EQ(enrolled->front().sequence_position, 1);
    auto list = (*tx)->FindRandomisationList("test-trial", enrolled->front().stratum);
    ASSERT_TRUE(list.ok());
    EXPECT_TRUE(list->has_value());
  }
}

// A lock released after one refusal: the retry succeeds and writes the patient once.
TEST(FaultInjectionTest, ABusyStatementIsRetriedAndWritesThePatientExactlyOnce) {
  RegistryFixture f;
  FaultyStore faulty(f.store());
  RegistryService registry(faulty, f.clock(), nullptr);
  const KindSpec& patients = PatientKind();
  for (int64_t n = 1;; ++n) {
    ASSERT_LE(n, kMaxStatements);
    const std::string pseudonym = "FB-" + std::to_string(n);
    const RowCounts before = CountRows(f);
    faulty.Arm(Fault{n, ErrorCode::kBusy, false});
    auto added =
        registry.AddPatient(RegistryFixture::Central(),
                            RegistryFixture::PatientValues(pseudonym, RegistryFixture::kSiteA));
    ASSERT_TRUE(added.ok()) << "statement " << n << ": " << added.error().ToString();
    const bool retried = faulty.failures() == 1;
    faulty.Disarm();
    RowCounts after = CountRows(f);
    EXPECT_EQ(after[std::string(patients.table)], before.at(std::string(patients.table)) + 1)
        << "statement " << n;
    auto verified = VerifyAuditTrail(f.store());
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->ok()) << "statement " << n;
    if (!retried) break;  // past the use case's last statement
  }
}

}  // namespace
}  // namespace stream::service
