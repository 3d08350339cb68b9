// RegistryService: the registry's use cases — sites, patients and clinical records —
// each run in one transaction that also writes its audit rows.
//
// Site isolation (reliability promise 2) is enforced here: an actor bound to a site
// gets kNotFound for another site's patient or record, exactly as for a missing one,
// and listings never include foreign rows. Every change is validated against the data
// model and against the patient's history (no event before diagnosis or after death)
// and leaves nothing written when it fails. Thread-safe if the Store is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/patient_history.h"
#include "core/record.h"
#include "core/result.h"
#include "core/store.h"
#include "service/actor.h"
#include "service/identity_vault.h"

namespace stream::service {

// One row of a bulk import: its line in the source file and its values in field order.
// For clinical kinds `patient` names the patient by pseudonym.
struct ImportRow {
  int line = 0;
  std::string patient;
  std::vector<Value> values;
};

struct ImportBatch {
  std::vector<ImportRow> rows;
  std::vector<int> column_of_field;  // 1-based column of each field in the source, 0 if absent
};

// A patient with their whole history, for bulk registration (the synthetic registry,
// migrations from other registries).
struct PatientBundle {
  std::vector<Value> patient;
  std::vector<std::pair<const KindSpec*, std::vector<Value>>> records;
  std::optional<Identity> identity;
};

struct ImportReport {
  int64_t imported = 0;
  std::vector<Error> errors;  // each names line, column and field; nothing is imported if any
};

class RegistryService {
 public:
  RegistryService(Store& store, const Clock& clock, const IdentityVault* vault)
      : store_(store), clock_(clock), vault_(vault) {}

  Result<Site> AddSite(const Actor& actor, Site site);
  Result<std::vector<Site>> ListSites(const Actor& actor);

  // Registers a patient; `identity`, when given, is sealed into the identity store.
  Result<Record> AddPatient(const Actor& actor, std::vector<Value> values,
                            const std::optional<Identity>& identity = std::nullopt);
  Result<Record> GetPatient(const Actor& actor, int64_t id);
  Result<Record> GetPatientByPseudonym(const Actor& actor, const std::string& pseudonym);
  Result<std::vector<Record>> ListPatients(const Actor& actor, RecordFilter filter);
  // Direct identifiers: central roles only.
  Result<Identity> GetIdentity(const Actor& actor, int64_t patient_id);

  Result<Record> AddRecord(const Actor& actor, const KindSpec& kind, int64_t patient_id,
                           std::vector<Value> values);
  // What AddRecord (AddPatient for PatientKind()) would refuse, with nothing written:
  // every FieldErrors problem of `fields` (unreadable fields as read), then, for a clinical
  // kind given `patient_id`, every HistoryConflicts problem with that patient's records,
  // or, for a patient, every problem of registering one (site, pseudonym, registration
  // date). Empty when the record would be stored. Needs kWriteRegistry; kNotFound for a
  // patient the actor may not see, exactly as AddRecord; kInvalidArgument for a
  // `patient_id` with the patient kind (a patient is checked as a new registration).
  Result<std::vector<Error>> CheckRecord(const Actor& actor, const KindSpec& kind,
                                         const std::vector<Result<Value>>& fields,
                                         std::optional<int64_t> patient_id);
  Result<Record> GetRecord(const Actor& actor, const KindSpec& kind, int64_t id);
  Result<std::vector<Record>> ListRecords(const Actor& actor, const KindSpec& kind,
                                          RecordFilter filter);
  // Changes after first entry need a reason (kReasonRequired) and the version read
  // (kConflict when someone changed the record meanwhile).
  Result<Record> UpdateRecord(const Actor& actor, const KindSpec& kind, int64_t id, int64_t version,
                              std::vector<Value> values, const std::string& reason);
  Result<Record> DeleteRecord(const Actor& actor, const KindSpec& kind, int64_t id, int64_t version,
                              const std::string& reason);

  // The patient's whole history as typed structs.
  Result<PatientHistory> GetHistory(const Actor& actor, int64_t patient_id);

  // Registers every bundle in one transaction, or none; returns the records written.
  Result<int64_t> RegisterPatients(const Actor& actor, const std::vector<PatientBundle>& bundles);

  // Imports every row or none (PatientKind() for patients).
  Result<ImportReport> Import(const Actor& actor, const KindSpec& kind, const ImportBatch& batch);

 private:
  Store& store_;
  const Clock& clock_;
  const IdentityVault* vault_;
};

}  // namespace stream::service
