// Internal to storage/sql: SqlTransaction, the store port's Transaction written once
// over SOCI, the pooled connection it runs on, and the helpers its statements share.
//
// Its methods are defined one aggregate per file: soci_accounts.cc (sites, users, API
// tokens), soci_records.cc (patients, clinical records, identities), soci_protocols.cc
// (protocol versions, arm status, site activations), soci_enrolments.cc (enrolments,
// randomisation lists, attestations) and soci_audit.cc (the audit trail); begin, commit
// and rollback are in soci_store.cc. Nothing outside storage/sql includes this header.
#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/store.h"
#include "storage/sql/soci_store.h"

namespace stream::storage {

// A column read whatever type the engine reports it as (SQLite types values, not
// columns; PostgreSQL has int4, int8, numeric, …). RowText is "" for NULL; RowDate and
// RowTimestamp give the default value for NULL or an unreadable text.
long long RowInt(const soci::row& row, std::size_t i);
double RowDouble(const soci::row& row, std::size_t i);
std::string RowText(const soci::row& row, std::size_t i);
bool RowBool(const soci::row& row, std::size_t i);
Date RowDate(const soci::row& row, std::size_t i);
Timestamp RowTimestamp(const soci::row& row, std::size_t i);

// A statement prepared once and kept with the buffers it binds (SOCI binds by
// reference, so the buffers live as long as the statement and are refilled per call).
struct PreparedStatement {
  virtual ~PreparedStatement() = default;
};

// One pooled session, with the statements prepared on it. Used by one Transaction at a
// time.
class SqlConnection {
 public:
  explicit SqlConnection(std::unique_ptr<soci::session> session) : session_(std::move(session)) {}
  soci::session& session() { return *session_; }

  // The statement kept under `key`, made by `make` on first use.
  template <typename T>
  T& Prepared(const std::string& key, const std::function<std::unique_ptr<T>()>& make) {
    auto& slot = prepared_[key];
    if (!slot) slot = make();
    return static_cast<T&>(*slot);
  }

 private:
  std::unique_ptr<soci::session> session_;
  // Declared after the session: finalised before it closes.
  std::map<std::string, std::unique_ptr<PreparedStatement>> prepared_;
};

class SqlTransaction final : public Transaction {
 public:
  SqlTransaction(const SqlEngine& engine, SqlPool& pool, std::unique_ptr<SqlConnection> conn,
                 TransactionMode mode);
  ~SqlTransaction() override;

  // Starts the engine's transaction; called once, before anything else.
  Status Begin();
  Status Commit() override;

  // AccountRepository (soci_accounts.cc).
  Result<int64_t> InsertSite(const Site& site) override;
  Result<std::vector<Site>> ListSites() override;
  Result<std::optional<Site>> FindSite(std::string_view code) override;
  Result<int64_t> InsertUser(const User& user) override;
  Result<std::optional<User>> FindUser(std::string_view username) override;
  Result<std::vector<User>> ListUsers() override;
  Status UpdateUser(const User& user) override;
  Result<int64_t> InsertApiToken(const ApiToken& token) override;
  Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) override;
  Result<std::vector<ApiToken>> ListApiTokens() override;
  Status RevokeApiToken(int64_t id) override;

  // RecordRepository (soci_records.cc).
  Result<int64_t> InsertRecord(const KindSpec& kind, const Record& record) override;
  Status UpdateRecord(const KindSpec& kind, const Record& record) override;
  Result<std::optional<Record>> FindRecord(const KindSpec& kind, int64_t id) override;
  Result<std::vector<Record>> ListRecords(const KindSpec& kind,
                                          const RecordFilter& filter) override;
  Result<std::optional<Record>> FindPatientByPseudonym(std::string_view pseudonym) override;
  Result<int64_t> CountRecords(const KindSpec& kind) override;
  Status PutIdentity(int64_t patient_id, const std::string& sealed) override;
  Result<std::optional<std::string>> FindIdentity(int64_t patient_id) override;
  Result<std::vector<int64_t>> ListIdentityPatients() override;

  // ProtocolRepository (soci_protocols.cc).
  Result<int64_t> InsertProtocolVersion(const ProtocolVersion& version) override;
  Result<std::vector<ProtocolVersion>> ListProtocolVersions() override;
  Result<int64_t> InsertArmStatusChange(const ArmStatusChange& change) override;
  Result<std::vector<ArmStatusChange>> ListArmStatusChanges(std::string_view protocol_id) override;
  Result<int64_t> InsertSiteActivation(const SiteActivation& activation) override;
  Result<std::vector<SiteActivation>> ListSiteActivations(std::string_view protocol_id) override;

