// Reading a whole kind page by page, for scans that must not hold a registry in one
// answer: every row `filter` selects, in id order, `filter.limit` rows per query.
// Runs inside the caller's transaction.
#pragma once

#include <functional>

#include "core/record.h"
#include "core/result.h"
#include "core/schema.h"
#include "core/store.h"

namespace stream::service {

Status ForEachRecord(Transaction& tx, const KindSpec& kind, RecordFilter filter,
                     const std::function<void(Record&&)>& visit);

}  // namespace stream::service
