// Endpoints as the protocol file defines them (docs/clinical-rules.md, "Endpoints"):
// origin, population, administrative censoring at the horizon, MRD relapse, and ALL
// responses by the I-BFM conventions. Hand-worked cases; each cites the rule it checks.
#include <gtest/gtest.h>

#include "clinical/endpoints.h"
#include "rules/scenario_patient.h"
#include "support/patient_builder.h"

namespace stream::clinical {
namespace {

using ::stream::testing::AddRecord;
using ::stream::testing::D;
using ::stream::testing::Words;

PatientHistory Patient(std::initializer_list<const char*> lines) {
  PatientHistory h = stream::testing::PatientBuilder().Born(1970, 1).Build();
  for (const char* line : lines) {
    const std::string error = AddRecord(h, Words(line));
    EXPECT_EQ(error, "") << line;
  }
  return h;
}

EndpointParameters From(const char* origin) {
  EndpointParameters p;
  p.start = D(origin);
  return p;
}

// The demo defect of IMPACT-AML: every record before the enrolment made EFS "time -1288".
// A patient not followed since the origin is left out, with the reason, never a negative
// time.
TEST(EndpointDefinitionTest, AFollowUpThatEndsBeforeTheOriginIsNeverANegativeTime) {
  const auto h = Patient({"diagnosis aml first_relapse 2020-06-01",
                          "line 2020-06-10 2020-10-01 cytarabine daunorubicin"});
  auto p = From("2024-03-01");
  p.landmark_days = 60;
  const auto efs = EventFreeSurvival(h, p);
  EXPECT_FALSE(efs.applicable);
  EXPECT_FALSE(efs.data_problem);
  EXPECT_EQ(efs.note, "no information after the origin");
  EXPECT_FALSE(OverallSurvival(h, p).applicable);
  // Followed on the day of enrolment: time 0, censored.
  const auto followed =
      Patient({"diagnosis aml first_relapse 2020-06-01", "follow_up 2024-03-01 alive"});
  const auto os = OverallSurvival(followed, p);
  ASSERT_TRUE(os.applicable);
  EXPECT_EQ(os.time, 0);
  EXPECT_EQ(os.event, 0);
}

TEST(EndpointDefinitionTest, AnEventBeforeTheOriginIsADataProblemNotANegativeTime) {
  const auto h = Patient({"diagnosis aml first_relapse 2020-06-01", "death 2024-02-10"});
  const auto os = OverallSurvival(h, From("2024-03-01"));
  EXPECT_FALSE(os.applicable);
  EXPECT_TRUE(os.data_problem);
  EXPECT_NE(os.note.find("2024-02-10"), std::string::npos) << os.note;
}

// Seed 001: "the whole period of the trial, up to 730 days": administrative censoring.
TEST(EndpointDefinitionTest, TheHorizonCensorsLaterEventsAtIt) {
  const auto h = Patient({"diagnosis aml first_relapse 2020-06-01", "death 2023-01-01"});
  auto p = From("2020-07-01");
  const auto open = OverallSurvival(h, p);
  EXPECT_EQ(open.event, 1);
  EXPECT_EQ(open.time, 914);
  p.horizon_days = 730;
  const auto capped = OverallSurvival(h, p);
  EXPECT_EQ(capped.event, 0);
  EXPECT_EQ(capped.time, 730);
}

// Seed 004 / domain.md: patients randomised in CR run RFS and CIR from randomisation; the
// old code looked for a remission after the origin and never found one.
TEST(EndpointDefinitionTest, RfsFromRandomisationForPatientsInRemissionAtTheOrigin) {
  const auto h =
      Patient({"registered 2022-11-05", "diagnosis aml first_relapse 2022-11-01",
               "transplant 2023-07-01 matched_unrelated unmanipulated cyclosporin_a",
               "response 2023-09-01 blasts=2 blood_blasts=0 emd=no anc=1.5 platelets=150",
               "relapse 2024-03-01 haematological"});
  auto p = From("2023-09-15");
  EXPECT_FALSE(RelapseFreeSurvival(h, p).applicable);  // no remission after the origin
  p.population = Population::kInRemissionAtOrigin;
  const auto rfs = RelapseFreeSurvival(h, p);
  ASSERT_TRUE(rfs.applicable) << rfs.note;
  EXPECT_EQ(rfs.time, 168);  // 2023-09-15 -> 2024-03-01
  EXPECT_EQ(rfs.event, 1);
  const auto cir = CumulativeIncidenceOfRelapse(h, p);
  EXPECT_EQ(cir.event, 1);
}

TEST(EndpointDefinitionTest, DeathWithoutRelapseCompetesInCirFromRandomisation) {
  const auto h =
      Patient({"registered 2022-11-05", "diagnosis aml first_relapse 2022-11-01",
               "response 2023-09-01 blasts=2 blood_blasts=0 emd=no anc=1.5 platelets=150",
               "death 2023-12-01"});
  auto p = From("2023-09-15");
  p.population = Population::kInRemissionAtOrigin;
  const auto cir = CumulativeIncidenceOfRelapse(h, p);
  ASSERT_TRUE(cir.applicable);
  EXPECT_EQ(cir.event, 2);
  EXPECT_EQ(cir.time, 77);
}

TEST(EndpointDefinitionTest, PatientsNotInRemissionAtTheOriginAreOutsideThatPopulation) {
  const auto h = Patient({"diagnosis aml first_relapse 2022-11-01"});
  auto p = From("2024-02-01");
  p.population = Population::kInRemissionAtOrigin;
  std::string why;
  EXPECT_FALSE(InPopulation(h, p, &why));
  EXPECT_NE(why.find("relapse"), std::string::npos) << why;
}

// Seed 001: EFS "only used to evaluate patients who have achieved CR".
TEST(EndpointDefinitionTest, EfsAmongThoseWhoReachedRemissionLeavesTheOthersOut) {
  const auto refractory =
      Patient({"diagnosis aml first_relapse 2022-11-01", "response 2024-03-01 blasts=40"});
  auto p = From("2024-02-01");
  EXPECT_EQ(EventFreeSurvival(refractory, p).time, 1);  // all: an event on day 1
  p.population = Population::kReachedRemission;
  EXPECT_FALSE(EventFreeSurvival(refractory, p).applicable);
}

// ELN 2022 lists MRD relapse apart from haematological relapse; seed 004 admits MRD-positive
// CR. Only a protocol that says so counts it as an event.
TEST(EndpointDefinitionTest, AnMrdRelapseEndsRemissionOnlyWhenTheProtocolSaysSo) {
  const auto h =
      Patient({"diagnosis aml first_relapse 2022-11-01",
               "response 2024-03-01 blasts=2 blood_blasts=0 emd=no anc=1.5 platelets=150",
               "relapse 2024-06-01 mrd", "follow_up 2024-09-01 alive"});
  auto p = From("2024-02-01");
  EXPECT_EQ(RelapseFreeSurvival(h, p).event, 0);
  p.mrd_relapse_is_event = true;
  const auto rfs = RelapseFreeSurvival(h, p);
  EXPECT_EQ(rfs.event, 1);
  EXPECT_EQ(rfs.time, 92);  // 2024-03-01 -> 2024-06-01
}

// A relapse the course derives from a marrow (blasts >= 5 % after CR) is an EFS event even
// without a relapse record (ELN 2022 table 7).
TEST(EndpointDefinitionTest, ARelapseSeenOnlyInTheMarrowIsAnEfsEvent) {
  const auto h =
      Patient({"diagnosis aml first_relapse 2022-11-01",
               "response 2024-03-01 blasts=2 blood_blasts=0 emd=no anc=1.5 platelets=150",
               "response 2024-08-01 blasts=22"});
  const auto efs = EventFreeSurvival(h, From("2024-02-01"));
  EXPECT_EQ(efs.event, 1);
  EXPECT_EQ(efs.time, 182);
}

// I-BFM: an M1 marrow is CR in childhood ALL without count recovery; under ELN 2022 the
// missing counts made 26 of 28 demo IntReALL patients an EFS event on day 1.
TEST(EndpointDefinitionTest, AllResponsesFollowTheIbfmConventions) {
  auto h = Patient({"diagnosis all first_relapse 2022-11-01 b_cell",
                    "response 2024-03-01 blasts=1 cns=cns1", "follow_up 2024-09-01 alive"});
  h.birth_year = 2014;
  auto p = From("2024-02-01");
  p.landmark_days = 35;
  const auto efs = EventFreeSurvival(h, p);
  EXPECT_EQ(efs.event, 0) << efs.note;
  EXPECT_TRUE(BestResponseOf(h, p).remission_date.has_value());
}

}  // namespace
}  // namespace stream::clinical
