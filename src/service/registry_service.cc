#include "service/registry_service.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/field_reader.h"
#include "core/validation.h"
#include "service/access_policy.h"
#include "service/audit_trail.h"
#include "service/field_visibility.h"
#include "service/history_checks.h"
#include "service/history_loader.h"
#include "service/record_trail.h"
#include "service/transaction_runner.h"

namespace stream::service {
namespace {

bool IsPatient(const KindSpec& kind) { return &kind == &PatientKind(); }

Error NotFound(const KindSpec& kind, int64_t id) {
  return Fail(ErrorCode::kNotFound,
              "no " + std::string(kind.name) + " with id " + std::to_string(id));
}

Status FirstError(const std::vector<Error>& errors) {
  if (errors.empty()) return Ok();
  return errors.front();
}

AuditEntry Entry(const Actor& actor, const Clock& clock, std::string entity, int64_t entity_id,
                 int64_t patient_id, std::string site, std::string action) {
  AuditEntry e;
  e.at = clock.Now();
  e.actor = actor.username;
  e.site = std::move(site);
  e.entity = std::move(entity);
  e.entity_id = entity_id;
  e.patient_id = patient_id;
  e.action = std::move(action);
  e.request_id = actor.request_id;
  return e;
}

// The audit row of a patient's sealed identity (`stream audit verify` matches identities
// to these rows).
AuditEntry IdentityEntry(const Actor& actor, const Clock& clock, const Record& patient) {
  AuditEntry e = Entry(actor, clock, "identity", patient.id, patient.id, SiteOf(patient), "create");
  e.new_value = "sealed";
  return e;
}

// Loads the patient and checks the actor may see it; foreign = missing.
Result<Record> VisiblePatient(Transaction& tx, const Actor& actor, int64_t id) {
  STREAM_ASSIGN_OR_RETURN(auto patient, tx.FindRecord(PatientKind(), id));
  if (!patient || patient->deleted || !actor.CanSee(SiteOf(*patient))) {
    return NotFound(PatientKind(), id);
  }
  return *patient;
}

// A live record and its patient, when the actor may see the patient; foreign = missing.
struct VisibleRecord {
  Record record;
  Record patient;
};
Result<VisibleRecord> FindVisibleRecord(Transaction& tx, const Actor& actor, const KindSpec& kind,
                                        int64_t id) {
  STREAM_ASSIGN_OR_RETURN(auto stored, tx.FindRecord(kind, id));
  if (!stored || stored->deleted) return NotFound(kind, id);
  const int64_t patient_id = IsPatient(kind) ? stored->id : stored->patient_id;
  auto patient = VisiblePatient(tx, actor, patient_id);
  if (!patient.ok()) return NotFound(kind, id);
  return VisibleRecord{std::move(*stored), std::move(*patient)};
}

// Validates, checks against the history, inserts and audits one clinical record.
Result<Record> InsertClinical(Transaction& tx, AuditWriter& audit, const Actor& actor,
                              const Clock& clock, const KindSpec& kind, const Record& patient,
                              std::vector<Value> values) {
  STREAM_RETURN_IF_ERROR(FirstError(ValidateRecord(kind, values)));
  STREAM_RETURN_IF_ERROR(CheckAgainstHistory(tx, kind, patient, values, 0, clock.Today()));
  Record rec;
  rec.patient_id = patient.id;
  rec.values = std::move(values);
  STREAM_ASSIGN_OR_RETURN(rec.id, tx.InsertRecord(kind, rec));
  AuditEntry e =
      Entry(actor, clock, std::string(kind.name), rec.id, patient.id, SiteOf(patient), "create");
  e.new_value = RecordAuditText(kind, rec.values);
  STREAM_RETURN_IF_ERROR(audit.Append(std::move(e)));
  return rec;
}

// A pseudonym is typed, compared and printed on labels: plain ASCII only, so that two
// pseudonyms that look the same are the same (no Cyrillic 'А' for a Latin 'A', no NUL).
bool IsPlainPseudonym(const std::string& p) {
  if (p.empty() || p.size() > 64 || !std::isalnum(static_cast<unsigned char>(p[0]))) return false;
  return std::all_of(p.begin(), p.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x80 && (std::isalnum(u) || c == '-' || c == '_' || c == '.');
  });
}

// Every reason a patient with valid fields cannot be registered by `actor` now, in the
// order they are reported: a site the actor may not register at, an unknown site, a
// pseudonym taken, a registration date before birth or in the future. A check whose
// fields are null (unreadable on a form) is left out.
Result<std::vector<Error>> RegistrationConflicts(Transaction& tx, const Actor& actor,
                                                 const Clock& clock, const Record& rec) {
  const FieldReader<"patient"> fields(rec);
  std::vector<Error> out;
  if (auto site = fields.OptText("site")) {
    if (!actor.CanSee(*site)) {
      out.push_back(Fail(ErrorCode::kPermissionDenied,
                         "you may register patients only at site " + actor.site, "site"));
    } else {
      STREAM_ASSIGN_OR_RETURN(auto known_site, tx.FindSite(*site));
      if (!known_site)
        out.push_back(Fail(ErrorCode::kInvalidArgument, "unknown site '" + *site + "'", "site"));
    }
  }
  if (auto pseudonym = fields.OptText("pseudonym")) {
    if (!IsPlainPseudonym(*pseudonym)) {
      out.push_back(Fail(ErrorCode::kInvalidArgument,
                         "a pseudonym is 1 to 64 ASCII letters, digits, '-', '_' or '.', "
                         "starting with a letter or digit (no spaces, control characters or "
                         "look-alike letters from other alphabets)",
                         "pseudonym"));
    }
    STREAM_ASSIGN_OR_RETURN(auto existing, tx.FindPatientByPseudonym(*pseudonym));
    if (existing) {
      out.push_back(Fail(ErrorCode::kAlreadyExists,
                         "pseudonym '" + *pseudonym + "' is already registered", "pseudonym"));
    }
  }
  const auto registered = fields.OptDay("registered_on");
  const auto birth_year = fields.OptInt("birth_year");
  if (registered && birth_year) {
    const int birth_month = static_cast<int>(fields.OptInt("birth_month").value_or(1));
    if (*registered <
        Date::FromCivil(static_cast<int>(*birth_year), static_cast<unsigned>(birth_month), 1)) {
      out.push_back(Fail(ErrorCode::kInvalidArgument,
                         "registration date is before the month of birth", "registered_on"));
    }
  }
  if (registered && *registered > clock.Today()) {
    out.push_back(Fail(ErrorCode::kInvalidArgument,
                       "registration date " + registered->ToString() + " is in the future",
                       "registered_on"));
  }
  return out;
}

Result<Record> InsertPatient(Transaction& tx, AuditWriter& audit, const Actor& actor,
                             const Clock& clock, std::vector<Value> values) {
  const KindSpec& pk = PatientKind();
  STREAM_RETURN_IF_ERROR(FirstError(ValidateRecord(pk, values)));
  Record rec;
  rec.values = std::move(values);
  STREAM_ASSIGN_OR_RETURN(auto conflicts, RegistrationConflicts(tx, actor, clock, rec));
  STREAM_RETURN_IF_ERROR(FirstError(conflicts));
  STREAM_ASSIGN_OR_RETURN(rec.id, tx.InsertRecord(pk, rec));
  AuditEntry e = Entry(actor, clock, "patient", rec.id, rec.id, SiteOf(rec), "create");
  e.new_value = RecordAuditText(pk, rec.values);
  STREAM_RETURN_IF_ERROR(audit.Append(std::move(e)));
  return rec;
}

}  // namespace

