#include "support/faulty_store.h"

#include <optional>
#include <utility>

namespace stream::testing {

struct FaultyStore::Counter {
  mutable std::mutex mu;
  Fault fault;
  int64_t count = 0;
  int64_t failures = 0;
  std::vector<std::string> log;

  // Counts the statement `what`; its error when the fault hits it.
  std::optional<Error> Next(const char* what) {
    std::lock_guard lock(mu);
    ++count;
    log.emplace_back(what);
    const bool hit = fault.at_statement > 0 && (count == fault.at_statement ||
                                                (fault.persistent && count > fault.at_statement));
    if (!hit) return std::nullopt;
    ++failures;
    return Fail(fault.code, std::string(what) + ": " + FaultyStore::InjectedMessage(fault.code) +
                                " (injected at statement " + std::to_string(count) + ")");
  }
};

namespace {

// Forwards every statement to the real Transaction unless the counter fails it.
class FaultyTransaction final : public Transaction {
 public:
  FaultyTransaction(std::unique_ptr<Transaction> inner,
                    std::shared_ptr<FaultyStore::Counter> counter)
      : inner_(std::move(inner)), counter_(std::move(counter)) {}

  Status Commit() override {
    return Step("Commit", [&] { return inner_->Commit(); });
  }

  Result<int64_t> InsertSite(const Site& site) override {
    return Step("InsertSite", [&] { return inner_->InsertSite(site); });
  }
  Result<std::vector<Site>> ListSites() override {
    return Step("ListSites", [&] { return inner_->ListSites(); });
  }
  Result<std::optional<Site>> FindSite(std::string_view code) override {
    return Step("FindSite", [&] { return inner_->FindSite(code); });
  }
  Result<int64_t> InsertUser(const User& user) override {
    return Step("InsertUser", [&] { return inner_->InsertUser(user); });
  }
  Result<std::optional<User>> FindUser(std::string_view username) override {
    return Step("FindUser", [&] { return inner_->FindUser(username); });
  }
  Result<std::vector<User>> ListUsers() override {
    return Step("ListUsers", [&] { return inner_->ListUsers(); });
  }
  Status UpdateUser(const User& user) override {
    return Step("UpdateUser", [&] { return inner_->UpdateUser(user); });
  }
  Result<int64_t> InsertApiToken(const ApiToken& token) override {
    return Step("InsertApiToken", [&] { return inner_->InsertApiToken(token); });
  }
  Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) override {
    return Step("FindApiToken", [&] { return inner_->FindApiToken(token_hash); });
  }
  Result<std::vector<ApiToken>> ListApiTokens() override {
    return Step("ListApiTokens", [&] { return inner_->ListApiTokens(); });
  }
  Status RevokeApiToken(int64_t id) override {
    return Step("RevokeApiToken", [&] { return inner_->RevokeApiToken(id); });
  }

  Result<int64_t> InsertRecord(const KindSpec& kind, const Record& record) override {
    return Step("InsertRecord", [&] { return inner_->InsertRecord(kind, record); });
  }
  Status UpdateRecord(const KindSpec& kind, const Record& record) override {
    return Step("UpdateRecord", [&] { return inner_->UpdateRecord(kind, record); });
  }
  Result<std::optional<Record>> FindRecord(const KindSpec& kind, int64_t id) override {
    return Step("FindRecord", [&] { return inner_->FindRecord(kind, id); });
  }
  Result<std::vector<Record>> ListRecords(const KindSpec& kind,
                                          const RecordFilter& filter) override {
    return Step("ListRecords", [&] { return inner_->ListRecords(kind, filter); });
  }
  Result<std::optional<Record>> FindPatientByPseudonym(std::string_view pseudonym) override {
    return Step("FindPatientByPseudonym",
                [&] { return inner_->FindPatientByPseudonym(pseudonym); });
  }
  Result<int64_t> CountRecords(const KindSpec& kind) override {
    return Step("CountRecords", [&] { return inner_->CountRecords(kind); });
  }
  Status PutIdentity(int64_t patient_id, const std::string& sealed) override {
    return Step("PutIdentity", [&] { return inner_->PutIdentity(patient_id, sealed); });
  }
  Result<std::optional<std::string>> FindIdentity(int64_t patient_id) override {
    return Step("FindIdentity", [&] { return inner_->FindIdentity(patient_id); });
  }
  Result<std::vector<int64_t>> ListIdentityPatients() override {
    return Step("ListIdentityPatients", [&] { return inner_->ListIdentityPatients(); });
  }

  Result<int64_t> InsertProtocolVersion(const ProtocolVersion& version) override {
    return Step("InsertProtocolVersion", [&] { return inner_->InsertProtocolVersion(version); });
  }
  Result<std::vector<ProtocolVersion>> ListProtocolVersions() override {
    return Step("ListProtocolVersions", [&] { return inner_->ListProtocolVersions(); });
  }
  Result<int64_t> InsertArmStatusChange(const ArmStatusChange& change) override {
    return Step("InsertArmStatusChange", [&] { return inner_->InsertArmStatusChange(change); });
  }
  Result<std::vector<ArmStatusChange>> ListArmStatusChanges(std::string_view protocol_id) override {
    return Step("ListArmStatusChanges", [&] { return inner_->ListArmStatusChanges(protocol_id); });
  }
  Result<int64_t> InsertSiteActivation(const SiteActivation& activation) override {
    return Step("InsertSiteActivation", [&] { return inner_->InsertSiteActivation(activation); });
  }
  Result<std::vector<SiteActivation>> ListSiteActivations(std::string_view protocol_id) override {
    return Step("ListSiteActivations", [&] { return inner_->ListSiteActivations(protocol_id); });
  }

