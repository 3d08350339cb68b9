#include "service/history_batch.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "service/history_loader.h"
#include "service/record_pages.h"

namespace stream::service {
namespace {

// Every row of `kind` visible to `actor`, page by page in id order.
Status ForEachVisible(Transaction& tx, const Actor& actor, const KindSpec& kind,
                      const std::function<void(Record&&)>& visit) {
  RecordFilter filter;
  filter.limit = kHistoryPage;
  if (!actor.IsCentral()) filter.site = actor.site;
  return ForEachRecord(tx, kind, std::move(filter), visit);
}

// The kind-by-kind scan; `wanted` empty = every visible patient.
Result<std::vector<PatientHistory>> Scan(Transaction& tx, const Actor& actor,
                                         const std::unordered_set<int64_t>& wanted) {
  std::vector<Record> patients;
  std::unordered_map<int64_t, size_t> index;
  STREAM_RETURN_IF_ERROR(ForEachVisible(tx, actor, PatientKind(), [&](Record&& p) {
    if (!wanted.empty() && !wanted.count(p.id)) return;
    // The site filter is in the query; a central actor sees every site.
    index.emplace(p.id, patients.size());
    patients.push_back(std::move(p));
  }));
  std::vector<std::vector<KindRecord>> records(patients.size());
  for (const auto& kind : RecordKinds()) {
    STREAM_RETURN_IF_ERROR(ForEachVisible(tx, actor, kind, [&](Record&& r) {
      auto at = index.find(r.patient_id);
      if (at != index.end()) records[at->second].push_back({&kind, std::move(r)});
    }));
  }
  std::vector<PatientHistory> out;
  out.reserve(patients.size());
  for (size_t i = 0; i < patients.size(); ++i) out.push_back(BuildHistory(patients[i], records[i]));
  return out;
}

}  // namespace

Result<std::vector<PatientHistory>> LoadVisibleHistories(Transaction& tx, const Actor& actor) {
  return Scan(tx, actor, {});
}

Result<std::vector<PatientHistory>> LoadHistories(Transaction& tx, const Actor& actor,
                                                  std::vector<int64_t> patient_ids) {
  std::sort(patient_ids.begin(), patient_ids.end());
  patient_ids.erase(std::unique(patient_ids.begin(), patient_ids.end()), patient_ids.end());
  if (patient_ids.empty()) return std::vector<PatientHistory>{};
  if (patient_ids.size() >= kPerPatientBelow)
    return Scan(tx, actor, {patient_ids.begin(), patient_ids.end()});
  std::vector<PatientHistory> out;
  for (int64_t id : patient_ids) {
    auto history = LoadHistory(tx, actor, id);
    if (!history.ok()) {
      if (history.error().code == ErrorCode::kNotFound) continue;  // not visible
      return history.error();
    }
    out.push_back(std::move(history).value());
  }
  return out;
}

}  // namespace stream::service
