// FaultyStore: a Store decorator for tests of error paths (the "fault-injecting store"
// of the style guide). It wraps a real store and makes one statement of its
// Transactions fail with a chosen error, as a full disk, a lock held too long or a
// constraint violation would, so a test can check that a use case reports the error and
// leaves nothing half-written.
//
// Statements are counted from 1 over every Transaction begun through this store since
// the last Arm: every call of a Transaction method is one statement, Commit included
// (Store::Begin is not). The failing statement does not reach the real store; the
// Transaction it belongs to rolls back when destroyed, as a real one does after a
// failed statement. Thread-safe; the wrapped store must outlive this one and every
// Transaction it hands out.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/store.h"

namespace stream::testing {

struct Fault {
  int64_t at_statement = 0;  // the statement that fails, counting from 1; 0: none
  ErrorCode code = ErrorCode::kStorageFull;
  // Also fail every later statement, as a disk that stays full or a lock never released
  // would: retries of a retryable code fail too. Off: only that one statement fails.
  bool persistent = false;
};

class FaultyStore : public Store {
 public:
  explicit FaultyStore(Store& inner);
  ~FaultyStore() override;

  // Starts counting statements again from 1, with `fault` to come.
  void Arm(const Fault& fault);
  // Starts counting again with no fault to come.
  void Disarm() { Arm(Fault{}); }

  // The statements made since the last Arm: how many, and the method name of each.
  int64_t statements() const;
  std::vector<std::string> log() const;
  // How many statements the fault failed since the last Arm.
  int64_t failures() const;

  Result<std::unique_ptr<Transaction>> Begin(TransactionMode mode) override;
  Result<std::vector<std::string>> CheckIntegrity() override { return inner_.CheckIntegrity(); }

  // The message of an injected error, as the engines word theirs ("disk is full", …).
  static std::string InjectedMessage(ErrorCode code);

  // Shared with the Transactions handed out: counts a statement and says whether it
  // fails. Internal to faulty_store.cc.
  struct Counter;

 private:
  Store& inner_;
  std::shared_ptr<Counter> counter_;
};

}  // namespace stream::testing
