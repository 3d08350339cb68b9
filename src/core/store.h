// The store port: what the service layer needs from a database, and nothing about
// which engine provides it (storage/sqlite, storage/postgres implement it).
//
// A Store hands out Transactions. Everything a use case reads and writes goes through
// one Transaction; Commit makes it durable, and destroying an uncommitted Transaction
// rolls it back. A Transaction offers the focused repositories of core/*_repository.h
// (accounts, records, protocols, enrolments, audit), whose headers hold the contracts.
// A Transaction is used by one thread; a Store may be shared.
// Failures are typed (core/error.h): kBusy and kSerializationFailure are retryable,
// kAlreadyExists reports a unique value taken, kStorageFull a full disk.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/account_repository.h"
#include "core/audit_repository.h"
#include "core/enrolment_repository.h"
#include "core/protocol_repository.h"
#include "core/record_repository.h"
#include "core/result.h"

namespace stream {

// One unit of work on the store: every repository (who may act, patients and records,
// how protocols are run, patients in protocols, the audit trail) inside one database
// transaction, so a use case commits all of its writes, audit rows included, or none.
class Transaction : public AccountRepository,
                    public RecordRepository,
                    public ProtocolRepository,
                    public EnrolmentRepository,
                    public AuditRepository {
 public:
  ~Transaction() override = default;  // rolls back unless committed

  // Makes every change durable (SQLite: synchronous=FULL). After a failed Commit
  // nothing of the transaction is stored.
  [[nodiscard]] virtual Status Commit() = 0;
};

enum class TransactionMode { kRead, kWrite };

class Store {
 public:
  virtual ~Store() = default;
  // kWrite takes the write lock at once (SQLite BEGIN IMMEDIATE), so a write
  // transaction never fails to upgrade halfway. kBusy when the lock cannot be had in time.
  virtual Result<std::unique_ptr<Transaction>> Begin(TransactionMode mode) = 0;
  // Engine self-check (SQLite: PRAGMA integrity_check, audit protection in place);
  // the problems found, empty when sound.
  virtual Result<std::vector<std::string>> CheckIntegrity() = 0;
};

}  // namespace stream
