// Fields kept from readers who may not see them (core/schema.h, Audience): every use case
// that hands records out (reads, exports) passes them through here, so the rule holds for
// the API, the command line and the exports alike. A withheld field is nulled and marked in
// Record::withheld; front ends leave it out.
#pragma once

#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/schema.h"

namespace stream::service {

// The fields of `kind` that `role` may not see, in field order; empty for most roles.
std::vector<std::string_view> WithheldFields(std::string_view role, const KindSpec& kind);

// Nulls and marks the fields of `record` (of `kind`) that `role` may not see.
void WithholdUnseen(std::string_view role, const KindSpec& kind, Record& record);
void WithholdUnseen(std::string_view role, const KindSpec& kind, std::vector<Record>& records);

}  // namespace stream::service
