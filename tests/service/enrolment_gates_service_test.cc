// The gates before enrolment through the service (issue #23) and eligibility evidence and
// arm state (issue #13.5, #13.6), on a real SQLite registry (the concurrent case on
// PostgreSQL too when it runs): a dead patient is not randomised, two exclusive trials
// never hold the same patient, sites must be active, each enrolment keeps its version,
// attestations become records, and a blinded reader never learns which arm is full.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "service/enrolment_service.h"
#include "service/protocol_catalogue.h"
#include "service/screening_service.h"
#include "service/site_activation_service.h"
#include "support/registry_fixture.h"
#include "support/trial_fixture.h"

namespace stream::service {
namespace {

using testing::kSecret;
using testing::Register;
using testing::RegistryFixture;
using testing::Request;
using testing::TestProtocol;

constexpr char kOtherTrial[] = R"yaml(
id: other-trial
title: A competing salvage trial
version: "1.0"
criteria:
  inclusion:
    - id: aml
      wording: AML
      rule: disease == "aml"
arms:
  - id: only
    name: The one arm
assignment:
  - id: all
    rule: "true"
    arm: only
co_enrolment:
  excludes: [test-trial]
  washout_days: 30
)yaml";

Actor DataManager() { return Actor{"dm", "data_manager", "", "r-dm"}; }

std::vector<AuditEntry> Attempts(RegistryFixture& f) {
  auto tx = f.store().Begin(TransactionMode::kRead);
  AuditFilter filter;
  filter.entity = "enrolment_attempt";
  return *(*tx)->ListAudit(filter);
}

// An enrolment request into test-trial that finds every loaded version in `catalogue`.
EnrolmentRequest VersionedRequest(const ProtocolCatalogue& catalogue, int64_t id,
                                  const std::string& key) {
  EnrolmentRequest r = Request(id, key);
  r.find_version = [&catalogue](const std::string& v) {
    return catalogue.FindVersion("test-trial", v);
  };
  return r;
}

// The catalogue makes the exclusion mutual: test-trial excludes other-trial too.
ProtocolCatalogue Catalogue() {
  auto other = protocol::LoadProtocol(kOtherTrial, "other-trial.yaml");
  EXPECT_TRUE(other.ok()) << other.error().ToString();
  auto c = ProtocolCatalogue::FromProtocols(
      {{"test-trial.yaml", TestProtocol(protocol::RandomisationMethod::kPermutedBlocks)},
       {"other-trial.yaml", *other}});
  EXPECT_TRUE(c.ok()) << c.error().ToString();
  return std::move(*c);
}

TEST(EnrolmentGatesServiceTest, ADeadPatientIsRefusedNamingTheDeathAndTheAttemptIsAudited) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  const auto protocol = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  const auto ids = Register(f, 1, "D-");
  ASSERT_TRUE(f.registry()
                  .AddRecord(RegistryFixture::Central(), *FindKind("death"), ids[0],
                             {*Date::Parse("2026-11-18"), std::string("leukaemia")})
                  .ok());
  auto out = service.Enrol(RegistryFixture::Central(), protocol, Request(ids[0], "dead-1"));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->status, EnrolmentStatus::kRefused);
  EXPECT_EQ(out->reasons, (std::vector<std::string>{
                              "the patient died on 2026-11-18 (death record of 2026-11-18, cause "
                              "leukaemia)"}));
  auto tx = f.store().Begin(TransactionMode::kRead);
  EXPECT_TRUE((*(*tx)->ListEnrolments("test-trial")).empty()) << "no allocation consumed";
  EXPECT_EQ(*(*tx)->LastSequencePosition("test-trial", "age_group=>=60"), 0);
  EXPECT_EQ(*(*tx)->LastSequencePosition("test-trial", "age_group=<60"), 0);
  // The same key again is refused again: a refusal stores no enrolment a replay could find.
  auto again = service.Enrol(RegistryFixture::Central(), protocol, Request(ids[0], "dead-1"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, EnrolmentStatus::kRefused);
  const auto attempts = Attempts(f);
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].action, "refuse");
  EXPECT_EQ(attempts[0].actor, RegistryFixture::Central().username);
  EXPECT_EQ(attempts[0].patient_id, ids[0]);
  EXPECT_NE(attempts[0].new_value->find("protocol=test-trial; version=2.0"), std::string::npos);
  EXPECT_NE(attempts[0].new_value->find("the patient died on 2026-11-18"), std::string::npos);
}

