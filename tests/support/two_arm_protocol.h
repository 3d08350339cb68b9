// The small randomised protocol the enrolment and API tests load: AML with trial consent, two arms,
// permuted blocks of 2 and 4. Append "  blinded: true\n" for a blinded trial.
#pragma once

namespace stream::testing {

inline constexpr char kTwoArmProtocol[] = R"yaml(
id: two-arm
title: Two-arm test trial
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
assignment:
  - id: randomised
    rule: "true"
    randomise: [std, exp]
randomisation:
  method: permuted_blocks
  ratio: {std: 1, exp: 1}
  block_sizes: [2, 4]
)yaml";

}  // namespace stream::testing