Result<Site> RegistryService::AddSite(const Actor& actor, Site site) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kManageSites));
  if (site.code.empty()) return Fail(ErrorCode::kInvalidArgument, "is required", "code");
  if (site.name.empty()) return Fail(ErrorCode::kInvalidArgument, "is required", "name");
  if (site.country.size() != 2) {
    return Fail(ErrorCode::kInvalidArgument, "expected an ISO 3166-1 alpha-2 code such as IT",
                "country");
  }
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    STREAM_ASSIGN_OR_RETURN(site.id, tx.InsertSite(site));
    AuditWriter audit(tx);
    AuditEntry e = Entry(actor, clock_, "site", site.id, 0, site.code, "create");
    e.new_value = "code=" + site.code + "; name=" + site.name + "; country=" + site.country;
    return audit.Append(std::move(e));
  });
  if (!s.ok()) {
    if (s.error().code == ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kAlreadyExists, "site '" + site.code + "' exists already", "code");
    }
    return s.error();
  }
  return site;
}

Result<std::vector<Site>> RegistryService::ListSites(const Actor&) {
  return RunInTransaction<std::vector<Site>>(store_, TransactionMode::kRead,
                                             [&](Transaction& tx) { return tx.ListSites(); });
}

Result<Record> RegistryService::AddPatient(const Actor& actor, std::vector<Value> values,
                                           const std::optional<Identity>& identity) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kWriteRegistry));
  if (identity && !vault_) return Fail(ErrorCode::kCryptoError, "no identity key is configured");
  Record out;
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    AuditWriter audit(tx);
    STREAM_ASSIGN_OR_RETURN(out, InsertPatient(tx, audit, actor, clock_, values));
    if (identity) {
      STREAM_RETURN_IF_ERROR(tx.PutIdentity(out.id, vault_->Seal(*identity)));
      STREAM_RETURN_IF_ERROR(audit.Append(IdentityEntry(actor, clock_, out)));
    }
    return Ok();
  });
  if (!s.ok()) return s.error();
  return out;
}

