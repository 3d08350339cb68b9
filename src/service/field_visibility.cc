#include "service/field_visibility.h"

#include "service/access_policy.h"

namespace stream::service {
namespace {

// Where in `kind`'s fields those `role` may not see are; empty for a role that sees all.
std::vector<size_t> UnseenFields(std::string_view role, const KindSpec& kind) {
  std::vector<size_t> out;
  if (Sees(role, Audience::kCareTeam)) return out;  // the narrowest audience
  for (size_t i = 0; i < kind.fields.size(); ++i) {
    if (!Sees(role, kind.fields[i].audience)) out.push_back(i);
  }
  return out;
}

void Withhold(const std::vector<size_t>& unseen, Record& record) {
  for (const size_t i : unseen) {
    if (i >= record.values.size()) continue;
    record.withheld.resize(record.values.size(), false);
    record.withheld[i] = true;
    record.values[i] = Value{};
  }
}

}  // namespace

std::vector<std::string_view> WithheldFields(std::string_view role, const KindSpec& kind) {
  std::vector<std::string_view> out;
  for (const size_t i : UnseenFields(role, kind)) out.push_back(kind.fields[i].name);
  return out;
}

void WithholdUnseen(std::string_view role, const KindSpec& kind, Record& record) {
  Withhold(UnseenFields(role, kind), record);
}

void WithholdUnseen(std::string_view role, const KindSpec& kind, std::vector<Record>& records) {
  const auto unseen = UnseenFields(role, kind);
  if (unseen.empty()) return;
  for (auto& record : records) Withhold(unseen, record);
}

}  // namespace stream::service
