// The store port: what the service layer needs from a database, and nothing about
// which engine provides it (storage/sqlite, storage/postgres implement it).
//
// A Store hands out Transactions. Everything a use case reads and writes goes through
// one Transaction; Commit makes it durable, and destroying an uncommitted Transaction
// rolls it back. A Transaction is used by one thread; a Store may be shared.
// Failures are typed (core/error.h): kBusy and kSerializationFailure are retryable,
// kAlreadyExists reports a unique value taken, kStorageFull a full disk.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/record.h"
#include "core/result.h"
#include "core/schema.h"

namespace stream {

struct Site {
  int64_t id = 0;
  std::string code;  // e.g. IT-FO-01; unique
  std::string name;
  std::string country;  // ISO 3166-1 alpha-2
};

struct User {
  int64_t id = 0;
  std::string username;       // unique
  std::string role;           // administrator, data_manager, monitor, investigator, data_entry,
                              // statistician, randomisation_admin, board_member
  std::string site;           // site code; empty for central roles
  std::string password_hash;  // argon2id string; empty when login is disabled
  bool disabled = false;
};

// One row of the audit trail (reliability promise 1). The store assigns `seq`; the
// service computes `hash` = SHA-256(prev_hash, canonical row) before appending.
struct AuditEntry {
  int64_t seq = 0;
  Timestamp at;
  std::string actor;   // username, or "system"
  std::string site;    // site code of the record touched; empty for central objects
  std::string entity;  // record kind, "patient", "user", "site", …
  int64_t entity_id = 0;
  int64_t patient_id = 0;  // 0 when the entity belongs to no patient
  std::string action;      // create | update | delete
  std::string field;       // empty for create/delete of a whole record
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  std::string reason;
  std::string request_id;
  std::string prev_hash;  // hex; 64 zeros for the first row
  std::string hash;       // hex
};

// One patient's enrolment in a protocol, with how the arm was given (reliability
// promise 6). Allocations are never edited, only voided with a reason.
struct Enrolment {
  int64_t id = 0;
  std::string protocol_id;
  std::string protocol_version;
  int64_t patient_id = 0;
  std::string arm;
  std::string method;             // rule | blocks | minimisation
  std::string stratum;            // "" when not stratified
  int64_t sequence_position = 0;  // position in the stratum's list (blocks); 0 otherwise
  std::string factor_levels;      // "factor=level;…" used by minimisation and strata
  std::string algorithm_version;
  std::string idempotency_key;  // unique: a replayed request finds the original
  Timestamp enrolled_at;
  std::string enrolled_by;
  bool voided = false;
  // Set when the patient went off study (issue #23): the enrolment no longer holds the
  // patient for co-enrolment rules from that date.
  std::optional<Date> off_study_date;
  std::string off_study_reason;  // completed | toxicity | progression | withdrawal | death |
                                 // investigator_decision
};

// The end of an enrolment: off-study date and reason, recorded once.
struct EnrolmentEnding {
  int64_t enrolment_id = 0;
  Date off_study_date;
  std::string reason;  // see Enrolment::off_study_reason
  std::string note;
  Timestamp ended_at;
  std::string ended_by;
};

// A protocol's standing at one site from a date (issue #23): activated under a protocol
// version with its approval reference, suspended or closed. The latest row whose
// `effective_on` is on or before a day decides the site's standing that day.
struct SiteActivation {
  int64_t id = 0;
  std::string protocol_id;
  std::string site;                // site code
  std::string status;              // active | suspended | closed
  Date effective_on;               // from this day
  std::string protocol_version;    // active: the version approved at the site
  std::string approval_reference;  // active: ethics approval / contract reference
  std::string reason;
  Timestamp changed_at;
  std::string changed_by;
};

// A site's answer to an `attested("name")` fact, kept as a dated, attributed record
// (issue #13.5): who attested what for which protocol version and criterion, and when.
struct Attestation {
  int64_t id = 0;
  int64_t patient_id = 0;
  std::string protocol_id;
  std::string protocol_version;
  std::string criterion;  // the criterion whose rule asks for it; "" when several or none
  std::string name;       // the attested fact
  bool value = false;
  Date attested_on;  // the clinical date the attestation is about
  Timestamp attested_at;
  std::string attested_by;
  std::string site;
};

// How many patients a protocol has per arm, method and factor levels: what caps and
// minimisation need, without reading every enrolment.
struct EnrolmentTally {
  std::string arm;
  std::string method;
  std::string factor_levels;
  int64_t count = 0;
};

// The record that a stratum's concealed list was activated, with the list's hash.
struct RandomisationList {
  std::string protocol_id;
  std::string stratum;
  std::string algorithm;
  int64_t length = 0;
  std::string list_hash;  // hex SHA-256 of the list's first `length` entries
  Timestamp activated_at;
  std::string activated_by;
};

// A script's API token (issue #5): only the SHA-256 of the secret is stored. It acts
// with its own role and site, never more than its owner's.
struct ApiToken {
  int64_t id = 0;
  std::string token_hash;  // hex SHA-256 of the secret; unique
  std::string label;
  std::string username;  // the owner
  std::string role;
  std::string site;  // empty for central roles
  Timestamp created_at;
  bool revoked = false;
};

// A protocol version loaded after installation (through the API); its YAML source is
// kept as loaded, so the catalogue can be rebuilt at start-up.
struct ProtocolVersion {
  int64_t id = 0;
  std::string protocol_id;
  std::string version;
  std::string source;  // the YAML text
  Timestamp loaded_at;
  std::string loaded_by;
};

// An arm opened, closed or suspended by a trial manager; the latest change per arm wins
// over the status written in the protocol file.
struct ArmStatusChange {
  int64_t id = 0;
  std::string protocol_id;
  std::string arm;
  std::string status;  // open | closed | suspended
  std::string reason;
  Timestamp changed_at;
  std::string changed_by;
};

// Which audit rows a query returns, newest first; keyset pagination on seq.
struct AuditFilter {
  std::optional<int64_t> patient_id;
  std::optional<std::string> entity;  // with entity_id: one record's history
  std::optional<int64_t> entity_id;
  std::optional<std::string> actor;
  std::optional<std::string> site;  // site isolation: only rows of this site
  int64_t before_seq = 0;           // 0: from the newest
  int64_t limit = 100;
};

// Which rows a listing returns; keyset pagination on id.
struct RecordFilter {
  std::optional<int64_t> patient_id;
  std::optional<std::string> site;  // site isolation: only records of this site's patients
  int64_t after_id = 0;
  int64_t limit = 1000;
  bool include_deleted = false;
};

class Transaction {
 public:
  virtual ~Transaction() = default;  // rolls back unless committed

