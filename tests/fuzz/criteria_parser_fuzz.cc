// libFuzzer target: any byte string given to Compile must yield a criterion or an error
// with a position, never a crash, hang or sanitizer report; a compiled criterion is then
// evaluated against a small fixed patient, which must not fail either (the default
// limits are the compile limits, so evaluation cannot exceed them).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rules/criteria.h"
#include "support/patient_builder.h"

namespace {

const stream::PatientHistory& Patient() {
  static const stream::PatientHistory kPatient = [] {
    stream::testing::PatientBuilder b;
    b.Diagnosis()
        .Karyotype({"normal"})
        .Variant("FLT3", "itd", 12)
        .Test("IDH1", "negative")
        .Line({"venetoclax", "azacitidine"}, "2023-06-01", "2023-09-01")
        .Transplant("matched_unrelated", "2023-10-01")
        .Ecog(1)
        .Response(stream::testing::CrAssessment("2023-12-01"))
        .Consent({"registry", "trial"});
    return b.Build();
  }();
  return kPatient;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  auto compiled = stream::rules::Compile(source);
  if (!compiled.ok()) {
    // Every compile error names its position.
    if (compiled.error().where.empty()) std::abort();
    return 0;
  }
  static const stream::rules::Attestations kAttestations = {{"not_pregnant", true}};
  stream::rules::Evaluator evaluator;
  auto result =
      evaluator.Evaluate(*compiled, Patient(), stream::testing::D("2024-01-15"), kAttestations);
  if (!result.ok()) std::abort();
  if (result->verdict == stream::rules::Verdict::kUnknown && result->missing.empty()) {
    std::abort();  // an unknown must say what is missing
  }
  return 0;
}
