#include "core/consent_scope.h"

#include <algorithm>

namespace stream {
namespace {

template <typename T, typename DateOf>
void KeepBefore(std::vector<T>& items, Date from, DateOf date_of) {
  std::erase_if(items, [&](const T& item) { return !(date_of(item) < from); });
}

}  // namespace

std::optional<Date> ConsentWithdrawnFrom(const std::vector<Consent>& consents,
                                         std::string_view scope) {
  std::optional<Date> withdrawn;
  for (const auto& c : consents) {
    if (std::find(c.scope.begin(), c.scope.end(), scope) == c.scope.end()) continue;
    if (!c.withdrawal_date) return std::nullopt;  // a consent covering the scope in force
    if (!withdrawn || *withdrawn < *c.withdrawal_date) withdrawn = c.withdrawal_date;
  }
  return withdrawn;
}

std::optional<Date> EarliestWithdrawal(const std::vector<Consent>& consents,
                                       std::initializer_list<std::string_view> scopes) {
  std::optional<Date> out;
  for (auto scope : scopes) {
    const auto from = ConsentWithdrawnFrom(consents, scope);
    if (from && (!out || *from < *out)) out = from;
  }
  return out;
}

PatientHistory HistoryBefore(const PatientHistory& history, Date from) {
  PatientHistory h = history;
  KeepBefore(h.diagnoses, from, [](const auto& x) { return x.diagnosis_date; });
  KeepBefore(h.karyotypes, from, [](const auto& x) { return x.sample_date; });
  KeepBefore(h.variants, from, [](const auto& x) { return x.sample_date; });
  KeepBefore(h.fusions, from, [](const auto& x) { return x.sample_date; });
  KeepBefore(h.gene_tests, from, [](const auto& x) { return x.sample_date; });
  KeepBefore(h.treatment_lines, from, [](const auto& x) { return x.start_date; });
  for (auto& line : h.treatment_lines) {
    if (line.end_date && !(*line.end_date < from)) {
      line.end_date.reset();
      line.reason_stopped.reset();
    }
  }
  KeepBefore(h.transplants, from, [](const auto& x) { return x.transplant_date; });
  KeepBefore(h.dlis, from, [](const auto& x) { return x.infusion_date; });
  KeepBefore(h.responses, from, [](const auto& x) { return x.assessment_date; });
  KeepBefore(h.relapses, from, [](const auto& x) { return x.relapse_date; });
  KeepBefore(h.deaths, from, [](const auto& x) { return x.death_date; });
  KeepBefore(h.acute_gvhd, from, [](const auto& x) { return x.onset_date; });
  KeepBefore(h.chronic_gvhd, from, [](const auto& x) { return x.onset_date; });
  KeepBefore(h.adverse_events, from, [](const auto& x) { return x.onset_date; });
  for (auto& ae : h.adverse_events) {
    if (ae.resolution_date && !(*ae.resolution_date < from)) ae.resolution_date.reset();
  }
  KeepBefore(h.performance, from, [](const auto& x) { return x.assessment_date; });
  KeepBefore(h.follow_ups, from, [](const auto& x) { return x.contact_date; });
  return h;
}

PatientHistory HistoryAtWithdrawal(const PatientHistory& history, Date withdrawn) {
  PatientHistory h = HistoryBefore(history, withdrawn);
  if (h.deaths.empty()) h.follow_ups.push_back({withdrawn, "alive", 0});
  return h;
}

}  // namespace stream
