#include "cli/demo_replay.h"

#include <algorithm>

#include "core/field_reader.h"
#include "service/enrolment_service.h"
#include "service/registry_service.h"
#include "service/site_activation_service.h"
#include "synthetic/demo_enrolment.h"

namespace stream::cli {
namespace {

constexpr int kBatch = 500;  // patients per transaction when entering today
constexpr int64_t kDayMs = 86'400'000;
constexpr uint64_t kOfferStream = 0x656e726f6c6d656eULL;  // keeps the offers off the data's draws

// The services' clock during the replay: set to each day in turn.
class ReplayClock : public Clock {
 public:
  explicit ReplayClock(Timestamp now) : now_(now) {}
  Timestamp Now() const override { return now_; }
  void Set(Timestamp now) { now_ = now; }

 private:
  Timestamp now_;
};

// The n-th minute of office hours on `day` (from 08:00), or the day's last minute.
Timestamp OnDay(Date day, int64_t n) {
  return Timestamp::FromMillis(day.days() * kDayMs + 8 * 3'600'000 +
                               std::min<int64_t>(n, 959) * 60'000);
}

struct Offer {
  size_t patient;  // index into the pool
  const protocol::Protocol* protocol;
  synthetic::EnrolmentPlan plan;
};

struct LaterRecord {
  std::string pseudonym;
  KindRecord record;
};

std::string PseudonymOf(const synthetic::SyntheticPatient& p) { return PseudonymOf(p.patient); }

service::PatientBundle Bundle(const synthetic::SyntheticPatient& p) {
  service::PatientBundle bundle{p.patient.values, {}, std::nullopt};
  for (const auto& r : p.records) bundle.records.emplace_back(r.kind, r.record.values);
  return bundle;
}

std::vector<Offer> Offers(const DemoReplay& replay,
                          const std::vector<synthetic::SyntheticPatient>& pool) {
  std::vector<Offer> offers;
  if (!replay.protocols) return offers;
  SeededRandom random(replay.seed ^ kOfferStream);
  for (size_t i = 0; i < pool.size(); ++i) {
    auto plan = synthetic::PlanEnrolment(pool[i], replay.now.date(), random);
    if (!plan) continue;
    const auto* protocol = replay.protocols->Find(plan->protocol_id);
    if (!protocol) continue;
    // A trial enrols only while it recruits: within its planned accrual, when it has one.
    const auto& accrual = protocol->accrual;
    if (accrual && (plan->date < accrual->start || accrual->end < plan->date)) continue;
    offers.push_back({i, protocol, std::move(*plan)});
  }
  std::stable_sort(offers.begin(), offers.end(),
                   [](const Offer& a, const Offer& b) { return a.plan.date < b.plan.date; });
  return offers;
}

Status AddSites(service::RegistryService& registry, const service::Actor& actor,
                const std::vector<Site>& sites) {
  STREAM_ASSIGN_OR_RETURN(auto existing, registry.ListSites(actor));
  for (const auto& site : sites) {
    const bool known = std::any_of(existing.begin(), existing.end(),
                                   [&](const Site& s) { return s.code == site.code; });
    if (known) continue;
    STREAM_ASSIGN_OR_RETURN(auto added, registry.AddSite(actor, site));
    (void)added;
  }
  return Ok();
}

// Every demo site opens every protocol (issue #23: enrolment needs an active site), from
// the protocol's planned accrual start, or the registry's first day.
Status ActivateSites(const DemoReplay& replay, const std::vector<Site>& sites, Date first,
                     const Clock& clock) {
  if (!replay.protocols) return Ok();
  service::SiteActivationService activation(replay.store, clock);
  for (const auto& entry : replay.protocols->protocols()) {
    const auto& p = entry->protocol;
    for (const auto& site : sites) {
      service::SiteActivationRequest r{
          p.id,      site.code,
          "active",  p.accrual ? std::min(first, p.accrual->start) : first,
          p.version, "demo approval " + p.id + "/" + site.code,
          ""};
      STREAM_ASSIGN_OR_RETURN(auto done, activation.Change(replay.actor, *replay.protocols, r));
      (void)done;
    }
  }
  return Ok();
}

}  // namespace

Result<DemoReplayReport> ReplayDemoRegistry(
    const DemoReplay& replay, const std::vector<Site>& sites, int patients,
    const std::function<synthetic::SyntheticPatient(int)>& generate, Progress& progress) {
  ReplayClock clock(replay.now);
  service::RegistryService registry(replay.store, clock, nullptr);
  service::EnrolmentService enrolment(replay.store, clock, replay.randomisation_key);
  const service::Actor& actor = replay.actor;
  DemoReplayReport report;

  std::vector<synthetic::SyntheticPatient> pool;
  for (int i = 0; i < std::min(patients, kTrialPool); ++i) pool.push_back(generate(i));
  const std::vector<Offer> offers = Offers(replay, pool);

  // The sites open on the registry's first day: five years ago, or the first enrolment.
  Date first = replay.now.date().AddDays(-1830);
  if (!offers.empty()) first = std::min(first, offers.front().plan.date);
  clock.Set(OnDay(first, 0));
  STREAM_RETURN_IF_ERROR(AddSites(registry, actor, sites));
  STREAM_RETURN_IF_ERROR(ActivateSites(replay, sites, first, clock));

  // Each offer on its day: the patient as on record then, screened and enrolled.
  std::vector<bool> entered(pool.size(), false);
  std::vector<LaterRecord> later;
  Date day = first;
  int64_t minute = 0;
  for (const auto& offer : offers) {
    const auto& p = pool[offer.patient];
    minute = offer.plan.date == day ? minute + 1 : 0;
    day = offer.plan.date;
    clock.Set(std::min(OnDay(day, minute), replay.now));
    service::PatientBundle bundle{p.patient.values, {}, std::nullopt};
    for (const auto& r : p.records) {
      if (synthetic::KnownOn(r, offer.plan.date)) {
        bundle.records.emplace_back(r.kind, r.record.values);
      } else {
        later.push_back({PseudonymOf(p), r});
      }
    }
    STREAM_ASSIGN_OR_RETURN(auto written, registry.RegisterPatients(actor, {bundle}));
    report.records += written;
    entered[offer.patient] = true;
    STREAM_ASSIGN_OR_RETURN(auto stored, registry.GetPatientByPseudonym(actor, PseudonymOf(p)));
    const service::EnrolmentRequest request{
        offer.protocol->id, stored.id, "demo:" + offer.protocol->id + ":" + PseudonymOf(p),
        rules::Attestations(offer.plan.attestations.begin(), offer.plan.attestations.end())};
    STREAM_ASSIGN_OR_RETURN(auto outcome, enrolment.Enrol(actor, *offer.protocol, request));
    const bool enrolled = outcome.status == service::EnrolmentStatus::kEnrolled;
    report.enrolled[offer.protocol->id] += enrolled ? 1 : 0;
    report.refused[offer.protocol->id] += enrolled ? 0 : 1;
  }

  // Today: every other patient, then what happened to the enrolled after their day.
  clock.Set(replay.now);
  std::vector<service::PatientBundle> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Ok();
    STREAM_ASSIGN_OR_RETURN(auto written, registry.RegisterPatients(actor, batch));
    report.records += written;
    batch.clear();
    return Ok();
  };
  for (int i = 0; i < patients; ++i) {
    const size_t at = static_cast<size_t>(i);
    if (at < pool.size()) {
      if (!entered[at]) batch.push_back(Bundle(pool[at]));
    } else {
      batch.push_back(Bundle(generate(i)));
    }
    if (static_cast<int>(batch.size()) >= kBatch) {
      STREAM_RETURN_IF_ERROR(flush());
      progress.Update(i + 1);
    }
  }
  STREAM_RETURN_IF_ERROR(flush());
  for (const auto& kind : RecordKinds()) {
    service::ImportBatch rows;
    for (const auto& r : later) {
      if (r.record.kind != &kind) continue;
      rows.rows.push_back(
          {static_cast<int>(rows.rows.size()) + 1, r.pseudonym, r.record.record.values});
    }
    if (rows.rows.empty()) continue;
    STREAM_ASSIGN_OR_RETURN(auto imported, registry.Import(actor, kind, rows));
    if (!imported.errors.empty()) return imported.errors.front();
    report.records += imported.imported;
  }
  progress.Update(patients);
  return report;
}

}  // namespace stream::cli