  // Makes every change durable (SQLite: synchronous=FULL). After a failed Commit
  // nothing of the transaction is stored.
  [[nodiscard]] virtual Status Commit() = 0;

  // Sites and users.
  virtual Result<int64_t> InsertSite(const Site& site) = 0;
  virtual Result<std::vector<Site>> ListSites() = 0;
  virtual Result<std::optional<Site>> FindSite(std::string_view code) = 0;
  virtual Result<int64_t> InsertUser(const User& user) = 0;
  virtual Result<std::optional<User>> FindUser(std::string_view username) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Role, site, password hash and disabled flag of the user with this id.
  [[nodiscard]] virtual Status UpdateUser(const User& user) = 0;

  // API tokens: looked up by the hash of their secret.
  virtual Result<int64_t> InsertApiToken(const ApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens() = 0;
  [[nodiscard]] virtual Status RevokeApiToken(int64_t id) = 0;

  // Protocol versions loaded through the API, and arm status changes, in id order.
  virtual Result<int64_t> InsertProtocolVersion(const ProtocolVersion& version) = 0;
  virtual Result<std::vector<ProtocolVersion>> ListProtocolVersions() = 0;
  virtual Result<int64_t> InsertArmStatusChange(const ArmStatusChange& change) = 0;
  virtual Result<std::vector<ArmStatusChange>> ListArmStatusChanges(
      std::string_view protocol_id) = 0;

  // Records of any kind of core/schema.h, the patient itself included (PatientKind()).
  // Insert assigns and returns the id; values must already be valid for the kind.
  virtual Result<int64_t> InsertRecord(const KindSpec& kind, const Record& record) = 0;
  // Updates values and deleted flag where id and version match, bumping the version;
  // kConflict when the stored version differs, kNotFound when there is no such row.
  [[nodiscard]] virtual Status UpdateRecord(const KindSpec& kind, const Record& record) = 0;
  virtual Result<std::optional<Record>> FindRecord(const KindSpec& kind, int64_t id) = 0;
  virtual Result<std::vector<Record>> ListRecords(const KindSpec& kind,
                                                  const RecordFilter& filter) = 0;
  virtual Result<std::optional<Record>> FindPatientByPseudonym(std::string_view pseudonym) = 0;
  virtual Result<int64_t> CountRecords(const KindSpec& kind) = 0;

  // The identity store: sealed direct identifiers, kept apart from clinical data.
  [[nodiscard]] virtual Status PutIdentity(int64_t patient_id, const std::string& sealed) = 0;
  virtual Result<std::optional<std::string>> FindIdentity(int64_t patient_id) = 0;

  // Enrolments and randomisation. InsertEnrolment gives kAlreadyExists when the
  // idempotency key, the (protocol, patient) pair or the (protocol, stratum, position)
  // is taken.
  virtual Result<int64_t> InsertEnrolment(const Enrolment& enrolment) = 0;
  virtual Result<std::optional<Enrolment>> FindEnrolmentByKey(std::string_view idempotency_key) = 0;
  virtual Result<std::optional<Enrolment>> FindEnrolment(std::string_view protocol_id,
                                                         int64_t patient_id) = 0;
  // Every non-voided enrolment of a protocol, in id order.
  virtual Result<std::vector<Enrolment>> ListEnrolments(std::string_view protocol_id) = 0;
  virtual Result<std::vector<EnrolmentTally>> TallyEnrolments(std::string_view protocol_id) = 0;
  // The highest sequence position used in a stratum (0 when none).
  virtual Result<int64_t> LastSequencePosition(std::string_view protocol_id,
                                               std::string_view stratum) = 0;
  virtual Result<std::optional<RandomisationList>> FindRandomisationList(
      std::string_view protocol_id, std::string_view stratum) = 0;
  virtual Result<int64_t> InsertRandomisationList(const RandomisationList& list) = 0;
  // Every non-voided enrolment of one patient in any protocol, with its ending, in id order.
  virtual Result<std::vector<Enrolment>> ListPatientEnrolments(int64_t patient_id) = 0;
  // kAlreadyExists when the enrolment has already ended.
  [[nodiscard]] virtual Status InsertEnrolmentEnding(const EnrolmentEnding& ending) = 0;

  // Site activations (issue #23): every change of a protocol at its sites, in id order
  // (an empty protocol id: of every protocol).
  virtual Result<int64_t> InsertSiteActivation(const SiteActivation& activation) = 0;
  virtual Result<std::vector<SiteActivation>> ListSiteActivations(std::string_view protocol_id) = 0;

  // Attestations (issue #13.5), of one patient, in id order.
  virtual Result<int64_t> InsertAttestation(const Attestation& attestation) = 0;
  virtual Result<std::vector<Attestation>> ListAttestations(int64_t patient_id) = 0;

  // The audit trail: append-only.
  virtual Result<std::optional<AuditEntry>> LastAudit() = 0;
  virtual Result<int64_t> AppendAudit(const AuditEntry& entry) = 0;
  // Calls `visit` for every row in seq order until it returns false.
  [[nodiscard]] virtual Status ScanAudit(const std::function<bool(const AuditEntry&)>& visit) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) = 0;
};

enum class TransactionMode { kRead, kWrite };

class Store {
 public:
  virtual ~Store() = default;
  // kWrite takes the write lock at once (SQLite BEGIN IMMEDIATE), so a write
  // transaction never fails to upgrade halfway. kBusy when the lock cannot be had in time.
  virtual Result<std::unique_ptr<Transaction>> Begin(TransactionMode mode) = 0;
  // Engine self-check (SQLite: PRAGMA integrity_check, audit protection in place);
  // the problems found, empty when sound.
  virtual Result<std::vector<std::string>> CheckIntegrity() = 0;
};

}  // namespace stream
