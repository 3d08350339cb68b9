// Exports of the registry (issue #5): every record of one kind the actor may see, with
// the patient named by pseudonym — or, for statisticians, by a per-study pseudonym, with
// the registry's internal ids removed. Site users export their own site only. Rendering
// as CSV or JSON is the caller's (interop); this decides what leaves the registry.
#pragma once

#include <string>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "core/schema.h"
#include "core/store.h"
#include "service/actor.h"
#include "service/study_pseudonyms.h"

namespace stream::service {

struct ExportTable {
  const KindSpec* kind = nullptr;
  std::vector<Record> records;
  std::vector<std::string> patients;  // per record: the pseudonym it is exported under
  bool pseudonymised = false;         // true: ids are zeroed and must not be rendered
  // Records left out because they are dated on or after the patient's withdrawal of
  // registry consent (core/consent_scope.h).
  int64_t withheld = 0;
  // Fields the actor may not see (core/schema.h, Audience): their columns are left out.
  std::vector<std::string_view> withheld_fields;
};

inline constexpr int64_t kMaxExportRows = 2'000'000;

// One patient's derived values on a date (docs/clinical-rules.md): the disease state with
// its date, MRD, transplant, vital status, ELN 2022 genetic risk, and how many response
// assessments the site categorised differently from STREAM.
struct DerivedRow {
  std::string patient;  // pseudonym (per-study for statisticians)
  std::string rules;    // aml_eln2022 | all_ibfm
  std::string disease_state, state_since, remission_date, mrd_status;
  bool mrd_relapse = false;
  std::string mrd_relapse_date, last_transplant, death_date;
  bool lost_to_follow_up = false;
  std::string eln2022_risk;  // favourable | intermediate | adverse | undecided | "" (not AML)
  int assessments_disagreeing = 0;
};

// Whether `actor` may export, and whether the export is under per-study pseudonyms:
// kPermissionDenied without kExport; kInvalidArgument ("study") for a statistician who
// names no study.
Result<bool> ExportPseudonymised(const Actor& actor, const std::string& study);

class ExportService {
 public:
  ExportService(Store& store, const StudyPseudonyms& pseudonyms)
      : store_(store), pseudonyms_(pseudonyms) {}

  // `study` keys statisticians' pseudonyms (a protocol id, or "registry").
  Result<ExportTable> Export(const Actor& actor, const KindSpec& kind, const std::string& study);

  // Every attestation of the patients the actor may see, with the patient's pseudonym
  // (per-study for statisticians), in patient then id order (service/derived_export.cc).
  Result<std::vector<std::pair<std::string, Attestation>>> ExportAttestations(
      const Actor& actor, const std::string& study);

  // Every visible patient's derived values as of `as_of` (service/derived_export.cc).
  Result<std::vector<DerivedRow>> ExportDerived(const Actor& actor, const std::string& study,
                                                Date as_of);

 private:
  Store& store_;
  const StudyPseudonyms& pseudonyms_;
};

}  // namespace stream::service
