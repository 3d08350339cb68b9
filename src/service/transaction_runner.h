// RunInTransaction: the one place that owns begin, commit, rollback and retry.
//
// `work` runs inside a fresh transaction; when it succeeds the transaction commits.
// When `work` or the commit fails with a retryable error (kBusy, kSerializationFailure)
// the whole unit is run again, up to `max_attempts` times; any other failure rolls back
// and is returned. `work` must therefore be safe to run more than once.
#pragma once

#include <functional>

#include "core/result.h"
#include "core/store.h"

namespace stream::service {

struct RetryPolicy {
  int max_attempts = 5;
};

Status RunInTransaction(Store& store, TransactionMode mode,
                        const std::function<Status(Transaction&)>& work, RetryPolicy policy = {});

}  // namespace stream::service
