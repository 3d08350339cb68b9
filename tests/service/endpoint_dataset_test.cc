// Endpoint datasets from the registry: days from enrolment, events as ELN 2022 defines
// them, arms from the allocations, and site isolation.
#include "service/endpoint_dataset.h"

#include <gtest/gtest.h>

#include "support/trial_fixture.h"

namespace stream::service {
namespace {

using testing::RegistryFixture;

TEST(EndpointDatasetTest, DerivesOverallSurvivalAndRelapseIncidencePerEnrolledPatient) {
  RegistryFixture f;
  f.clock().Set(*Timestamp::Parse("2024-03-01T09:00:00.000Z"));
  EnrolmentService enrolment(f.store(), f.clock(), testing::kSecret);
  const auto protocol = testing::TestProtocol(protocol::RandomisationMethod::kPermutedBlocks);
  const auto ids = testing::Register(f, 3, "E-");  // E-0 at site B, E-1 and E-2 at site A
  for (size_t i = 0; i < ids.size(); ++i) {
    auto out = enrolment.Enrol(RegistryFixture::Central(), protocol,
                               testing::Request(ids[i], "e" + std::to_string(i)));
    ASSERT_EQ(out->status, EnrolmentStatus::kEnrolled);
  }
  f.clock().Set(*Timestamp::Parse("2025-01-01T09:00:00.000Z"));
  const KindSpec& death = *FindKind("death");
  const KindSpec& response = *FindKind("response");
  const KindSpec& relapse = *FindKind("relapse");
  const KindSpec& follow_up = *FindKind("follow_up");
  auto add = [&](int64_t id, const KindSpec& kind, Record r) {
    auto added = f.registry().AddRecord(RegistryFixture::Central(), kind, id, r.values);
    ASSERT_TRUE(added.ok()) << added.error().ToString();
  };
  add(ids[0], death,
      MakeRecord(death, {{"death_date", *Date::Parse("2024-04-10")},
                         {"cause", std::string("infection")}}));
  add(ids[1], response,
      MakeRecord(response, {{"assessment_date", *Date::Parse("2024-04-01")},
                            {"eln2022_category", std::string("cr")}}));
  add(ids[1], relapse,
      MakeRecord(relapse, {{"relapse_date", *Date::Parse("2024-09-01")},
                           {"relapse_type", std::string("haematological")}}));
  add(ids[2], follow_up,
      MakeRecord(follow_up, {{"contact_date", *Date::Parse("2024-12-01")},
                             {"vital_status", std::string("alive")}}));

  auto os = DeriveEndpointDataset(f.store(), RegistryFixture::Central(), "test-trial",
                                  EndpointKind::kOs, {});
  ASSERT_TRUE(os.ok()) << os.error().ToString();
  ASSERT_EQ(os->rows.size(), 3u);
  EXPECT_EQ(os->rows[0].time, 40);  // 2024-03-01 → 2024-04-10
  EXPECT_EQ(os->rows[0].event, 1);
  EXPECT_EQ(os->rows[2].time, 275);  // censored at last contact 2024-12-01
  EXPECT_EQ(os->rows[2].event, 0);
  EXPECT_FALSE(os->rows[1].arm.empty());

  auto cir = DeriveEndpointDataset(f.store(), RegistryFixture::Central(), "test-trial",
                                   EndpointKind::kCir, {});
  ASSERT_EQ(cir->rows.size(), 1u);
  EXPECT_EQ(cir->not_applicable, 2);
  EXPECT_EQ(cir->rows[0].time, 153);  // remission 2024-04-01 → relapse 2024-09-01
  EXPECT_EQ(cir->rows[0].event, 1);

  auto site_a = DeriveEndpointDataset(f.store(), RegistryFixture::AtSite(RegistryFixture::kSiteA),
                                      "test-trial", EndpointKind::kOs, {});
  EXPECT_EQ(site_a->rows.size(), 2u) << "site A sees only its own patients";
  EXPECT_FALSE(ParseEndpointKind("pfs").ok());
}

}  // namespace
}  // namespace stream::service
