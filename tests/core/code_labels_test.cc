#include <gtest/gtest.h>

#include <string>

#include "core/schema.h"

namespace stream {
namespace {

// Every code a form, codebook or export shows has a human label.
TEST(CodeLabels, EveryCodeOfEveryKindHasALabel) {
  auto check = [](const KindSpec& kind) {
    for (const auto& f : kind.fields) {
      for (auto code : f.codes) {
        EXPECT_FALSE(CodeLabel(code).empty())
            << kind.name << "." << f.name << " code '" << code << "' has no label";
      }
    }
  };
  check(PatientKind());
  for (const auto& kind : RecordKinds()) check(kind);
}

TEST(CodeLabels, LabelsReadAsAClinicianWritesThem) {
  EXPECT_EQ(CodeLabel("cr"), "Complete remission (CR)");
  EXPECT_EQ(CodeLabel("t_8_21"), "t(8;21)(q22;q22.1) RUNX1::RUNX1T1");
  EXPECT_EQ(CodeLabel("cns3"), "CNS3: ≥ 5 WBC/µL with blasts, cranial nerve palsy or CNS mass");
  EXPECT_EQ(CodeLabel("minus_80"), "−80 °C freezer");
}

TEST(CodeLabels, AStringThatIsNoCodeHasNoLabel) {
  EXPECT_EQ(CodeLabel("complete_remission"), "");
  EXPECT_EQ(CodeLabel(""), "");
  EXPECT_EQ(CodeLabel("CR"), "");  // codes are lower case
}

}  // namespace
}  // namespace stream