TEST(EnrolmentGatesServiceTest, SitesMustBeActiveAndSuspensionStopsEnrolment) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  SiteActivationService sites(f.store(), f.clock());
  const auto catalogue = Catalogue();
  const auto& other = *catalogue.Find("other-trial");
  const auto ids = Register(f, 3, "S-");  // S-0 at site B, S-1 and S-2 at site A
  auto closed = service.Enrol(RegistryFixture::Central(), other,
                              EnrolmentRequest{"other-trial", ids[1], "s1", {}, {}});
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, EnrolmentStatus::kRefused);
  EXPECT_EQ(
      closed->reasons,
      (std::vector<std::string>{"other-trial at site " + std::string(RegistryFixture::kSiteA) +
                                " is not activated (no approval recorded): enrolment opens "
                                "when the site is activated"}));
  SiteActivationRequest activate{
      "other-trial", RegistryFixture::kSiteA, "active", *Date::Parse("2026-11-01"), "", "", ""};
  auto no_ref = sites.Change(RegistryFixture::Central(), catalogue, activate);
  ASSERT_FALSE(no_ref.ok());
  EXPECT_EQ(no_ref.error().where, "approval_reference");
  activate.approval_reference = "EC-2026-041";
  auto bad_version = activate;
  bad_version.protocol_version = "9.9";
  EXPECT_EQ(sites.Change(RegistryFixture::Central(), catalogue, bad_version).error().where,
            "protocol_version");
  auto by_investigator =
      sites.Change(RegistryFixture::AtSite(RegistryFixture::kSiteA), catalogue, activate);
  ASSERT_FALSE(by_investigator.ok());
  ASSERT_TRUE(sites.Change(RegistryFixture::Central(), catalogue, activate).ok());
  auto open = service.Enrol(RegistryFixture::Central(), other,
                            EnrolmentRequest{"other-trial", ids[1], "s1b", {}, {}});
  ASSERT_EQ(open->status, EnrolmentStatus::kEnrolled);
  EXPECT_EQ(open->enrolment.protocol_version, "1.0");
  // Site B was never activated; site A is suspended from today.
  auto b = service.Enrol(RegistryFixture::Central(), other,
                         EnrolmentRequest{"other-trial", ids[0], "s0", {}, {}});
  EXPECT_EQ(b->status, EnrolmentStatus::kRefused);
  ASSERT_TRUE(sites
                  .Change(RegistryFixture::Central(), catalogue,
                          {"other-trial", RegistryFixture::kSiteA, "suspended",
                           *Date::Parse("2026-11-21"), "", "", "drug supply interrupted"})
                  .ok());
  auto suspended = service.Enrol(RegistryFixture::Central(), other,
                                 EnrolmentRequest{"other-trial", ids[2], "s2", {}, {}});
  EXPECT_EQ(suspended->status, EnrolmentStatus::kRefused);
  EXPECT_EQ(
      suspended->reasons,
      (std::vector<std::string>{"other-trial at site " + std::string(RegistryFixture::kSiteA) +
                                " is suspended since 2026-11-21 (drug supply interrupted)"}));
  auto status = sites.Recruitment(RegistryFixture::Central(), catalogue, "other-trial");
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(status->active_sites, 0);
  ASSERT_EQ(status->sites.size(), 2u);
  for (const auto& s : status->sites) {
    if (s.site != RegistryFixture::kSiteA) continue;
    EXPECT_EQ(s.standing.state, protocol::SiteState::kSuspended);
    EXPECT_EQ(s.standing.approval_reference, "EC-2026-041");
    EXPECT_EQ(s.enrolled, 1);
  }
}

