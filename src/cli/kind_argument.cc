#include "cli/kind_argument.h"

namespace stream::cli {

Result<const KindSpec*> KindArgument(const std::string& name, bool allow_patient) {
  if (allow_patient && name == "patient") return &PatientKind();
  if (const KindSpec* kind = FindKind(name)) return kind;
  std::string names = allow_patient ? "patient" : "";
  for (const auto& k : RecordKinds()) names += (names.empty() ? "" : ", ") + std::string(k.name);
  return Fail(ErrorCode::kInvalidArgument, "unknown record kind '" + name + "'; one of " + names,
              "kind");
}

}  // namespace stream::cli
