#include "service/record_pages.h"

#include <vector>

namespace stream::service {

Status ForEachRecord(Transaction& tx, const KindSpec& kind, RecordFilter filter,
                     const std::function<void(Record&&)>& visit) {
  while (true) {
    STREAM_ASSIGN_OR_RETURN(std::vector<Record> rows, tx.ListRecords(kind, filter));
    const auto n = static_cast<int64_t>(rows.size());
    if (n > 0) filter.after_id = rows.back().id;
    for (auto& r : rows) visit(std::move(r));
    if (n < filter.limit) return Ok();
  }
}

}  // namespace stream::service