TEST(EnrolmentGatesServiceTest, ExclusiveTrialsNeverHoldThePatientTogetherUntilTheEnrolmentEnds) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  const auto catalogue = Catalogue();
  testing::ActivateSites(f, "other-trial", "1.0");
  const auto ids = Register(f, 2, "C-");  // C-1 at site A
  const auto& test = *catalogue.Find("test-trial");
  const auto& other = *catalogue.Find("other-trial");
  auto first = service.Enrol(RegistryFixture::Central(), test, Request(ids[1], "c-test"));
  ASSERT_EQ(first->status, EnrolmentStatus::kEnrolled);
  // Mutual: test-trial does not declare the rule, other-trial does.
  auto second = service.Enrol(RegistryFixture::Central(), other,
                              EnrolmentRequest{"other-trial", ids[1], "c-other", {}, {}});
  ASSERT_EQ(second->status, EnrolmentStatus::kRefused);
  ASSERT_EQ(second->reasons.size(), 1u);
  EXPECT_NE(second->reasons[0].find("enrolled in test-trial (enrolment " +
                                    std::to_string(first->enrolment.id)),
            std::string::npos)
      << second->reasons[0];
  // Screening explains the refusal; data entry staff, who may not read allocations, are
  // told only that another enrolment blocks.
  ScreeningService screening(f.registry(), catalogue, f.clock(), &service);
  for (const auto& [actor, expected] : std::vector<std::pair<Actor, std::string>>{
           {RegistryFixture::Central(), "the patient is enrolled in test-trial (enrolment "},
           {Actor{"de", "data_entry", RegistryFixture::kSiteA, ""},
            "the patient is enrolled in another protocol, which other-trial excludes"}}) {
    auto screened = screening.ScreenPatient(actor, ids[1], {});
    ASSERT_TRUE(screened.ok()) << screened.error().ToString();
    for (const auto& p : screened->protocols) {
      if (p.protocol_id != "other-trial") continue;
      ASSERT_EQ(p.refusals.size(), 1u) << actor.role;
      EXPECT_EQ(p.refusals[0].rfind(expected, 0), 0u) << p.refusals[0];
    }
  }
  // Ending the enrolment frees the patient after other-trial's 30-day washout.
  EXPECT_EQ(service
                .EndEnrolment(RegistryFixture::Central(), test,
                              {ids[1], *Date::Parse("2026-11-20"), "retired", ""})
                .error()
                .where,
            "reason");
  EXPECT_EQ(service
                .EndEnrolment(RegistryFixture::Central(), test,
                              {ids[1], *Date::Parse("2026-12-01"), "completed", ""})
                .error()
                .where,
            "off_study_date");
  auto ended = service.EndEnrolment(RegistryFixture::Central(), test,
                                    {ids[1], *Date::Parse("2026-11-21"), "progression", ""});
  ASSERT_TRUE(ended.ok()) << ended.error().ToString();
  EXPECT_EQ(ended->off_study_reason, "progression");
  EXPECT_EQ(service
                .EndEnrolment(RegistryFixture::Central(), test,
                              {ids[1], *Date::Parse("2026-11-21"), "progression", ""})
                .error()
                .code,
            ErrorCode::kConflict);
  auto washout = service.Enrol(RegistryFixture::Central(), other,
                               EnrolmentRequest{"other-trial", ids[1], "c-other-3", {}, {}});
  ASSERT_EQ(washout->status, EnrolmentStatus::kRefused);
  EXPECT_NE(washout->reasons[0].find("until 2026-12-21"), std::string::npos) << washout->reasons[0];
  f.clock().Set(*Timestamp::Parse("2026-12-21T09:00:00.000Z"));
  auto after = service.Enrol(RegistryFixture::Central(), other,
                             EnrolmentRequest{"other-trial", ids[1], "c-other-4", {}, {}});
  EXPECT_EQ(after->status, EnrolmentStatus::kEnrolled);
}

TEST(EnrolmentGatesServiceTest, ConcurrentRequestsIntoExclusiveTrialsEnrolThePatientOnce) {
  for (const auto& backend : testing::BackendNames()) {
    SCOPED_TRACE(backend);
    if (backend == "postgres" && !testing::PostgresUnavailableReason().empty()) continue;
    RegistryFixture f(backend);
    EnrolmentService service(f.store(), f.clock(), kSecret);
    const auto catalogue = Catalogue();
    testing::ActivateSites(f, "other-trial", "1.0");
    const auto ids = Register(f, 2, "K-");
    std::atomic<int> enrolled{0}, errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        const bool test = t % 2 == 0;
        const auto& p = *catalogue.Find(test ? "test-trial" : "other-trial");
        EnrolmentRequest r{p.id, ids[1], "race-" + std::to_string(t), {}, {}};
        if (test) r.attestations = {{"not_pregnant", true}};
        auto out = service.Enrol(RegistryFixture::Central(), p, r);
        if (!out.ok()) ++errors;
        if (out.ok() && out->status == EnrolmentStatus::kEnrolled) ++enrolled;
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(enrolled.load(), 1) << "one enrolment, in one of the two exclusive trials";
    auto tx = f.store().Begin(TransactionMode::kRead);
    EXPECT_EQ((*(*tx)->ListPatientEnrolments(ids[1])).size(), 1u);
  }
}

