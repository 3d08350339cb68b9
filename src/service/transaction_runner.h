// RunInTransaction: the one place that owns begin, commit, rollback and retry.
//
// `work` runs inside a fresh transaction; when it succeeds the transaction commits.
// When `work` or the commit fails with a retryable error (kBusy, kSerializationFailure)
// the whole unit is run again, up to `max_attempts` times; any other failure rolls back
// and is returned. `work` must therefore be safe to run more than once.
#pragma once

#include <functional>
#include <optional>
#include <utility>

#include "core/result.h"
#include "core/store.h"

namespace stream::service {

struct RetryPolicy {
  int max_attempts = 5;
};

Status RunInTransaction(Store& store, TransactionMode mode,
                        const std::function<Status(Transaction&)>& work, RetryPolicy policy = {});

// The same for work that produces a value: returns what the last, committed run of
// `work` produced, or the error.
template <typename T>
Result<T> RunInTransaction(Store& store, TransactionMode mode,
                           const std::function<Result<T>(Transaction&)>& work,
                           RetryPolicy policy = {}) {
  std::optional<T> out;
  Status s = RunInTransaction(
      store, mode,
      [&](Transaction& tx) -> Status {
        Result<T> r = work(tx);
        if (!r.ok()) return r.error();
        out = std::move(r).value();
        return Ok();
      },
      policy);
  if (!s.ok()) return s.error();
  return std::move(*out);
}

}  // namespace stream::service
