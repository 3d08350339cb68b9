// Screening on a real SQLite registry: one patient against the shipped protocols, one
// protocol against the registry (paged), and site isolation.
#include "service/screening_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/registry_fixture.h"

namespace stream::service {
namespace {

using ::testing::ElementsAre;
using testing::RegistryFixture;

const KindSpec& Kind(const char* name) { return *FindKind(name); }

class ScreeningServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalogue = ProtocolCatalogue::Load(std::string(STREAM_SOURCE_DIR) + "/protocols");
    ASSERT_TRUE(catalogue.ok()) << catalogue.error().ToString();
    catalogue_ = std::make_unique<ProtocolCatalogue>(std::move(*catalogue));
  }

  void Add(int64_t patient, const char* kind,
           std::initializer_list<std::pair<std::string_view, Value>> fields) {
    auto r = f_.registry().AddRecord(RegistryFixture::Central(), Kind(kind), patient,
                                     MakeRecord(Kind(kind), fields).values);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }

  // An AML first relapse with trial consent and the given FLT3 / IDH1 findings.
  int64_t AmlPatient(const std::string& pseudonym, const char* site, bool flt3_itd) {
    Record p = f_.AddAmlPatient(pseudonym, site);
    Add(p.id, "consent",
        {{"form_version", std::string("1")},
         {"consent_date", *Date::Parse("2024-01-10")},
         {"scope", CodeSet{"registry", "trial"}}});
    Date sample = *Date::Parse("2024-01-05");
    if (flt3_itd) {
      Add(p.id, "variant",
          {{"gene", std::string("FLT3")},
           {"variant_type", std::string("itd")},
           {"vaf", 30.0},
           {"method", std::string("ngs")},
           {"sample_date", sample}});
    } else {
      Add(p.id, "gene_test",
          {{"gene", std::string("FLT3")},
           {"result", std::string("negative")},
           {"method", std::string("ngs")},
           {"sample_date", sample}});
    }
    return p.id;
  }

  const ProtocolScreening& Of(const PatientScreening& s, const std::string& id) {
    for (const auto& p : s.protocols) {
      if (p.protocol_id == id) return p;
    }
    throw std::runtime_error("no screening for " + id);
  }

  RegistryFixture f_;
  std::unique_ptr<ProtocolCatalogue> catalogue_;
};

TEST_F(ScreeningServiceTest, OnePatientAgainstEveryProtocol) {
  int64_t id = AmlPatient("P-FLT3", RegistryFixture::kSiteA, true);
  ScreeningService screening(f_.registry(), *catalogue_, f_.clock());
  auto s = screening.ScreenPatient(RegistryFixture::Central(), id, {});
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->pseudonym, "P-FLT3");
  EXPECT_EQ(s->protocols.size(), 5u);

  const ProtocolScreening& platform = Of(*s, "rr-aml-platform");
  EXPECT_EQ(platform.eligible, rules::Verdict::kMet);
  EXPECT_EQ(platform.assignment, AssignmentState::kWaiting);  // the new-drug question first
  EXPECT_THAT(platform.assignment_missing,
              ElementsAre("not attested by the site: new_drug_trial_available"));

  s = screening.ScreenPatient(RegistryFixture::Central(), id,
                              {{"new_drug_trial_available", false}});
  ASSERT_TRUE(s.ok());
  const ProtocolScreening& flt3 = Of(*s, "rr-aml-platform");
  EXPECT_EQ(flt3.assignment, AssignmentState::kArm);
  EXPECT_THAT(flt3.arms, ElementsAre("arm1"));
  EXPECT_EQ(flt3.assignment_entry, "flt3");

  // No target mutation, fit: randomised DAV / HAV, with the patient's strata.
  int64_t fit = AmlPatient("P-FIT", RegistryFixture::kSiteA, false);
  Add(fit, "gene_test",
      {{"gene", std::string("IDH1")},
       {"result", std::string("negative")},
       {"method", std::string("ngs")},
       {"sample_date", *Date::Parse("2024-01-05")}});
  auto r = screening.ScreenPatient(
      RegistryFixture::Central(), fit,
      {{"new_drug_trial_available", false}, {"fit_for_intensive_chemotherapy", true}});
  ASSERT_TRUE(r.ok());
  const ProtocolScreening& dav_hav = Of(*r, "rr-aml-platform");
  EXPECT_EQ(dav_hav.assignment, AssignmentState::kRandomise);
  EXPECT_THAT(dav_hav.arms, ElementsAre("arm3", "arm4"));
  ASSERT_EQ(dav_hav.factors.size(), 2u);
  EXPECT_EQ(dav_hav.factors[0].factor, "status");
  EXPECT_EQ(dav_hav.factors[0].level, "relapse");
  EXPECT_EQ(dav_hav.factors[1].level, "under_60");

  // IMPACT-AML: no prior line recorded, and fitness not attested.
  const ProtocolScreening& impact = Of(*s, "impact-aml-rpct");
  EXPECT_EQ(impact.eligible, rules::Verdict::kNotMet);
  for (const auto& c : impact.criteria) {
    if (c.id == "fit_for_intensive") {
      EXPECT_EQ(c.qualifies, rules::Verdict::kUnknown);
      EXPECT_THAT(c.missing,
                  ElementsAre("not attested by the site: fit_for_intensive_chemotherapy"));
    }
    if (c.id == "prior_lines") {
      EXPECT_EQ(c.qualifies, rules::Verdict::kNotMet);
    }
  }
  // Children's protocols: not eligible (born 1970).
  EXPECT_EQ(Of(*s, "hem-ismart").eligible, rules::Verdict::kNotMet);
  EXPECT_EQ(Of(*s, "hem-ismart").assignment, AssignmentState::kNone);
}