TEST(EnrolmentGatesServiceTest, EachEnrolmentKeepsTheVersionInForceAtItsSite) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  SiteActivationService sites(f.store(), f.clock());
  auto v1 = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  v1.version = "1.0";
  auto v2 = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  v2.operations.amendment = protocol::Amendment{"New consent form", true};
  auto catalogue = ProtocolCatalogue::FromProtocols({{"v2", v2}}, {{"v1", v1}});
  ASSERT_TRUE(catalogue.ok()) << catalogue.error().ToString();
  const auto ids = Register(f, 3, "V-");  // V-0 at site B; V-1, V-2 at site A
  // Site A approved 1.0 in 2025 and the amendment (2.0) from 2026-12-01; site B 2.0.
  for (const auto& [site, version, on] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {RegistryFixture::kSiteA, "1.0", "2025-01-01"},
           {RegistryFixture::kSiteA, "2.0", "2026-12-01"},
           {RegistryFixture::kSiteB, "2.0", "2026-01-01"}}) {
    auto a = sites.Change(
        RegistryFixture::Central(), *catalogue,
        {"test-trial", site, "active", *Date::Parse(on), version, "EC-" + version, ""});
    ASSERT_TRUE(a.ok()) << a.error().ToString();
  }
  const auto* current = catalogue->Find("test-trial");
  auto request = [&](int64_t id, const std::string& key) {
    return VersionedRequest(*catalogue, id, key);
  };
  auto a = service.Enrol(RegistryFixture::Central(), *current, request(ids[1], "v-a"));
  ASSERT_EQ(a->status, EnrolmentStatus::kEnrolled);
  EXPECT_EQ(a->enrolment.protocol_version, "1.0") << "site A has not approved 2.0 yet";
  auto b = service.Enrol(RegistryFixture::Central(), *current, request(ids[0], "v-b"));
  ASSERT_EQ(b->status, EnrolmentStatus::kEnrolled);
  EXPECT_EQ(b->enrolment.protocol_version, "2.0");
  // Without a way to find version 1.0, site A is refused rather than enrolled under 2.0.
  auto unknown = service.Enrol(RegistryFixture::Central(), *current, Request(ids[2], "v-c"));
  ASSERT_EQ(unknown->status, EnrolmentStatus::kRefused);
  EXPECT_NE(unknown->reasons[0].find("approved for version 1.0"), std::string::npos);
  // From the amendment's date, site A enrols under 2.0 and the 1.0 patient needs re-consent.
  f.clock().Set(*Timestamp::Parse("2026-12-02T09:00:00.000Z"));
  auto later = service.Enrol(RegistryFixture::Central(), *current, request(ids[2], "v-d"));
  ASSERT_EQ(later->status, EnrolmentStatus::kEnrolled);
  EXPECT_EQ(later->enrolment.protocol_version, "2.0");
  auto status = sites.Recruitment(RegistryFixture::Central(), *catalogue, "test-trial");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->enrolled_by_version, (std::map<std::string, int64_t>{{"1.0", 1}, {"2.0", 2}}));
  EXPECT_EQ(status->versions, (std::vector<std::string>{"1.0", "2.0"}));
  for (const auto& s : status->sites) {
    if (s.site == RegistryFixture::kSiteA) {
      EXPECT_EQ(s.standing.version, "2.0");
      EXPECT_EQ(s.reconsent_due, (std::vector<int64_t>{a->enrolment.id}));
    } else {
      EXPECT_TRUE(s.reconsent_due.empty());
    }
  }
}