  // EnrolmentRepository (soci_enrolments.cc).
  Result<int64_t> InsertEnrolment(const Enrolment& enrolment) override;
  Result<std::optional<Enrolment>> FindEnrolmentByKey(std::string_view idempotency_key) override;
  Result<std::optional<Enrolment>> FindEnrolment(std::string_view protocol_id,
                                                 int64_t patient_id) override;
  Result<std::vector<Enrolment>> ListEnrolments(std::string_view protocol_id) override;
  Result<std::vector<EnrolmentTally>> TallyEnrolments(std::string_view protocol_id) override;
  Result<int64_t> LastSequencePosition(std::string_view protocol_id,
                                       std::string_view stratum) override;
  Result<std::optional<RandomisationList>> FindRandomisationList(std::string_view protocol_id,
                                                                 std::string_view stratum) override;
  Result<int64_t> InsertRandomisationList(const RandomisationList& list) override;
  Result<std::vector<Enrolment>> ListPatientEnrolments(int64_t patient_id) override;
  Status InsertEnrolmentEnding(const EnrolmentEnding& ending) override;
  Result<int64_t> InsertAttestation(const Attestation& attestation) override;
  Result<std::vector<Attestation>> ListAttestations(int64_t patient_id) override;

  // AuditRepository (soci_audit.cc).
  Result<std::optional<AuditEntry>> LastAudit() override;
  Result<int64_t> AppendAudit(const AuditEntry& entry) override;
  Status ScanAudit(const std::function<bool(const AuditEntry&)>& visit) override;
  Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) override;

 private:
  // The statement helpers every aggregate uses. `uses` are soci::use(…) bindings, in
  // the order of the query's placeholders; each helper runs under Guard, so an engine
  // error comes back as its typed Error, `doing` naming what failed.

  // Prepares `query` on this transaction's session with `uses` bound (and `row`, when
  // given, receiving each result row).
  template <typename... Uses>
  void Prepare(soci::statement& st, soci::row* row, const std::string& query, const Uses&... uses) {
    if (row != nullptr) st.exchange(soci::into(*row));
    (st.exchange(uses), ...);
    st.alloc();
    st.prepare(query);
    st.define_and_bind();
  }

  // Runs a statement that returns no rows.
  template <typename... Uses>
  Status Execute(std::string_view doing, const std::string& query, const Uses&... uses) {
    return Guard(engine_, doing, [&]() -> Status {
      soci::statement st(sql_);
      Prepare(st, nullptr, query, uses...);
      st.execute(true);
      return Ok();
    });
  }

  // Runs an INSERT and returns the id it assigned.
  template <typename... Uses>
  Result<int64_t> InsertRow(std::string_view doing, const std::string& query, const Uses&... uses) {
    return Guard(engine_, doing, [&]() -> Result<int64_t> {
      soci::statement st(sql_);
      Prepare(st, nullptr, query, uses...);
      st.execute(true);
      return LastId();
    });
  }

  // Runs an UPDATE of one row by key: kNotFound, saying `missing`, when none changed.
  template <typename... Uses>
  Status UpdateRow(std::string_view doing, const std::string& query, const char* missing,
                   const Uses&... uses) {
    return Guard(engine_, doing, [&]() -> Status {
      soci::statement st(sql_);
      Prepare(st, nullptr, query, uses...);
      st.execute(true);
      if (st.get_affected_rows() == 0) return Error{ErrorCode::kNotFound, missing};
      return Ok();
    });
  }

  // Every row `query` returns, each turned into a value by `read(const soci::row&)`.
  template <typename Read, typename... Uses>
  auto ReadRows(std::string_view doing, const std::string& query, Read read, const Uses&... uses)
      -> Result<std::vector<std::invoke_result_t<Read&, const soci::row&>>> {
    using T = std::invoke_result_t<Read&, const soci::row&>;
    return Guard(engine_, doing, [&]() -> Result<std::vector<T>> {
      soci::statement st(sql_);
      soci::row row;
      Prepare(st, &row, query, uses...);
      std::vector<T> out;
      if (st.execute(true)) {
        do out.push_back(read(row));
        while (st.fetch());
      }
      return out;
    });
  }

  // The first row `query` returns, through `read`; none when it returns no row.
  template <typename Read, typename... Uses>
  auto ReadRow(std::string_view doing, const std::string& query, Read read, const Uses&... uses)
      -> Result<std::optional<std::invoke_result_t<Read&, const soci::row&>>> {
    using T = std::invoke_result_t<Read&, const soci::row&>;
    return Guard(engine_, doing, [&]() -> Result<std::optional<T>> {
      soci::statement st(sql_);
      soci::row row;
      Prepare(st, &row, query, uses...);
      if (st.execute(true)) return std::optional<T>(read(row));
      return std::optional<T>();
    });
  }

  // The id the last INSERT of this session assigned.
  int64_t LastId() { return engine_.LastInsertId(sql_); }

  const SqlEngine& engine_;
  SqlPool& pool_;
  std::unique_ptr<SqlConnection> conn_;
  soci::session& sql_;
  TransactionMode mode_;
  bool begun_ = false;  // Begin succeeded: the destructor must roll back unless done_
  bool done_ = false;
  bool broken_ = false;
  // The audit insert, prepared on the first AppendAudit and finalised with the
  // transaction (soci_audit.cc).
  std::unique_ptr<PreparedStatement> audit_insert_;
};

}  // namespace stream::storage
