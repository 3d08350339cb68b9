// ELN 2022 endpoint derivations. The myeloid data of R's survival package, with the
// endpoints derived in R as ../shared/refdata/README.md describes, must come out exactly
// (integer days: tolerance 0); hand-worked cases cover the landmark and the rates.
#include "clinical/endpoints.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/refdata.h"

namespace stream::clinical {
namespace {

const Date kStart = *Date::Parse("2000-01-01");

// One myeloid row as a registry history: CR entered on crtime, relapse on rltime, death
// or last contact on futime (all in days from randomisation).
PatientHistory FromMyeloid(double futime, bool died, double crtime, double rltime) {
  PatientHistory h;
  h.registered_on = kStart;
  if (!std::isnan(crtime)) {
    ResponseAssessment a;
    a.assessment_date = kStart.AddDays(static_cast<int64_t>(crtime));
    a.eln2022_category = "cr";
    h.responses.push_back(a);
  }
  if (!std::isnan(rltime))
    h.relapses.push_back({kStart.AddDays(static_cast<int64_t>(rltime)), "haematological"});
  const Date end = kStart.AddDays(static_cast<int64_t>(futime));
  if (died) h.deaths.push_back({end, "leukaemia"});
  h.follow_ups.push_back({end, died ? "dead" : "alive"});
  return h;
}

TEST(EndpointsTest, ReproducesTheMyeloidEndpointsDerivedInR) {
  const auto raw = testing::LoadDataset("myeloid");
  const auto expected = testing::LoadDataset("myeloid_endpoints");
  ASSERT_EQ(raw.rows, expected.rows);
  const auto futime = raw.Numbers("futime"), death = raw.Numbers("death"),
             crtime = raw.Numbers("crtime"), rltime = raw.Numbers("rltime");
  const auto os_time = expected.Numbers("os_time"), os_event = expected.Numbers("os_event");
  const auto efs_time = expected.Numbers("efs_time"), efs_event = expected.Numbers("efs_event");
  const auto rfs_time = expected.Numbers("rfs_time"), rfs_event = expected.Numbers("rfs_event");
  const auto cir_cause = expected.Numbers("relnrm_cause");
  EndpointParameters p;
  p.start = kStart;
  p.efs_censor_at_last_assessment = false;  // the R derivation censors at futime
  for (size_t i = 0; i < raw.rows; ++i) {
    const auto h = FromMyeloid(futime[i], death[i] == 1, crtime[i], rltime[i]);
    const auto os = OverallSurvival(h, p);
    EXPECT_EQ(os.time, os_time[i]) << "row " << i + 1;
    EXPECT_EQ(os.event, os_event[i]) << "row " << i + 1;
    const auto efs = EventFreeSurvival(h, p);
    EXPECT_EQ(efs.time, efs_time[i]) << "EFS row " << i + 1;
    EXPECT_EQ(efs.event, efs_event[i]) << "EFS row " << i + 1;
    const auto rfs = RelapseFreeSurvival(h, p);
    EXPECT_EQ(rfs.applicable, !std::isnan(rfs_time[i])) << "RFS row " << i + 1;
    if (rfs.applicable) {
      EXPECT_EQ(rfs.time, rfs_time[i]) << "RFS row " << i + 1;
      EXPECT_EQ(rfs.event, rfs_event[i]) << "RFS row " << i + 1;
      EXPECT_EQ(CumulativeIncidenceOfRelapse(h, p).event, cir_cause[i]) << "CIR row " << i + 1;
    }
  }
}

ResponseAssessment Assessment(const char* date, double blasts, double anc, double platelets,
                              std::optional<std::string> mrd = std::nullopt) {
  ResponseAssessment a;
  a.assessment_date = *Date::Parse(date);
  a.marrow_blasts = blasts;
  a.blood_blasts = 0;
  a.anc = anc;
  a.platelets = platelets;
  a.extramedullary_disease = false;
  a.marrow_cellularity = 40;
  a.mrd_status = mrd;
  return a;
}

TEST(EndpointsTest, ARemissionAfterTheLandmarkIsAnEfsEventOnDayOne) {
  PatientHistory h;
  h.registered_on = kStart;
  h.responses.push_back(Assessment("2000-03-15", 2, 1.5, 150));  // CR on day 74
  h.follow_ups.push_back({*Date::Parse("2001-01-01"), "alive"});
  EndpointParameters p;
  p.start = kStart;
  p.landmark_days = 56;
  auto efs = EventFreeSurvival(h, p);
  EXPECT_EQ(efs.time, 1);
  EXPECT_EQ(efs.event, 1);
  p.landmark_days = 90;
  efs = EventFreeSurvival(h, p);
  EXPECT_EQ(efs.event, 0);
  EXPECT_EQ(efs.time, 74) << "censored at the last assessment (ELN 2022)";
  EXPECT_FALSE(RelapseFreeSurvival(PatientHistory{}, p).applicable);
}

TEST(EndpointsTest, RatesCountCrhOnlyWhereTheProtocolReportsIt) {
  PatientHistory h;
  h.registered_on = kStart;
  h.responses.push_back(Assessment("2000-02-01", 3, 1.2, 60, "negative"));  // CRh: platelets 50-100
  EndpointParameters p;
  p.start = kStart;
  auto f = ResponseFlagsOf(h, p);
  EXPECT_TRUE(f.crh);
  EXPECT_TRUE(f.crc);
  EXPECT_TRUE(f.orr);
  EXPECT_TRUE(f.mrd_negative_cr);
  p.response.report_crh = false;
  f = ResponseFlagsOf(h, p);
  EXPECT_FALSE(f.crh);
  EXPECT_TRUE(f.cri) << "without CRh, recovery of neutrophils only is CRi";
  EXPECT_TRUE(f.crc);
}

TEST(EndpointsTest, EarlyDeathCountsDaysFromTheStartOfTreatment) {
  PatientHistory h;
  h.deaths.push_back({*Date::Parse("2000-02-15"), "infection"});
  EXPECT_FALSE(EarlyDeath(h, kStart, 30));
  EXPECT_TRUE(EarlyDeath(h, kStart, 60));
}

}  // namespace
}  // namespace stream::clinical
