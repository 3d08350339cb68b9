// A small trial with known outcomes for the dashboard tests: `dash-trial` (open) and
// `dash-blind` (the same, blinded), ten patients enrolled at two sites with deaths,
// remissions, a relapse, a loss to follow-up and a withdrawn consent, and five patients
// screened but not enrolled. Arms come from the real randomisation, so expectations are
// computed per arm from the allocation list.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "http/api_fixture.h"

namespace stream::testing {

inline constexpr char kDashTrial[] = R"yaml(
id: dash-trial
title: Dashboard test trial
version: "1.0"
criteria:
  inclusion:
    - id: aml
      wording: Acute myeloid leukaemia
      rule: disease == "aml"
    - id: consent
      wording: Written informed consent
      rule: consented("trial")
arms:
  - id: std
    name: Standard
  - id: exp
    name: Experimental
    cap: 40
assignment:
  - id: randomised
    rule: "true"
    randomise: [std, exp]
randomisation:
  method: permuted_blocks
  ratio: {std: 1, exp: 1}
  block_sizes: [2, 4]
endpoints:
  primary:
    - definition: os
      wording: Overall survival
  secondary:
    - definition: cir
      wording: Cumulative incidence of relapse
    - definition: crc_rate
      wording: Composite complete remission rate
      landmark_days: 60
    - definition: early_death_30
      wording: Death within 30 days
accrual: {target: 120, start: 2024-01-01, end: 2026-12-31}
)yaml";

// What each enrolled patient contributes, by pseudonym.
struct Expected {
  std::string site;
  bool os_applicable = true;
  bool died = false, relapsed = false, lost = false, withdrawn = false;
  bool crc_evaluable = false, crc = false;
  bool ed30_evaluable = false, ed30 = false;
};

class DashboardFixture : public ApiFixture {
 protected:
  void SetUp() override;

  // pseudonym -> arm, from the allocation list as the unblinded administrator reads it.
  std::map<std::string, std::string> Arms(const std::string& protocol);
  int64_t Add(const std::string& pseudonym, const std::string& site, const std::string& disease,
              bool consent);
  void AddRecord(int64_t patient, const std::string& kind,
                 std::initializer_list<std::pair<std::string_view, Value>> fields);

  std::string admin_;
  std::map<std::string, int64_t> ids_;        // every patient by pseudonym
  std::map<std::string, Expected> expected_;  // the enrolled ones
  std::vector<std::string> enrolled_;         // in enrolment order
};

}  // namespace stream::testing
