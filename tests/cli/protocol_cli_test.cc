// stream protocol check|list and stream screen, black-box on a real folder.
#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace stream {
namespace {

using testing::CommandOutput;
using testing::RunCommand;
using testing::StreamBinary;
using testing::TempDir;

std::string Protocols() { return std::string(STREAM_SOURCE_DIR) + "/protocols"; }

class ProtocolCliTest : public ::testing::Test {
 protected:
  CommandOutput Stream(const std::string& args) {
    return RunCommand(StreamBinary() + " --data " + dir_.path() + " " + args + " 2>&1");
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.File(name)) << text;
    return dir_.File(name);
  }

  TempDir dir_;
};

TEST_F(ProtocolCliTest, ChecksEveryShippedFile) {
  for (const char* file :
       {"rr-aml-platform", "impact-aml-rpct", "intreall-2020", "hem-ismart", "nct03597321"}) {
    auto out = Stream("protocol check " + Protocols() + "/" + file + ".yaml");
    EXPECT_EQ(out.exit_code, 0) << out.out;
    EXPECT_NE(out.out.find(": ok"), std::string::npos) << out.out;
  }
}

TEST_F(ProtocolCliTest, ReportsProblemsWithFileLineColumn) {
  std::string file = Write("bad.yaml", R"(id: bad
title: Bad
version: "1"
criteria:
  inclusion:
    - id: adult
      wording: Adult
      rule: age >= 18
arms:
  - id: a
    name: A
  - id: b
    name: B
assignment:
  - id: all
    rule: "true"
    randomise: [a, b]
randomisation:
  method: permuted_blocks
  ratio: {a: 1, c: 1}
  block_sizes: [2]
)");
  auto out = Stream("protocol check " + file);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.out.find("bad.yaml:20:17: 'ratio' names arm 'c'"), std::string::npos) << out.out;
  out = Stream("protocol check " + dir_.File("missing.yaml"));
  EXPECT_NE(out.exit_code, 0);
}

TEST_F(ProtocolCliTest, ListsTheShippedProtocols) {
  auto out = Stream("protocol list --dir " + Protocols());
  ASSERT_EQ(out.exit_code, 0) << out.out;
  for (const char* id :
       {"rr-aml-platform", "impact-aml-rpct", "intreall-2020", "hem-ismart", "nct03597321"}) {
    EXPECT_NE(out.out.find(id), std::string::npos) << id;
  }
  out = Stream("--protocols " + Protocols() + " protocol list --format json");
  EXPECT_NE(out.out.find("\"method\": \"permuted_blocks\""), std::string::npos) << out.out;
}

TEST_F(ProtocolCliTest, ScreensAPatientAndTheRegistry) {
  ASSERT_EQ(Stream("init").exit_code, 0);
  ASSERT_EQ(Stream("site add IT-FO-01 --name Meldola --country IT").exit_code, 0);
  auto out = Stream(
      "patient add '{\"pseudonym\":\"S-1\",\"site\":\"IT-FO-01\",\"sex\":\"male\","
      "\"birth_year\":1960,\"birth_month\":5,\"registered_on\":\"2024-03-01\"}'");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  for (std::string record :
       {"diagnosis '{\"patient\":\"S-1\",\"disease\":\"aml\",\"diagnosis_date\":\"2023-06-01\","
        "\"origin\":\"de_novo\",\"status_at_registration\":\"first_relapse\"}'",
        "variant '{\"patient\":\"S-1\",\"gene\":\"FLT3\",\"variant_type\":\"itd\",\"vaf\":30,"
        "\"method\":\"ngs\",\"sample_date\":\"2024-02-20\"}'",
        "consent '{\"patient\":\"S-1\",\"form_version\":\"1\",\"consent_date\":\"2024-03-01\","
        "\"scope\":[\"registry\",\"trial\"]}'"}) {
    out = Stream("record add " + record);
    ASSERT_EQ(out.exit_code, 0) << out.out;
  }
  out = Stream("--protocols " + Protocols() +
               " screen --patient S-1 --attest new_drug_trial_available=false");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  EXPECT_NE(out.out.find("rr-aml-platform: eligible -> arm arm1"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("missing: not attested by the site: fit_for_intensive_chemotherapy"),
            std::string::npos)
      << out.out;

  out = Stream("--protocols " + Protocols() + " screen --patient S-1 --format json");
  EXPECT_NE(out.out.find("\"state\": \"waiting\""), std::string::npos) << out.out;

  out = Stream("--protocols " + Protocols() + " screen --protocol rr-aml-platform");
  ASSERT_EQ(out.exit_code, 0) << out.out;
  EXPECT_NE(out.out.find("1 patient(s)"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("S-1"), std::string::npos) << out.out;
  out = Stream("--protocols " + Protocols() + " screen --protocol hem-ismart");
  EXPECT_NE(out.out.find("0 patient(s)"), std::string::npos) << out.out;

  EXPECT_EQ(Stream("--protocols " + Protocols() + " screen").exit_code, 2);
  EXPECT_NE(Stream("--protocols " + Protocols() + " screen --patient S-1 --attest fit").exit_code,
            0);
  EXPECT_NE(Stream("--protocols " + Protocols() + " screen --protocol nope").exit_code, 0);
}

}  // namespace
}  // namespace stream
