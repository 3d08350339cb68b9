#include "service/transaction_runner.h"

namespace stream::service {

Status RunInTransaction(Store& store, TransactionMode mode,
                        const std::function<Status(Transaction&)>& work, RetryPolicy policy) {
  Status last;
  for (int attempt = 0; attempt < policy.max_attempts; ++attempt) {
    auto tx = store.Begin(mode);
    if (!tx.ok()) {
      last = tx.error();
    } else {
      last = work(**tx);
      if (last.ok()) last = (*tx)->Commit();
      if (last.ok()) return last;
    }
    if (!Describe(last.error().code).retryable) return last;
  }
  return last;
}

}  // namespace stream::service