// An amendment with a new consent form (seed 003's consent changes by amendment): new
// patients are enrolled under it only on that form, and a patient enrolled under the
// earlier version stays due to re-consent until they sign it.
TEST(EnrolmentGatesServiceTest, AnAmendedConsentFormIsRequiredAndSigningItEndsTheReconsent) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  SiteActivationService sites(f.store(), f.clock());
  auto v1 = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  v1.version = "1.0";
  auto v2 = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  v2.operations.amendment = protocol::Amendment{"Consent form 3.0", true, "3.0"};
  auto catalogue = ProtocolCatalogue::FromProtocols({{"v2", v2}}, {{"v1", v1}});
  ASSERT_TRUE(catalogue.ok()) << catalogue.error().ToString();
  const auto ids = Register(f, 3, "F-");  // F-1, F-2 at site A, on consent form 2.1
  for (const auto& [version, on] : std::vector<std::pair<std::string, std::string>>{
           {"1.0", "2025-01-01"}, {"2.0", "2026-12-01"}}) {
    ASSERT_TRUE(sites
                    .Change(RegistryFixture::Central(), *catalogue,
                            {"test-trial", RegistryFixture::kSiteA, "active", *Date::Parse(on),
                             version, "EC-" + version, ""})
                    .ok());
  }
  const auto* current = catalogue->Find("test-trial");
  auto request = [&](int64_t id, const std::string& key) {
    return VersionedRequest(*catalogue, id, key);
  };
  auto early = service.Enrol(RegistryFixture::Central(), *current, request(ids[1], "f-1"));
  ASSERT_EQ(early->status, EnrolmentStatus::kEnrolled);
  ASSERT_EQ(early->enrolment.protocol_version, "1.0");
  f.clock().Set(*Timestamp::Parse("2026-12-02T09:00:00.000Z"));
  auto refused = service.Enrol(RegistryFixture::Central(), *current, request(ids[2], "f-2"));
  ASSERT_EQ(refused->status, EnrolmentStatus::kRefused);
  EXPECT_EQ(refused->reasons[0],
            "version 2.0 of test-trial uses consent form 3.0; the patient's trial consent of "
            "2024-01-10 is on form 2.1");
  auto due = [&] {
    auto status = sites.Recruitment(RegistryFixture::Central(), *catalogue, "test-trial");
    EXPECT_TRUE(status.ok());
    std::vector<int64_t> out;
    for (const auto& s : status->sites)
      out.insert(out.end(), s.reconsent_due.begin(), s.reconsent_due.end());
    return out;
  };
  EXPECT_EQ(due(), (std::vector<int64_t>{early->enrolment.id}));
  const KindSpec& consent = *FindKind("consent");
  for (int64_t id : {ids[1], ids[2]}) {
    auto signed_form =
        f.registry().AddRecord(RegistryFixture::Central(), consent, id,
                               MakeRecord(consent, {{"form_version", std::string("3.0")},
                                                    {"consent_date", *Date::Parse("2026-12-02")},
                                                    {"scope", CodeSet{"registry", "trial"}}})
                                   .values);
    ASSERT_TRUE(signed_form.ok()) << signed_form.error().ToString();
  }
  EXPECT_TRUE(due().empty()) << "signing form 3.0 is the re-consent";
  auto later = service.Enrol(RegistryFixture::Central(), *current, request(ids[2], "f-3"));
  ASSERT_EQ(later->status, EnrolmentStatus::kEnrolled);
  EXPECT_EQ(later->enrolment.protocol_version, "2.0");
}