Result<Record> RegistryService::GetPatient(const Actor& actor, int64_t id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadRegistry));
  auto patient = RunInTransaction<Record>(store_, TransactionMode::kRead, [&](Transaction& tx) {
    return VisiblePatient(tx, actor, id);
  });
  if (patient.ok()) WithholdUnseen(actor.role, PatientKind(), *patient);
  return patient;
}

Result<Record> RegistryService::GetPatientByPseudonym(const Actor& actor,
                                                      const std::string& pseudonym) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadRegistry));
  return RunInTransaction<Record>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<Record> {
        STREAM_ASSIGN_OR_RETURN(auto found, tx.FindPatientByPseudonym(pseudonym));
        if (!found || found->deleted || !actor.CanSee(SiteOf(*found))) {
          return Fail(ErrorCode::kNotFound, "no patient with pseudonym '" + pseudonym + "'");
        }
        WithholdUnseen(actor.role, PatientKind(), *found);
        return *found;
      });
}

Result<std::vector<Record>> RegistryService::ListPatients(const Actor& actor, RecordFilter filter) {
  return ListRecords(actor, PatientKind(), std::move(filter));
}

Result<Identity> RegistryService::GetIdentity(const Actor& actor, int64_t patient_id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadIdentity));
  if (!vault_) return Fail(ErrorCode::kCryptoError, "no identity key is configured");
  std::optional<std::string> sealed;
  Status s = RunInTransaction(store_, TransactionMode::kRead, [&](Transaction& tx) -> Status {
    STREAM_ASSIGN_OR_RETURN(auto patient, VisiblePatient(tx, actor, patient_id));
    (void)patient;
    STREAM_ASSIGN_OR_RETURN(sealed, tx.FindIdentity(patient_id));
    return Ok();
  });
  if (!s.ok()) return s.error();
  if (!sealed)
    return Fail(ErrorCode::kNotFound,
                "no identity recorded for patient " + std::to_string(patient_id));
  return vault_->Open(*sealed);
}