  Result<int64_t> InsertEnrolment(const Enrolment& enrolment) override {
    return Step("InsertEnrolment", [&] { return inner_->InsertEnrolment(enrolment); });
  }
  Result<std::optional<Enrolment>> FindEnrolmentByKey(std::string_view key) override {
    return Step("FindEnrolmentByKey", [&] { return inner_->FindEnrolmentByKey(key); });
  }
  Result<std::optional<Enrolment>> FindEnrolment(std::string_view protocol_id,
                                                 int64_t patient_id) override {
    return Step("FindEnrolment", [&] { return inner_->FindEnrolment(protocol_id, patient_id); });
  }
  Result<std::vector<Enrolment>> ListEnrolments(std::string_view protocol_id) override {
    return Step("ListEnrolments", [&] { return inner_->ListEnrolments(protocol_id); });
  }
  Result<std::vector<EnrolmentTally>> TallyEnrolments(std::string_view protocol_id) override {
    return Step("TallyEnrolments", [&] { return inner_->TallyEnrolments(protocol_id); });
  }
  Result<int64_t> LastSequencePosition(std::string_view protocol_id,
                                       std::string_view stratum) override {
    return Step("LastSequencePosition",
                [&] { return inner_->LastSequencePosition(protocol_id, stratum); });
  }
  Result<std::optional<RandomisationList>> FindRandomisationList(
      std::string_view protocol_id, std::string_view stratum) override {
    return Step("FindRandomisationList",
                [&] { return inner_->FindRandomisationList(protocol_id, stratum); });
  }
  Result<int64_t> InsertRandomisationList(const RandomisationList& list) override {
    return Step("InsertRandomisationList", [&] { return inner_->InsertRandomisationList(list); });
  }
  Result<std::vector<Enrolment>> ListPatientEnrolments(int64_t patient_id) override {
    return Step("ListPatientEnrolments", [&] { return inner_->ListPatientEnrolments(patient_id); });
  }
  Status InsertEnrolmentEnding(const EnrolmentEnding& ending) override {
    return Step("InsertEnrolmentEnding", [&] { return inner_->InsertEnrolmentEnding(ending); });
  }
  Result<int64_t> InsertAttestation(const Attestation& attestation) override {
    return Step("InsertAttestation", [&] { return inner_->InsertAttestation(attestation); });
  }
  Result<std::vector<Attestation>> ListAttestations(int64_t patient_id) override {
    return Step("ListAttestations", [&] { return inner_->ListAttestations(patient_id); });
  }

  Result<std::optional<AuditEntry>> LastAudit() override {
    return Step("LastAudit", [&] { return inner_->LastAudit(); });
  }
  Result<int64_t> AppendAudit(const AuditEntry& entry) override {
    return Step("AppendAudit", [&] { return inner_->AppendAudit(entry); });
  }
  Status ScanAudit(const std::function<bool(const AuditEntry&)>& visit) override {
    return Step("ScanAudit", [&] { return inner_->ScanAudit(visit); });
  }
  Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) override {
    return Step("ListAudit", [&] { return inner_->ListAudit(filter); });
  }

 private:
  // Counts one statement: the injected error, or what the real one returns.
  template <typename Call>
  auto Step(const char* what, Call call) -> decltype(call()) {
    if (auto error = counter_->Next(what)) return *error;
    return call();
  }

  std::unique_ptr<Transaction> inner_;
  std::shared_ptr<FaultyStore::Counter> counter_;
};

}  // namespace

FaultyStore::FaultyStore(Store& inner) : inner_(inner), counter_(std::make_shared<Counter>()) {}

FaultyStore::~FaultyStore() = default;

void FaultyStore::Arm(const Fault& fault) {
  std::lock_guard lock(counter_->mu);
  counter_->fault = fault;
  counter_->count = 0;
  counter_->failures = 0;
  counter_->log.clear();
}

int64_t FaultyStore::statements() const {
  std::lock_guard lock(counter_->mu);
  return counter_->count;
}

std::vector<std::string> FaultyStore::log() const {
  std::lock_guard lock(counter_->mu);
  return counter_->log;
}

int64_t FaultyStore::failures() const {
  std::lock_guard lock(counter_->mu);
  return counter_->failures;
}

Result<std::unique_ptr<Transaction>> FaultyStore::Begin(TransactionMode mode) {
  auto tx = inner_.Begin(mode);
  if (!tx.ok()) return tx.error();
  return std::unique_ptr<Transaction>(
      std::make_unique<FaultyTransaction>(std::move(*tx), counter_));
}

std::string FaultyStore::InjectedMessage(ErrorCode code) {
  switch (code) {
    case ErrorCode::kStorageFull:
      return "database or disk is full";
    case ErrorCode::kBusy:
      return "database is locked";
    case ErrorCode::kSerializationFailure:
      return "could not serialize access due to concurrent update";
    case ErrorCode::kAlreadyExists:
      return "UNIQUE constraint failed";
    case ErrorCode::kInvalidArgument:
      return "constraint failed";
    default:
      return std::string(Describe(code).name);
  }
}

}  // namespace stream::testing