TEST(EnrolmentGatesServiceTest, AttestationsAreDatedAttributedRecordsThatExpire) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  auto protocol = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  protocol.operations.attestation_valid_days = 28;
  const auto ids = Register(f, 3, "A-");
  const Actor site_a{"ana", "investigator", RegistryFixture::kSiteA, ""};
  auto recorded = service.RecordAttestations(site_a, protocol, ids[1], {{"not_pregnant", true}});
  ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
  ASSERT_EQ(recorded->size(), 1u);
  EXPECT_EQ((*recorded)[0].attested_by, "ana");
  EXPECT_EQ((*recorded)[0].criterion, "pregnancy");
  EXPECT_EQ((*recorded)[0].protocol_version, "2.0");
  EXPECT_EQ((*recorded)[0].attested_on, *Date::Parse("2026-11-21"));
  // A week later the stored attestation decides the criterion without being ticked again.
  f.clock().Set(*Timestamp::Parse("2026-11-28T09:00:00.000Z"));
  auto enrolled = service.Enrol(site_a, protocol, EnrolmentRequest{"test-trial", ids[1], "a1", {}});
  ASSERT_TRUE(enrolled.ok());
  EXPECT_EQ(enrolled->status, EnrolmentStatus::kEnrolled);
  // An attestation older than 28 days no longer counts.
  ASSERT_TRUE(service.RecordAttestations(site_a, protocol, ids[2], {{"not_pregnant", true}}).ok());
  f.clock().Set(*Timestamp::Parse("2026-12-26T09:00:00.000Z"));
  auto expired = service.Enrol(site_a, protocol, EnrolmentRequest{"test-trial", ids[2], "a2", {}});
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->status, EnrolmentStatus::kRefused);
  EXPECT_NE(expired->reasons[0].find("not_pregnant"), std::string::npos) << expired->reasons[0];
  // Foreign patients read as missing; the audit trail names the facts.
  EXPECT_EQ(service.ListAttestations(site_a, ids[0]).error().code, ErrorCode::kNotFound);
  auto tx = f.store().Begin(TransactionMode::kRead);
  AuditFilter filter;
  filter.entity = "attestation";
  auto rows = *(*tx)->ListAudit(filter);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[0].new_value->find("not_pregnant=true (pregnancy)"), std::string::npos);
}

TEST(EnrolmentGatesServiceTest, ABlindedRoleIsNotToldWhichArmIsFullButScreeningShowsItToOthers) {
  RegistryFixture f;
  EnrolmentService service(f.store(), f.clock(), kSecret);
  auto protocol = TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  protocol.randomisation->blinded = true;
  auto catalogue = ProtocolCatalogue::FromProtocols({{"test-trial.yaml", protocol}});
  ASSERT_TRUE(catalogue.ok());
  const auto ids = Register(f, 5, "B-", "all");  // the pilot arm takes ALL, cap 3
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(
        service
            .Enrol(RegistryFixture::Central(), protocol, Request(ids[i], "b" + std::to_string(i)))
            ->status,
        EnrolmentStatus::kEnrolled);
  }
  auto blinded = service.Enrol(DataManager(), protocol, Request(ids[3], "b3"));
  ASSERT_TRUE(blinded.ok());
  ASSERT_EQ(blinded->status, EnrolmentStatus::kRefused);
  ASSERT_EQ(blinded->reasons.size(), 1u);
  EXPECT_EQ(blinded->reasons[0], kArmsUnavailableBlinded);
  EXPECT_EQ(blinded->reasons[0].find("pilot"), std::string::npos);
  EXPECT_EQ(blinded->reasons[0].find("full"), std::string::npos);
  for (const auto& a : Attempts(f)) {
    EXPECT_EQ(a.new_value->find("pilot"), std::string::npos) << "the audit trail does not leak";
  }
  // Screening: the arm shows as closed and full to a role that may know the arms ...
  ScreeningService screening(f.registry(), *catalogue, f.clock(), &service);
  auto open_view = screening.ScreenPatient(Actor{"admin", "administrator", "", ""}, ids[4], {});
  ASSERT_TRUE(open_view.ok()) << open_view.error().ToString();
  const auto& s = open_view->protocols[0];
  ASSERT_EQ(s.arms, (std::vector<std::string>{"pilot"}));
  EXPECT_EQ(s.arm_status[0], protocol::ArmStatus::kClosed);
  EXPECT_EQ(s.arm_notes[0], "full (3 patients)");
  EXPECT_EQ(s.version, "2.0");
  EXPECT_EQ(s.site_state, "active");
  // ... and, to a blinded role, only that the patient cannot be enrolled now.
  auto blind_view = screening.ScreenPatient(DataManager(), ids[4], {});
  ASSERT_TRUE(blind_view.ok());
  const auto& b = blind_view->protocols[0];
  EXPECT_EQ(b.arm_status[0], protocol::ArmStatus::kOpen);
  EXPECT_EQ(b.arm_notes[0], "");
  EXPECT_EQ(b.refusals, (std::vector<std::string>{kArmsUnavailableBlinded}));
}

}  // namespace
}  // namespace stream::service