Result<Record> RegistryService::AddRecord(const Actor& actor, const KindSpec& kind,
                                          int64_t patient_id, std::vector<Value> values) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kWriteRegistry));
  if (IsPatient(kind)) return AddPatient(actor, std::move(values));
  return RunInTransaction<Record>(
      store_, TransactionMode::kWrite, [&](Transaction& tx) -> Result<Record> {
        STREAM_ASSIGN_OR_RETURN(auto patient, VisiblePatient(tx, actor, patient_id));
        AuditWriter audit(tx);
        return InsertClinical(tx, audit, actor, clock_, kind, patient, values);
      });
}

Result<std::vector<Error>> RegistryService::CheckRecord(const Actor& actor, const KindSpec& kind,
                                                        const std::vector<Result<Value>>& fields,
                                                        std::optional<int64_t> patient_id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kWriteRegistry));
  if (IsPatient(kind) && patient_id) {
    return Fail(ErrorCode::kInvalidArgument,
                "only for clinical records: a patient is checked as a new registration",
                "patient_id");
  }
  std::vector<Error> errors = FieldErrors(kind, fields);
  if (fields.size() != kind.fields.size() || (!IsPatient(kind) && !patient_id)) return errors;
  // The checks that need the store see only the fields that are valid on their own.
  std::vector<Value> values;
  values.reserve(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const bool valid = fields[i].ok() && CheckValue(kind.fields[i], *fields[i]).ok();
    values.push_back(valid ? *fields[i] : Value{});
  }
  std::vector<Error> conflicts;
  Status s = RunInTransaction(store_, TransactionMode::kRead, [&](Transaction& tx) -> Status {
    if (IsPatient(kind)) {
      const Record patient{0, 0, 1, false, values};
      STREAM_ASSIGN_OR_RETURN(conflicts, RegistrationConflicts(tx, actor, clock_, patient));
      return Ok();
    }
    STREAM_ASSIGN_OR_RETURN(auto patient, VisiblePatient(tx, actor, *patient_id));
    STREAM_ASSIGN_OR_RETURN(conflicts,
                            HistoryConflicts(tx, kind, patient, values, 0, clock_.Today()));
    return Ok();
  });
  if (!s.ok()) return s.error();
  errors.insert(errors.end(), conflicts.begin(), conflicts.end());
  return errors;
}

Result<Record> RegistryService::GetRecord(const Actor& actor, const KindSpec& kind, int64_t id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadRegistry));
  if (IsPatient(kind)) return GetPatient(actor, id);
  return RunInTransaction<Record>(store_, TransactionMode::kRead,
                                  [&](Transaction& tx) -> Result<Record> {
                                    STREAM_ASSIGN_OR_RETURN(auto rec, tx.FindRecord(kind, id));
                                    if (!rec || rec->deleted) return NotFound(kind, id);
                                    if (!VisiblePatient(tx, actor, rec->patient_id).ok())
                                      return NotFound(kind, id);
                                    WithholdUnseen(actor.role, kind, *rec);
                                    return *rec;
                                  });
}

Result<std::vector<Record>> RegistryService::ListRecords(const Actor& actor, const KindSpec& kind,
                                                         RecordFilter filter) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadRegistry));
  if (!actor.IsCentral()) filter.site = actor.site;  // a site user sees only their site
  filter.limit = std::clamp<int64_t>(filter.limit, 1, 100000);
  auto records = RunInTransaction<std::vector<Record>>(
      store_, TransactionMode::kRead,
      [&](Transaction& tx) { return tx.ListRecords(kind, filter); });
  if (records.ok()) WithholdUnseen(actor.role, kind, *records);
  return records;
}

