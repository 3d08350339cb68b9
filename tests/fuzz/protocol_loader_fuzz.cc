// libFuzzer target: any byte string given to LoadProtocol must yield a checked Protocol or
// an error with its file:line:column, never a crash, hang, uncaught exception or sanitizer
// report; a loaded protocol is then screened and assigned for a small fixed patient,
// which must not fail either.
//   build/fuzz/bin/protocol_loader_fuzz -max_total_time=20 tests/fuzz/corpus/protocol
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/protocol.h"
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
        .Ecog(1)
        .Consent({"registry", "trial"});
    return b.Build();
  }();
  return kPatient;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = stream::protocol::LoadProtocol(text, "fuzz.yaml");
  if (!p.ok()) {
    // Every load error names the file and a position in it.
    if (p.error().where.rfind("fuzz.yaml:", 0) != 0) std::abort();
    return 0;
  }
  if (p->criteria.empty() || p->arms.empty()) std::abort();
  static const stream::rules::Attestations kAttestations = {
      {"fit_for_intensive_chemotherapy", true}};
  stream::rules::Evaluator evaluator;
  auto on = stream::testing::D("2024-01-15");
  auto s = stream::protocol::Screen(*p, Patient(), on, kAttestations, evaluator);
  if (!s.ok() || s->criteria.size() != p->criteria.size()) std::abort();
  auto a = stream::protocol::Assign(*p, Patient(), on, kAttestations, evaluator);
  if (!a.ok()) std::abort();
  if (a->assignment != nullptr && a->assignment->arm.empty() && !p->randomisation) std::abort();
  return 0;
}