TEST_F(ScreeningServiceTest, SiteIsolationHolds) {
  int64_t id = AmlPatient("P-A", RegistryFixture::kSiteA, true);
  ScreeningService screening(f_.registry(), *catalogue_, f_.clock());
  auto s = screening.ScreenPatient(RegistryFixture::AtSite(RegistryFixture::kSiteB), id, {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(
      screening.ScreenPatient(RegistryFixture::AtSite(RegistryFixture::kSiteA), id, {}).ok());
}

TEST_F(ScreeningServiceTest, WhoCouldEnterPagesThroughTheRegistry) {
  for (int i = 0; i < 5; ++i) AmlPatient("A-" + std::to_string(i), RegistryFixture::kSiteA, i % 2);
  for (int i = 0; i < 3; ++i) AmlPatient("B-" + std::to_string(i), RegistryFixture::kSiteB, true);
  Record no_consent = f_.AddAmlPatient("A-nc", RegistryFixture::kSiteA);
  (void)no_consent;
  ScreeningService screening(f_.registry(), *catalogue_, f_.clock());

  auto all = screening.ScreenRegistry(RegistryFixture::Central(), "rr-aml-platform",
                                      VerdictFilter::kAll, 2);
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  EXPECT_EQ(all->size(), 9u);
  auto eligible = screening.ScreenRegistry(RegistryFixture::Central(), "rr-aml-platform",
                                           VerdictFilter::kEligible, 2);
  ASSERT_TRUE(eligible.ok());
  EXPECT_EQ(eligible->size(), 8u);  // all but the one without trial consent
  auto unknown = screening.ScreenRegistry(RegistryFixture::Central(), "rr-aml-platform",
                                          VerdictFilter::kUnknown);
  EXPECT_TRUE(unknown->empty());

  auto site_b = screening.ScreenRegistry(RegistryFixture::AtSite(RegistryFixture::kSiteB),
                                         "rr-aml-platform", VerdictFilter::kAll, 2);
  ASSERT_TRUE(site_b.ok());
  ASSERT_EQ(site_b->size(), 3u);
  for (const auto& p : *site_b) EXPECT_EQ(p.site, RegistryFixture::kSiteB);

  auto none = screening.ScreenRegistry(RegistryFixture::Central(), "no-such", VerdictFilter::kAll);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

TEST(ProtocolCatalogueTest, RejectsDuplicateIdsAndUnknownParents) {
  auto one = protocol::LoadProtocol(
      "id: sub\ntitle: t\nversion: \"1\"\npart_of: master\ncriteria:\n  inclusion:\n"
      "    - id: a\n      wording: w\n      rule: age > 1\narms:\n  - id: x\n    name: X\n"
      "assignment:\n  - id: all\n    rule: \"true\"\n    arm: x\n",
      "sub.yaml");
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  std::vector<CataloguedProtocol> list;
  list.push_back({"sub.yaml", *one});
  auto c = ProtocolCatalogue::FromProtocols(list);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error().ToString(), ::testing::HasSubstr("'part_of' names protocol 'master'"));
  list[0].protocol.part_of.clear();
  list.push_back({"copy.yaml", list[0].protocol});
  c = ProtocolCatalogue::FromProtocols(list);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error().ToString(), ::testing::HasSubstr("declared by two files"));
  EXPECT_FALSE(ProtocolCatalogue::Load("/no/such/dir").ok());
}

}  // namespace
}  // namespace stream::service
