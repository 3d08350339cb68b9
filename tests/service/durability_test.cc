// Reliability promise 5: an acknowledged write survives kill -9. A child process
// registers patients one transaction at a time and reports each pseudonym on a pipe
// only after Commit returned; the parent kills it with SIGKILL at a random moment,
// reopens the database and checks that every acknowledged patient is there with their
// sealed identity, and the audit chain verifies (which also matches every identity to
// its patient and audit row: issue #15, no patient without identity after a crash).
// STREAM_KILL_CYCLES sets the number of cycles (default 50; the opt-in slow run uses 1000).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <sstream>

#include "service/audit_trail.h"
#include "service/identity_vault.h"
#include "storage/sqlite/sqlite_store.h"
#include "support/registry_fixture.h"

namespace stream::service {
namespace {

using testing::RegistryFixture;

const std::string kKey(IdentityVault::kKeyBytes, 'k');

[[noreturn]] void WriteUntilKilled(const std::string& dir, int cycle, int fd) {
  storage::SqliteOptions o;
  o.database_path = dir + "/stream.db";
  o.legacy_identity_path = dir + "/identity.db";
  auto store = storage::OpenSqliteStore(o);
  if (!store.ok()) _exit(3);
  FakeClock clock(*Timestamp::Parse("2026-11-21T10:00:00.000Z"));
  const auto vault = IdentityVault::FromKey(kKey);
  if (!vault.ok()) _exit(6);
  RegistryService registry(**store, clock, &*vault);
  for (int i = 0;; ++i) {
    const std::string pseudonym = "K-" + std::to_string(cycle) + "-" + std::to_string(i);
    auto p = registry.AddPatient(RegistryFixture::Central(),
                                 RegistryFixture::PatientValues(pseudonym, RegistryFixture::kSiteA),
                                 Identity{"Name " + pseudonym, "1970-03-14", "H-" + pseudonym});
    if (!p.ok()) _exit(4);
    const std::string line = pseudonym + "\n";
    if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
  }
}

TEST(DurabilityTest, NoAcknowledgedPatientIsLostWhenTheWriterIsKilled) {
  const char* env = std::getenv("STREAM_KILL_CYCLES");
  const int cycles = env ? std::atoi(env) : 50;
  const unsigned seed = std::random_device{}();
  std::printf("kill -9 loop: %d cycles, seed %u\n", cycles, seed);
  std::mt19937 rng(seed);
  RegistryFixture f;
  int64_t acknowledged_total = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      WriteUntilKilled(f.dir().path(), cycle, fds[1]);
    }
    close(fds[1]);
    usleep(std::uniform_int_distribution<int>(2000, 40000)(rng));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself, status " << status;
    std::string acknowledged;
    char buf[4096];
    ssize_t n = 0;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
      acknowledged.append(buf, static_cast<size_t>(n));
    close(fds[0]);

    auto store = f.Reopen();
    FakeClock clock(*Timestamp::Parse("2026-11-21T10:00:00.000Z"));
    const auto vault = IdentityVault::FromKey(kKey);
    ASSERT_TRUE(vault.ok());
    RegistryService registry(*store, clock, &*vault);
    std::istringstream lines(acknowledged);
    std::string pseudonym;
    while (std::getline(lines, pseudonym)) {
      auto patient = registry.GetPatientByPseudonym(RegistryFixture::Central(), pseudonym);
      ASSERT_TRUE(patient.ok()) << "acknowledged patient " << pseudonym << " was lost in cycle "
                                << cycle;
      auto identity = registry.GetIdentity(RegistryFixture::Central(), patient->id);
      ASSERT_TRUE(identity.ok()) << "acknowledged patient " << pseudonym
                                 << " has no identity after cycle " << cycle;
      EXPECT_EQ(identity->hospital_number, "H-" + pseudonym);
      ++acknowledged_total;
    }
    auto report = VerifyAuditTrail(*store);
    ASSERT_TRUE(report.ok());
    ASSERT_TRUE(report->ok()) << "audit chain broken after cycle " << cycle << ": "
                              << (report->problems.empty() ? "" : report->problems[0].what);
  }
  std::printf("kill -9 loop: %lld acknowledged patients, none lost\n",
              static_cast<long long>(acknowledged_total));
  EXPECT_GT(acknowledged_total, 0);
}

}  // namespace
}  // namespace stream::service