Result<Record> RegistryService::UpdateRecord(const Actor& actor, const KindSpec& kind, int64_t id,
                                             int64_t version, std::vector<Value> values,
                                             const std::string& reason) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kWriteRegistry));
  if (reason.empty()) {
    return Fail(ErrorCode::kReasonRequired, "a change after first entry needs a reason for change",
                "reason");
  }
  STREAM_RETURN_IF_ERROR(FirstError(ValidateRecord(kind, values)));
  Record out;
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    STREAM_ASSIGN_OR_RETURN(auto found, FindVisibleRecord(tx, actor, kind, id));
    const Record& stored = found.record;
    const Record& patient = found.patient;
    const int64_t patient_id = patient.id;
    if (IsPatient(kind)) {
      const Record updated{0, 0, 1, false, values};
      const auto pseudonym = PseudonymOf(updated);
      if (pseudonym != PseudonymOf(stored) && !IsPlainPseudonym(pseudonym)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "a pseudonym is 1 to 64 ASCII letters, digits, '-', '_' or '.'", "pseudonym");
      }
      const auto new_site = SiteOf(updated);
      if (new_site != SiteOf(stored)) {
        if (!actor.CanSee(new_site)) return NotFound(kind, id);
        STREAM_ASSIGN_OR_RETURN(auto known, tx.FindSite(new_site));
        if (!known)
          return Fail(ErrorCode::kInvalidArgument, "unknown site '" + new_site + "'", "site");
      }
    } else {
      STREAM_RETURN_IF_ERROR(CheckAgainstHistory(tx, kind, patient, values, id, clock_.Today()));
    }
    if (stored.version != version) {
      return Fail(ErrorCode::kConflict, std::string(kind.name) + " " + std::to_string(id) +
                                            " was changed meanwhile: read it again (version " +
                                            std::to_string(stored.version) + ")");
    }
    out = stored;
    // A correction that changes nothing is no correction: no new version, nothing to audit.
    if (stored.values == values) return Ok();
    out.values = values;
    STREAM_RETURN_IF_ERROR(tx.UpdateRecord(kind, out));
    out.version = stored.version + 1;
    AuditWriter audit(tx);
    for (size_t i = 0; i < kind.fields.size(); ++i) {
      if (stored.values[i] == values[i]) continue;
      AuditEntry e =
          Entry(actor, clock_, std::string(kind.name), id, patient_id, SiteOf(patient), "update");
      e.field = kind.fields[i].name;
      if (!IsNull(stored.values[i])) e.old_value = ToText(stored.values[i]);
      if (!IsNull(values[i])) e.new_value = ToText(values[i]);
      e.reason = reason;
      STREAM_RETURN_IF_ERROR(audit.Append(std::move(e)));
    }
    return Ok();
  });
  if (!s.ok()) return s.error();
  return out;
}

Result<Record> RegistryService::DeleteRecord(const Actor& actor, const KindSpec& kind, int64_t id,
                                             int64_t version, const std::string& reason) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kWriteRegistry));
  if (reason.empty())
    return Fail(ErrorCode::kReasonRequired, "a deletion needs a reason", "reason");
  Record out;
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    STREAM_ASSIGN_OR_RETURN(auto found, FindVisibleRecord(tx, actor, kind, id));
    const Record& stored = found.record;
    const Record& patient = found.patient;
    const int64_t patient_id = patient.id;
    if (stored.version != version) {
      return Fail(ErrorCode::kConflict,
                  std::string(kind.name) + " " + std::to_string(id) + " was changed meanwhile");
    }
    out = stored;
    out.deleted = true;
    STREAM_RETURN_IF_ERROR(tx.UpdateRecord(kind, out));
    out.version = stored.version + 1;
    AuditWriter audit(tx);
    AuditEntry e =
        Entry(actor, clock_, std::string(kind.name), id, patient_id, SiteOf(patient), "delete");
    e.old_value = RecordAuditText(kind, stored.values);
    e.reason = reason;
    return audit.Append(std::move(e));
  });
  if (!s.ok()) return s.error();
  return out;
}

