// Reliability scenario "backup / restore" (reliability.md), on each engine: a hot backup
// taken while writers register and enrol patients restores to a fresh instance that is
// exactly the backup's snapshot (equal row counts and checksums per table), internally
// consistent (every patient, record and enrolment has its audit record, every patient
// its identity) with a clean audit chain; once the writers stop, a second backup restores
// to a copy whose every table has exactly the source's checksum.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "app/backup.h"
#include "service/audit_trail.h"
#include "storage/postgres/postgres_backup.h"
#include "support/registry_fixture.h"
#include "support/trial_fixture.h"

namespace stream {
namespace {

using testing::RegistryFixture;

constexpr int kWriters = 4;
// Registered in bulk before the writers start, so that the backup has something to copy
// while they write.
constexpr int kPrefilled = 2000;

class BackupUnderLoadTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      const std::string reason = testing::PostgresUnavailableReason();
      if (!reason.empty()) GTEST_SKIP() << reason;
    }
  }

  // Where a fixture's (or a fresh target's) database is, as the program would see it:
  // SQLite files in `dir`, or the PostgreSQL database of `backend`.
  app::StoreLocation Location(const testing::StoreBackend* backend, const std::string& dir) {
    app::StoreLocation l;
    if (backend == nullptr) {
      l.backend = app::StorageBackend::kSqlite;
      l.sqlite = {dir + "/stream.db", ""};
      return l;
    }
    l.backend = app::StorageBackend::kPostgres;
    l.app.connection = backend->AppConnection();
    storage::PostgresOptions owner;
    owner.connection = backend->OwnerConnection();
    owner.app_role = testing::PostgresAppRole();
    l.owner = owner;
    return l;
  }

  storage::DatabaseSummary Summarise(const app::StoreLocation& l) {
    auto s = l.backend == app::StorageBackend::kSqlite ? storage::SummariseSqlite(l.sqlite.database)
                                                       : storage::SummarisePostgres(l.admin());
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return s.ok() ? *s : storage::DatabaseSummary{};
  }

  // A fresh, empty instance to restore into.
  app::StoreLocation FreshTarget() {
    if (GetParam() == "sqlite") {
      targets_dirs_.push_back(std::make_unique<testing::TempDir>());
      return Location(nullptr, targets_dirs_.back()->path() + "/data");
    }
    targets_.push_back(testing::MakePostgresBackend());
    return Location(targets_.back().get(), "");
  }

  std::vector<std::unique_ptr<testing::TempDir>> targets_dirs_;
  std::vector<std::unique_ptr<testing::StoreBackend>> targets_;
};

// Every patient, record and enrolment in the restored store has its one audit "create"
// row and the counts agree between tables: the snapshot is one moment, not a blend.
// `unenrolled`: the patients registered before the writers started, never enrolled.
void ExpectInternallyConsistent(Store& store, const storage::DatabaseSummary& summary,
                                int64_t unenrolled) {
  auto tx = store.Begin(TransactionMode::kRead);
  ASSERT_TRUE(tx.ok());
  std::map<std::string, int64_t> creates;
  ASSERT_TRUE((*tx)
                  ->ScanAudit([&](const AuditEntry& e) {
                    if (e.action == "create") ++creates[e.entity];
                    return true;
                  })
                  .ok());
  const int64_t patients = *(*tx)->CountRecords(PatientKind());
  const int64_t enrolments = static_cast<int64_t>((*(*tx)->ListEnrolments("test-trial")).size());
  EXPECT_EQ(creates["patient"], patients);
  EXPECT_EQ(creates["diagnosis"], summary.Find("diagnoses")->rows);
  EXPECT_EQ(creates["consent"], summary.Find("consents")->rows);
  EXPECT_EQ(creates["enrolment"], enrolments);
  EXPECT_EQ(summary.Find("patients")->rows, patients);
  EXPECT_EQ(summary.Find("enrolments")->rows, enrolments);
  // Every writer's patient is registered with its identity and diagnosis in one
  // transaction, and enrolled in the next: at most one per writer is not yet enrolled.
  const char* identities =
      summary.Find("identities") ? "identities" : "identity.identities";  // SQLite, PostgreSQL
  EXPECT_EQ(summary.Find(identities)->rows, patients - unenrolled);
  EXPECT_EQ(summary.Find("diagnoses")->rows, patients);
  EXPECT_LE(patients - unenrolled - enrolments, kWriters);
  EXPECT_GE(patients - unenrolled - enrolments, 0);
}

