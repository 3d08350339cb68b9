#include "service/field_visibility.h"

#include "service/access_policy.h"

namespace stream::service {

std::vector<std::string_view> WithheldFields(std::string_view role, const KindSpec& kind) {
  std::vector<std::string_view> out;
  for (const auto& field : kind.fields) {
    if (!Sees(role, field.audience)) out.push_back(field.name);
  }
  return out;
}

void WithholdUnseen(std::string_view role, const KindSpec& kind, Record& record) {
  for (size_t i = 0; i < kind.fields.size() && i < record.values.size(); ++i) {
    if (Sees(role, kind.fields[i].audience)) continue;
    record.withheld.resize(record.values.size(), false);
    record.withheld[i] = true;
    record.values[i] = Value{};
  }
}

void WithholdUnseen(std::string_view role, const KindSpec& kind, std::vector<Record>& records) {
  if (WithheldFields(role, kind).empty()) return;
  for (auto& record : records) WithholdUnseen(role, kind, record);
}

}  // namespace stream::service