Result<PatientHistory> RegistryService::GetHistory(const Actor& actor, int64_t patient_id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadRegistry));
  return RunInTransaction<PatientHistory>(store_, TransactionMode::kRead, [&](Transaction& tx) {
    return LoadHistory(tx, actor, patient_id);
  });
}

Result<int64_t> RegistryService::RegisterPatients(const Actor& actor,
                                                  const std::vector<PatientBundle>& bundles) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kWriteRegistry));
  if (!vault_ && std::any_of(bundles.begin(), bundles.end(),
                             [](const auto& b) { return b.identity.has_value(); })) {
    return Fail(ErrorCode::kCryptoError, "no identity key is configured");
  }
  int64_t written = 0;
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    written = 0;
    AuditWriter audit(tx);
    for (const auto& bundle : bundles) {
      STREAM_ASSIGN_OR_RETURN(Record patient,
                              InsertPatient(tx, audit, actor, clock_, bundle.patient));
      if (bundle.identity) {
        STREAM_RETURN_IF_ERROR(tx.PutIdentity(patient.id, vault_->Seal(*bundle.identity)));
        STREAM_RETURN_IF_ERROR(audit.Append(IdentityEntry(actor, clock_, patient)));
      }
      ++written;
      for (const auto& [kind, values] : bundle.records) {
        auto rec = InsertClinical(tx, audit, actor, clock_, *kind, patient, values);
        if (!rec.ok()) {
          Error e = rec.error();
          e.message = std::string(kind->name) + " of " + PseudonymOf(patient) + ": " + e.message;
          return e;
        }
        ++written;
      }
    }
    return Ok();
  });
  if (!s.ok()) return s.error();
  return written;
}

Result<ImportReport> RegistryService::Import(const Actor& actor, const KindSpec& kind,
                                             const ImportBatch& batch) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kWriteRegistry));
  ImportReport report;
  auto where = [&](const ImportRow& row, const Error& e) {
    Error located = e;
    std::string place = "line " + std::to_string(row.line);
    const size_t field = kind.IndexOf(e.where);
    if (field < batch.column_of_field.size() && batch.column_of_field[field] > 0) {
      place += ", column " + std::to_string(batch.column_of_field[field]);
    }
    if (!e.where.empty()) place += " (" + e.where + ")";
    located.where = place;
    return located;
  };
  // Every row is validated against the data model before anything is written, so a
  // file with many mistakes reports them all.
  for (const auto& row : batch.rows) {
    for (const auto& e : ValidateRecord(kind, row.values)) report.errors.push_back(where(row, e));
  }
  if (!report.errors.empty()) return report;
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    report.imported = 0;
    AuditWriter audit(tx);
    std::map<std::string, Record, std::less<>> patients;
    for (const auto& row : batch.rows) {
      Result<Record> inserted = Error{};
      if (IsPatient(kind)) {
        inserted = InsertPatient(tx, audit, actor, clock_, row.values);
      } else {
        auto it = patients.find(row.patient);
        if (it == patients.end()) {
          STREAM_ASSIGN_OR_RETURN(auto found, tx.FindPatientByPseudonym(row.patient));
          if (!found || found->deleted || !actor.CanSee(SiteOf(*found))) {
            return where(row, Fail(ErrorCode::kNotFound,
                                   "no patient with pseudonym '" + row.patient + "'", "patient"));
          }
          it = patients.emplace(row.patient, *found).first;
        }
        inserted = InsertClinical(tx, audit, actor, clock_, kind, it->second, row.values);
      }
      if (!inserted.ok()) return where(row, inserted.error());
      ++report.imported;
    }
    return Ok();
  });
  if (!s.ok()) {
    report.imported = 0;
    if (s.error().where.rfind("line ", 0) != 0) return s.error();  // not a row's fault
    report.errors.push_back(s.error());
  }
  return report;
}

}  // namespace stream::service