TEST_P(BackupUnderLoadTest, AHotBackupRestoresToItsSnapshotWithACleanAuditChain) {
  RegistryFixture f(GetParam());
  service::EnrolmentService enrolment(f.store(), f.clock(), testing::kSecret);
  const auto protocol = testing::TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  const app::StoreLocation source =
      Location(GetParam() == "sqlite" ? nullptr : &f.backend(), f.dir().path());
  const KindSpec& dx = *FindKind("diagnosis");
  const KindSpec& consent = *FindKind("consent");

  testing::Register(f, kPrefilled, "P-");
  std::atomic<bool> stop{false};
  std::atomic<int64_t> committed{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop; ++i) {
        const std::string pseudonym = "W" + std::to_string(w) + "-" + std::to_string(i);
        service::PatientBundle b{
            RegistryFixture::PatientValues(
                pseudonym, i % 2 ? RegistryFixture::kSiteA : RegistryFixture::kSiteB),
            {},
            service::Identity{"Name " + pseudonym, "1970-03-01", "H" + pseudonym}};
        b.records.emplace_back(
            &dx, MakeRecord(dx, {{"disease", std::string("aml")},
                                 {"diagnosis_date", *Date::Parse("2024-01-05")},
                                 {"origin", std::string("de_novo")},
                                 {"status_at_registration", std::string("first_relapse")}})
                     .values);
        b.records.emplace_back(&consent,
                               MakeRecord(consent, {{"form_version", std::string("2.1")},
                                                    {"consent_date", *Date::Parse("2024-01-10")},
                                                    {"scope", CodeSet{"registry", "trial"}}})
                                   .values);
        auto written = f.registry().RegisterPatients(RegistryFixture::Central(), {b});
        if (!written.ok()) {
          ++failures;
          continue;
        }
        auto patient = f.registry().GetPatientByPseudonym(RegistryFixture::Central(), pseudonym);
        if (!patient.ok()) {
          ++failures;
          continue;
        }
        auto out = enrolment.Enrol(RegistryFixture::Central(), protocol,
                                   testing::Request(patient->id, "k-" + pseudonym));
        if (!out.ok() || out->status != service::EnrolmentStatus::kEnrolled) ++failures;
        ++committed;
      }
    });
  }
  const auto wait_for = [&](int64_t n) {
    for (int i = 0; i < 6000 && committed < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  };
  wait_for(30);

  testing::TempDir backups;
  app::BackupRequest request;
  request.to = backups.File("hot");
  const int64_t committed_before_backup = committed;
  auto hot = app::BackupRegistry(source, request, f.clock());
  const int64_t committed_after_backup = committed;
  wait_for(committed_after_backup + 10);  // the writers went on after the backup
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_EQ(failures, 0);
  ASSERT_TRUE(hot.ok()) << hot.error().ToString();
  for (const auto& p : hot->problems) ADD_FAILURE() << "backup: " << p;
  const storage::DatabaseSummary& snapshot = hot->summary;
  const storage::DatabaseSummary live = Summarise(source);
  std::printf(
      "[%s] hot backup: %lld patients of %lld by the end, %lld rows, %.3f s with checks; "
      "%lld writer commits during it\n",
      GetParam().c_str(), static_cast<long long>(snapshot.Find("patients")->rows),
      static_cast<long long>(live.Find("patients")->rows),
      static_cast<long long>(snapshot.TotalRows()), hot->seconds,
      static_cast<long long>(committed_after_backup - committed_before_backup));
  EXPECT_GE(snapshot.Find("patients")->rows, kPrefilled + 30);
  EXPECT_LT(snapshot.Find("patients")->rows, live.Find("patients")->rows)
      << "the writers did not go on after the backup";

  // Restore to a fresh instance: exactly the snapshot, consistent, chain intact.
  const app::StoreLocation target = FreshTarget();
  app::RestoreRequest restore;
  restore.from = request.to;
  auto restored = app::RestoreRegistry(target, restore);
  ASSERT_TRUE(restored.ok()) << restored.error().ToString();
  for (const auto& p : restored->problems) ADD_FAILURE() << "restore: " << p;
  const storage::DatabaseSummary restored_summary = Summarise(target);
  EXPECT_EQ(storage::CompareSummaries(snapshot, restored_summary), std::vector<std::string>{});
  {
    auto store = app::OpenStoreAt(target, false, false);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    ExpectInternallyConsistent(**store, restored_summary, kPrefilled);
    auto audit = service::VerifyAuditTrail(**store);
    ASSERT_TRUE(audit.ok());
    EXPECT_TRUE(audit->ok());
    EXPECT_EQ(audit->rows_checked, snapshot.audit_rows);
  }

  // Writers stopped: a second backup and restore give exactly the source's tables.
  request.to = backups.File("quiet");
  auto quiet = app::BackupRegistry(source, request, f.clock());
  ASSERT_TRUE(quiet.ok()) << quiet.error().ToString();
  EXPECT_TRUE(quiet->ok());
  const app::StoreLocation target2 = FreshTarget();
  restore.from = request.to;
  auto restored2 = app::RestoreRegistry(target2, restore);
  ASSERT_TRUE(restored2.ok()) << restored2.error().ToString();
  EXPECT_TRUE(restored2->ok());
  const storage::DatabaseSummary source_now = Summarise(source);
  EXPECT_EQ(storage::CompareSummaries(source_now, Summarise(target2)), std::vector<std::string>{});
  EXPECT_EQ(storage::CompareSummaries(source_now, quiet->summary), std::vector<std::string>{});
  EXPECT_GT(source_now.Find("audit_log")->rows, snapshot.Find("audit_log")->rows);
}

INSTANTIATE_TEST_SUITE_P(Engines, BackupUnderLoadTest, ::testing::ValuesIn(testing::BackendNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace stream
