// Patients and their clinical records, as the store keeps them: records of every kind
// of core/schema.h (the patient itself is a record of PatientKind()), and the sealed
// identities kept apart from them. One of the repositories a store Transaction
// (core/store.h) offers.
//
// Every method runs inside the Transaction it belongs to and sees that transaction's
// own writes; nothing is durable before Transaction::Commit. Failures are typed
// (core/error.h) as in core/account_repository.h. Used by one thread, like its
// Transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "core/schema.h"

namespace stream {

// Which rows a listing returns; keyset pagination on id.
struct RecordFilter {
  std::optional<int64_t> patient_id;
  std::optional<std::string> site;  // site isolation: only records of this site's patients
  int64_t after_id = 0;
  int64_t limit = 1000;
  bool include_deleted = false;
};

class RecordRepository {
 public:
  virtual ~RecordRepository() = default;

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
  // Every row of the kind, deleted ones included.
  virtual Result<int64_t> CountRecords(const KindSpec& kind) = 0;

  // Sealed direct identifiers, one per patient at most; written in the same transaction as
  // the patient (SQLite: table `identities`; PostgreSQL: schema `identity`), the key
  // kept outside the database.
  // PutIdentity inserts or replaces the patient's.
  [[nodiscard]] virtual Status PutIdentity(int64_t patient_id, const std::string& sealed) = 0;
  virtual Result<std::optional<std::string>> FindIdentity(int64_t patient_id) = 0;
  // The patients that have an identity, ascending (for `stream audit verify`).
  virtual Result<std::vector<int64_t>> ListIdentityPatients() = 0;
};

}  // namespace stream
