#include "service/registry_dashboard.h"

#include <algorithm>
#include <map>

#include "clinical/endpoints.h"
#include "service/access_policy.h"
#include "service/history_batch.h"
#include "service/patient_status.h"
#include "service/transaction_runner.h"

namespace stream::service {
namespace {

constexpr char kNotRecorded[] = "not_recorded";

std::vector<CategoryCount> Ranked(const std::map<std::string, int64_t>& counts) {
  std::vector<CategoryCount> out;
  for (const auto& [category, n] : counts) out.push_back({category, n});
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.patients > b.patients; });
  return out;
}

std::string ResponseLabel(const ResponseAssessment& a) {
  using C = clinical::ResponseCategory;
  const auto category = clinical::AssessedCategory(a, {});
  if (!category) return a.eln2022_category.value_or("assessed");
  switch (*category) {
    case C::kCr:
      return "CR";
    case C::kCrh:
      return "CRh";
    case C::kCri:
      return "CRi";
    case C::kMlfs:
      return "MLFS";
    case C::kPr:
      return "PR";
    case C::kNoResponse:
      return "NR";
    case C::kNonEvaluable:
      return "NE";
    case C::kUndetermined:
      break;
  }
  return a.eln2022_category.value_or("undetermined");
}

Swimmer SwimmerOf(const PatientHistory& h) {
  Swimmer s;
  s.patient_id = h.id;
  s.pseudonym = h.pseudonym;
  s.site = h.site;
  s.disease = h.diagnoses.empty() ? kNotRecorded : h.diagnoses.front().disease;
  s.start = h.diagnoses.empty() ? h.registered_on : h.diagnoses.front().diagnosis_date;
  const VitalStatus vital = VitalStatusOf(h);
  s.status = std::string(ToString(vital));
  for (const auto& l : h.treatment_lines)
    s.lines.push_back({l.line_number, l.regimen, l.start_date, l.end_date});
  for (const auto& t : h.transplants)
    s.events.push_back(
        {t.transplant_date, "transplant", t.donor_type == "autologous" ? "auto" : "allo"});
  for (const auto& d : h.dlis) s.events.push_back({d.infusion_date, "dli", "DLI"});
  for (const auto& r : h.responses)
    s.events.push_back({r.assessment_date, "response", ResponseLabel(r)});
  for (const auto& r : h.relapses) s.events.push_back({r.relapse_date, "relapse", r.relapse_type});
  for (const auto& d : h.deaths) s.events.push_back({d.death_date, "death", d.cause});
  std::stable_sort(s.events.begin(), s.events.end(),
                   [](const auto& a, const auto& b) { return a.date < b.date; });
  if (!h.deaths.empty()) {
    s.end = h.deaths.front().death_date;
  } else {
    // The last information, or anything recorded later (a line's end, a DLI).
    s.end = clinical::LastInformation(h, std::nullopt);
    for (const auto& l : s.lines) s.end = std::max(s.end, l.end.value_or(l.start));
    for (const auto& e : s.events) s.end = std::max(s.end, e.date);
  }
  s.end = std::max(s.end, s.start);
  return s;
}

}  // namespace

Result<RegistryDashboard> BuildRegistryDashboard(
    Store& store, const Actor& actor, int recent,
    const std::function<std::string(const std::string&)>& study_pseudonym) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadRegistry));
  if (recent < 1 || recent > kMaxRecentPatients) {
    return Fail(ErrorCode::kInvalidArgument, "must be 1 to " + std::to_string(kMaxRecentPatients),
                "recent");
  }
  STREAM_ASSIGN_OR_RETURN(auto registry, RunInTransaction<std::vector<PatientHistory>>(
                                             store, TransactionMode::kRead, [&](Transaction& tx) {
                                               return LoadVisibleHistories(tx, actor);
                                             }));
  RegistryDashboard out;
  out.patients = static_cast<int64_t>(registry.size());
  std::map<std::string, int64_t> disease, site, disease_status;
  std::map<VitalStatus, int64_t> vital;
  for (const auto& h : registry) {
    const Diagnosis* dx = h.diagnoses.empty() ? nullptr : &h.diagnoses.front();
    ++disease[dx ? dx->disease : kNotRecorded];
    ++disease_status[dx ? dx->status_at_registration : kNotRecorded];
    ++site[h.site];
    ++vital[VitalStatusOf(h)];
  }
  out.by_disease = Ranked(disease);
  out.by_site = Ranked(site);
  out.by_disease_status = Ranked(disease_status);
  for (auto v : {VitalStatus::kAlive, VitalStatus::kDead, VitalStatus::kLostToFollowUp})
    out.by_status.push_back({std::string(ToString(v)), vital[v]});

  std::vector<const PatientHistory*> latest;
  for (const auto& h : registry) latest.push_back(&h);
  const auto newest_first = [](const PatientHistory* a, const PatientHistory* b) {
    return a->registered_on != b->registered_on ? a->registered_on > b->registered_on
                                                : a->id > b->id;
  };
  const size_t n = std::min(latest.size(), static_cast<size_t>(recent));
  std::partial_sort(latest.begin(), latest.begin() + static_cast<std::ptrdiff_t>(n), latest.end(),
                    newest_first);
  out.pseudonymised = SeesStudyPseudonyms(actor.role);
  for (size_t i = 0; i < n; ++i) {
    Swimmer s = SwimmerOf(*latest[i]);
    if (out.pseudonymised) {
      s.patient_id = 0;
      s.pseudonym = study_pseudonym(s.pseudonym);
    }
    out.swimmers.push_back(std::move(s));
  }
  return out;
}

}  // namespace stream::service
