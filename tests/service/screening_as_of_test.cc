// Issue 13: screening reads the disease course on its date. A patient registered in first
// relapse who is in CR after a transplant is not eligible for a salvage trial today, was
// eligible before the CR, and every screening states the date it was made on.
#include <gtest/gtest.h>

#include "service/screening_service.h"
#include "support/registry_fixture.h"

namespace stream::service {
namespace {

using testing::RegistryFixture;

const KindSpec& Kind(const char* name) { return *FindKind(name); }

TEST(ScreeningAsOfTest, ScreeningOnADateReadsTheDiseaseStateOfThatDate) {
  RegistryFixture f;
  f.clock().Set(*Timestamp::Parse("2024-09-01T09:00:00.000Z"));
  auto catalogue = ProtocolCatalogue::Load(std::string(STREAM_SOURCE_DIR) + "/protocols");
  ASSERT_TRUE(catalogue.ok()) << catalogue.error().ToString();
  const Record p = f.AddAmlPatient("ASOF-1", "IT-FO-01");
  auto add = [&](const char* kind, std::initializer_list<std::pair<std::string_view, Value>> v) {
    auto r = f.registry().AddRecord(RegistryFixture::Central(), Kind(kind), p.id,
                                    MakeRecord(Kind(kind), v).values);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  };
  add("transplant", {{"transplant_date", *Date::Parse("2024-04-02")},
                     {"donor_type", std::string("matched_unrelated")},
                     {"stem_cell_source", std::string("peripheral_blood")},
                     {"conditioning", std::string("reduced_intensity")}});
  add("response", {{"assessment_date", *Date::Parse("2024-05-10")},
                   {"marrow_blasts", 1.0},
                   {"blood_blasts", 0.0},
                   {"extramedullary_disease", false},
                   {"anc", 1.9},
                   {"platelets", 160.0}});

  ScreeningService screening(f.registry(), *catalogue, f.clock());
  auto rr_aml = [](const PatientScreening& s) {
    for (const auto& protocol : s.protocols) {
      if (protocol.protocol_id != "impact-aml-rpct") continue;
      for (const auto& c : protocol.criteria)
        if (c.id == "rr_aml") return c.qualifies;
    }
    return rules::Verdict::kUnknown;
  };

  auto today = screening.ScreenPatient(RegistryFixture::Central(), p.id, {});
  ASSERT_TRUE(today.ok()) << today.error().ToString();
  EXPECT_EQ(today->on, *Date::Parse("2024-09-01"));
  EXPECT_EQ(rr_aml(*today), rules::Verdict::kNotMet) << "in CR after the transplant";

  auto before =
      screening.ScreenPatient(RegistryFixture::Central(), p.id, {}, *Date::Parse("2024-03-01"));
  ASSERT_TRUE(before.ok()) << before.error().ToString();
  EXPECT_EQ(before->on, *Date::Parse("2024-03-01"));
  EXPECT_EQ(rr_aml(*before), rules::Verdict::kMet) << "in first relapse before the CR";

  auto future =
      screening.ScreenPatient(RegistryFixture::Central(), p.id, {}, *Date::Parse("2024-09-02"));
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().where, "as_of");
}

}  // namespace
}  // namespace stream::service
