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
};

inline constexpr int64_t kMaxExportRows = 2'000'000;

class ExportService {
 public:
  ExportService(Store& store, const StudyPseudonyms& pseudonyms)
      : store_(store), pseudonyms_(pseudonyms) {}

  // `study` keys statisticians' pseudonyms (a protocol id, or "registry").
  Result<ExportTable> Export(const Actor& actor, const KindSpec& kind, const std::string& study);

 private:
  Store& store_;
  const StudyPseudonyms& pseudonyms_;
};

}  // namespace stream::service
