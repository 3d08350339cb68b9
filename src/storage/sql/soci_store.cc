#include "storage/sql/soci_store.h"

#include <algorithm>
#include <map>

namespace stream::storage {
namespace {

long long RowInt(const soci::row& row, std::size_t i) {
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(i);
    case soci::dt_long_long:
      return row.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(row.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<long long>(row.get<double>(i));
    default:
      return std::stoll(row.get<std::string>(i));
  }
}

double RowDouble(const soci::row& row, std::size_t i) {
  if (row.get_properties(i).get_data_type() == soci::dt_double) return row.get<double>(i);
  return static_cast<double>(RowInt(row, i));
}

std::string RowText(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return {};
  if (row.get_properties(i).get_data_type() == soci::dt_string) return row.get<std::string>(i);
  return std::to_string(RowInt(row, i));
}

Value ReadValue(const FieldSpec& field, const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return Value{};
  switch (field.type) {
    case FieldType::kInteger:
      return Value{static_cast<int64_t>(RowInt(row, i))};
    case FieldType::kBoolean:
      return Value{RowInt(row, i) != 0};
    case FieldType::kNumber:
      return Value{RowDouble(row, i)};
    case FieldType::kDate: {
      auto d = Date::Parse(RowText(row, i));
      return d ? Value{*d} : Value{};
    }
    case FieldType::kCodeSet: {
      CodeSet set;
      const std::string text = RowText(row, i);
      size_t start = 0;
      while (start < text.size()) {
        size_t end = text.find(';', start);
        if (end == std::string::npos) end = text.size();
        set.push_back(text.substr(start, end - start));
        start = end + 1;
      }
      return Value{std::move(set)};
    }
    case FieldType::kText:
    case FieldType::kCode:
      return Value{RowText(row, i)};
  }
  return Value{};
}

// Parameter buffers for one prepared statement over a kind's fields: SOCI binds by
// reference, so the buffers live as long as the statement and are refilled per call.
struct FieldBuffers {
  std::vector<std::string> text;
  std::vector<long long> integer;
  std::vector<double> real;
  std::vector<soci::indicator> ind;

  explicit FieldBuffers(size_t n) : text(n), integer(n), real(n), ind(n, soci::i_ok) {}

  void Bind(soci::statement& st, const KindSpec& kind) {
    for (size_t i = 0; i < kind.fields.size(); ++i) {
      switch (kind.fields[i].type) {
        case FieldType::kInteger:
        case FieldType::kBoolean:
          st.exchange(soci::use(integer[i], ind[i]));
          break;
        case FieldType::kNumber:
          st.exchange(soci::use(real[i], ind[i]));
          break;
        default:
          st.exchange(soci::use(text[i], ind[i]));
      }
    }
  }

  void Fill(const KindSpec& kind, const std::vector<Value>& values) {
    for (size_t i = 0; i < kind.fields.size(); ++i) {
      const Value& v = i < values.size() ? values[i] : Value{};
      if (IsNull(v)) {
        ind[i] = soci::i_null;
        text[i].clear();
        integer[i] = 0;
        real[i] = 0;
        continue;
      }
      ind[i] = soci::i_ok;
      switch (kind.fields[i].type) {
        case FieldType::kInteger:
          integer[i] = std::holds_alternative<int64_t>(v) ? std::get<int64_t>(v) : 0;
          break;
        case FieldType::kBoolean:
          integer[i] = std::holds_alternative<bool>(v) && std::get<bool>(v) ? 1 : 0;
          break;
        case FieldType::kNumber:
          real[i] = std::holds_alternative<double>(v)    ? std::get<double>(v)
                    : std::holds_alternative<int64_t>(v) ? static_cast<double>(std::get<int64_t>(v))
                                                         : 0.0;
          break;
        default:
          text[i] = ToText(v);
      }
    }
  }
};

// A cached INSERT for one kind.
struct PreparedInsert {
  FieldBuffers buffers;
  long long patient_id = 0;
  std::unique_ptr<soci::statement> statement;
  explicit PreparedInsert(size_t n) : buffers(n) {}
};

// A cached SELECT for listing one kind with one shape of filter.
struct PreparedList {
  long long after = 0, limit = 0, patient = 0;
  std::string site;
  soci::row row;
  std::unique_ptr<soci::statement> statement;
};

std::string Columns(const KindSpec& kind) {
  std::string cols;
  for (const auto& f : kind.fields) {
    cols += ", ";
    cols += f.name;
  }
  return cols;
}

bool IsPatient(const KindSpec& kind) { return &kind == &PatientKind(); }

}  // namespace

class SqlConnection {
 public:
  explicit SqlConnection(std::unique_ptr<soci::session> session) : session_(std::move(session)) {}
  soci::session& session() { return *session_; }

  // The listing statement for `kind` and the filter's shape, prepared once.
  PreparedList& ListFor(const KindSpec& kind, const RecordFilter& filter,
                        const std::string& select) {
    const std::string key = std::string(kind.table) + (filter.patient_id ? "+p" : "") +
                            (filter.site ? "+s" : "") + (filter.include_deleted ? "+d" : "");
    auto& slot = lists_[key];
    if (!slot) {
      slot = std::make_unique<PreparedList>();
      const bool patient = IsPatient(kind);
      std::string sql = select;
      if (filter.site && !patient) sql += " JOIN patients p ON p.id = r.patient_id";
      sql += " WHERE r.id > :after";
      if (filter.patient_id)
        sql += patient ? " AND r.id = :patient" : " AND r.patient_id = :patient";
      if (filter.site) sql += patient ? " AND r.site = :site" : " AND p.site = :site";
      if (!filter.include_deleted) sql += " AND r.deleted = 0";
      sql += " ORDER BY r.id LIMIT :limit";
      auto& st = slot->statement;
      st = std::make_unique<soci::statement>(*session_);
      st->exchange(soci::into(slot->row));
      st->exchange(soci::use(slot->after));
      if (filter.patient_id) st->exchange(soci::use(slot->patient));
      if (filter.site) st->exchange(soci::use(slot->site));
      st->exchange(soci::use(slot->limit));
      st->alloc();
      st->prepare(sql);
      st->define_and_bind();
    }
    return *slot;
  }

  PreparedInsert& InsertFor(const KindSpec& kind) {
    auto& slot = inserts_[kind.table];
    if (!slot) {
      slot = std::make_unique<PreparedInsert>(kind.fields.size());
      std::string params;
      for (const auto& f : kind.fields) params += ", :" + std::string(f.name);
      const std::string sql = IsPatient(kind)
                                  ? "INSERT INTO patients (" + Columns(kind).substr(2) +
                                        ") VALUES (" + params.substr(2) + ")"
                                  : "INSERT INTO " + std::string(kind.table) + " (patient_id" +
                                        Columns(kind) + ") VALUES (:patient_id" + params + ")";
      slot->statement = std::make_unique<soci::statement>(*session_);
      if (!IsPatient(kind)) slot->statement->exchange(soci::use(slot->patient_id));
      slot->buffers.Bind(*slot->statement, kind);
      slot->statement->alloc();
      slot->statement->prepare(sql);
      slot->statement->define_and_bind();
    }
    return *slot;
  }

 private:
  std::unique_ptr<soci::session> session_;
  std::map<std::string_view, std::unique_ptr<PreparedInsert>> inserts_;
  std::map<std::string, std::unique_ptr<PreparedList>> lists_;
};

namespace {

AuditEntry ReadAudit(const soci::row& r) {
  AuditEntry e;
  e.seq = RowInt(r, 0);
  e.at = Timestamp::Parse(RowText(r, 1)).value_or(Timestamp());
  e.actor = RowText(r, 2);
  e.site = RowText(r, 3);
  e.entity = RowText(r, 4);
  e.entity_id = RowInt(r, 5);
  e.patient_id = RowInt(r, 6);
  e.action = RowText(r, 7);
  e.field = RowText(r, 8);
  if (r.get_indicator(9) != soci::i_null) e.old_value = RowText(r, 9);
  if (r.get_indicator(10) != soci::i_null) e.new_value = RowText(r, 10);
  e.reason = RowText(r, 11);
  e.request_id = RowText(r, 12);
  e.prev_hash = RowText(r, 13);
  e.hash = RowText(r, 14);
  return e;
}

constexpr const char* kAuditColumns =
    "seq, at, actor, site, entity, entity_id, patient_id, action, field, old_value, new_value, "
    "reason, request_id, prev_hash, hash";

class SqlTransaction : public Transaction {
 public:
  SqlTransaction(const SqlEngine& engine, SqlPool& pool, std::unique_ptr<SqlConnection> conn,
                 TransactionMode mode)
      : engine_(engine), pool_(pool), conn_(std::move(conn)), sql_(conn_->session()), mode_(mode) {}

  ~SqlTransaction() override {
    try {
      if (begun_ && !done_) {
        sql_ << "ROLLBACK";
        engine_.End(sql_, mode_);
      }
      // Statements of this transaction are finalised while the connection is still
      // ours: once given back, another thread may be using it.
      audit_insert_.reset();
    } catch (const std::exception&) {
      broken_ = true;
    }
    if (broken_) conn_.reset();  // in an unknown state: drop it (closing releases its locks)
    pool_.Give(std::move(conn_));
  }

  Status Commit() override {
    return Guard(engine_, "commit", [&]() -> Status {
      sql_ << "COMMIT";
      done_ = true;
      // The commit stands even if ending fails; the connection is then dropped.
      try {
        engine_.End(sql_, mode_);
      } catch (const std::exception&) {
        broken_ = true;
      }
      return Ok();
    });
  }

  Result<int64_t> InsertSite(const Site& s) override {
    return Guard(engine_, "insert site", [&]() -> Result<int64_t> {
      sql_ << "INSERT INTO sites (code, name, country) VALUES (:c, :n, :k)", soci::use(s.code),
          soci::use(s.name), soci::use(s.country);
      return LastId();
    });
  }

  Result<std::vector<Site>> ListSites() override {
    return Guard(engine_, "list sites", [&]() -> Result<std::vector<Site>> {
      std::vector<Site> out;
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, code, name, country FROM sites ORDER BY code");
      for (const auto& r : rows)
        out.push_back({RowInt(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3)});
      return out;
    });
  }

  Result<std::optional<Site>> FindSite(std::string_view code) override {
    return Guard(engine_, "find site", [&]() -> Result<std::optional<Site>> {
      std::string c(code);
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, code, name, country FROM sites WHERE code = :c",
           soci::use(c));
      for (const auto& r : rows)
        return std::optional<Site>(Site{RowInt(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3)});
      return std::optional<Site>();
    });
  }

  Result<int64_t> InsertUser(const User& u) override {
    return Guard(engine_, "insert user", [&]() -> Result<int64_t> {
      soci::indicator site_ind = u.site.empty() ? soci::i_null : soci::i_ok;
      int disabled = u.disabled ? 1 : 0;
      sql_ << "INSERT INTO users (username, role, site, password_hash, disabled) "
              "VALUES (:u, :r, :s, :p, :d)",
          soci::use(u.username), soci::use(u.role), soci::use(u.site, site_ind),
          soci::use(u.password_hash), soci::use(disabled);
      return LastId();
    });
  }

  Result<std::optional<User>> FindUser(std::string_view username) override {
    return Guard(engine_, "find user", [&]() -> Result<std::optional<User>> {
      std::string name(username);
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, username, role, site, password_hash, disabled FROM users "
                           "WHERE username = :u",
           soci::use(name));
      for (const auto& r : rows) return std::optional<User>(ReadUser(r));
      return std::optional<User>();
    });
  }

  Result<std::vector<User>> ListUsers() override {
    return Guard(engine_, "list users", [&]() -> Result<std::vector<User>> {
      std::vector<User> out;
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, username, role, site, password_hash, disabled FROM users "
                           "ORDER BY username");
      for (const auto& r : rows) out.push_back(ReadUser(r));
      return out;
    });
  }

  Status UpdateUser(const User& u) override {
    return Guard(engine_, "update user", [&]() -> Status {
      soci::indicator site_ind = u.site.empty() ? soci::i_null : soci::i_ok;
      int disabled = u.disabled ? 1 : 0;
      long long id = u.id;
      soci::statement st = (sql_.prepare << "UPDATE users SET role = :r, site = :s, "
                                            "password_hash = :p, disabled = :d WHERE id = :id",
                            soci::use(u.role), soci::use(u.site, site_ind),
                            soci::use(u.password_hash), soci::use(disabled), soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 0) return Error{ErrorCode::kNotFound, "no such user"};
      return Ok();
    });
  }

  Result<int64_t> InsertApiToken(const ApiToken& t) override {
    return Guard(engine_, "insert API token", [&]() -> Result<int64_t> {
      soci::indicator site_ind = t.site.empty() ? soci::i_null : soci::i_ok;
      const std::string at = t.created_at.ToString();
      int revoked = t.revoked ? 1 : 0;
      sql_ << "INSERT INTO api_tokens (token_hash, label, username, role, site, created_at, "
              "revoked) VALUES (:h, :l, :u, :r, :s, :at, :rv)",
          soci::use(t.token_hash), soci::use(t.label), soci::use(t.username), soci::use(t.role),
          soci::use(t.site, site_ind), soci::use(at), soci::use(revoked);
      return LastId();
    });
  }

  Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) override {
    return Guard(engine_, "find API token", [&]() -> Result<std::optional<ApiToken>> {
      std::string h(token_hash);
      soci::rowset<soci::row> rows =
          (sql_.prepare << kTokenSelect << " WHERE token_hash = :h", soci::use(h));
      for (const auto& r : rows) return std::optional<ApiToken>(ReadToken(r));
      return std::optional<ApiToken>();
    });
  }

  Result<std::vector<ApiToken>> ListApiTokens() override {
    return Guard(engine_, "list API tokens", [&]() -> Result<std::vector<ApiToken>> {
      std::vector<ApiToken> out;
      soci::rowset<soci::row> rows = (sql_.prepare << kTokenSelect << " ORDER BY id");
      for (const auto& r : rows) out.push_back(ReadToken(r));
      return out;
    });
  }

  Status RevokeApiToken(int64_t id) override {
    return Guard(engine_, "revoke API token", [&]() -> Status {
      long long i = id;
      soci::statement st =
          (sql_.prepare << "UPDATE api_tokens SET revoked = 1 WHERE id = :id", soci::use(i));
      st.execute(true);
      if (st.get_affected_rows() == 0) return Error{ErrorCode::kNotFound, "no such API token"};
      return Ok();
    });
  }

  Result<int64_t> InsertProtocolVersion(const ProtocolVersion& v) override {
    return Guard(engine_, "insert protocol version", [&]() -> Result<int64_t> {
      const std::string at = v.loaded_at.ToString();
      sql_ << "INSERT INTO protocol_versions (protocol_id, version, source, loaded_at, "
              "loaded_by) VALUES (:p, :v, :s, :at, :by)",
          soci::use(v.protocol_id), soci::use(v.version), soci::use(v.source), soci::use(at),
          soci::use(v.loaded_by);
      return LastId();
    });
  }

  Result<std::vector<ProtocolVersion>> ListProtocolVersions() override {
    return Guard(engine_, "list protocol versions", [&]() -> Result<std::vector<ProtocolVersion>> {
      std::vector<ProtocolVersion> out;
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, protocol_id, version, source, loaded_at, loaded_by "
                           "FROM protocol_versions ORDER BY id");
      for (const auto& r : rows) {
        out.push_back(ProtocolVersion{RowInt(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3),
                                      Timestamp::Parse(RowText(r, 4)).value_or(Timestamp()),
                                      RowText(r, 5)});
      }
      return out;
    });
  }

  Result<int64_t> InsertArmStatusChange(const ArmStatusChange& c) override {
    return Guard(engine_, "insert arm status change", [&]() -> Result<int64_t> {
      const std::string at = c.changed_at.ToString();
      sql_ << "INSERT INTO arm_status_changes (protocol_id, arm, status, reason, changed_at, "
              "changed_by) VALUES (:p, :a, :s, :r, :at, :by)",
          soci::use(c.protocol_id), soci::use(c.arm), soci::use(c.status), soci::use(c.reason),
          soci::use(at), soci::use(c.changed_by);
      return LastId();
    });
  }

  Result<std::vector<ArmStatusChange>> ListArmStatusChanges(std::string_view protocol_id) override {
    return Guard(engine_, "list arm status changes", [&]() -> Result<std::vector<ArmStatusChange>> {
      std::vector<ArmStatusChange> out;
      std::string p(protocol_id);
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, protocol_id, arm, status, reason, changed_at, "
                           "changed_by FROM arm_status_changes WHERE protocol_id = "
                           ":p ORDER BY id",
           soci::use(p));
      for (const auto& r : rows) {
        out.push_back(ArmStatusChange{
            RowInt(r, 0), RowText(r, 1), RowText(r, 2), RowText(r, 3), RowText(r, 4),
            Timestamp::Parse(RowText(r, 5)).value_or(Timestamp()), RowText(r, 6)});
      }
      return out;
    });
  }

  Result<int64_t> InsertRecord(const KindSpec& kind, const Record& record) override {
    return Guard(engine_, "insert " + std::string(kind.name), [&]() -> Result<int64_t> {
      PreparedInsert& ins = conn_->InsertFor(kind);
      ins.patient_id = record.patient_id;
      ins.buffers.Fill(kind, record.values);
      ins.statement->execute(true);
      return LastId();
    });
  }

  Status UpdateRecord(const KindSpec& kind, const Record& record) override {
    return Guard(engine_, "update " + std::string(kind.name), [&]() -> Status {
      std::string sets;
      for (const auto& f : kind.fields)
        sets += std::string(f.name) + " = :" + std::string(f.name) + ", ";
      const std::string sql =
          "UPDATE " + std::string(kind.table) + " SET " + sets +
          "version = version + 1, deleted = :deleted WHERE id = :id AND version = :version";
      FieldBuffers buffers(kind.fields.size());
      buffers.Fill(kind, record.values);
      int deleted = record.deleted ? 1 : 0;
      long long id = record.id;
      long long version = record.version;
      soci::statement st(sql_);
      buffers.Bind(st, kind);
      st.exchange(soci::use(deleted));
      st.exchange(soci::use(id));
      st.exchange(soci::use(version));
      st.alloc();
      st.prepare(sql);
      st.define_and_bind();
      st.execute(true);
      if (st.get_affected_rows() == 1) return Ok();
      long long exists = 0;
      sql_ << "SELECT COUNT(*) FROM " << kind.table << " WHERE id = :id", soci::into(exists),
          soci::use(id);
      if (exists == 0)
        return Fail(ErrorCode::kNotFound,
                    "no " + std::string(kind.name) + " " + std::to_string(id));
      return Fail(ErrorCode::kConflict, std::string(kind.name) + " " + std::to_string(id) +
                                            " was changed meanwhile (version " +
                                            std::to_string(version) + " is stale)");
    });
  }

  Result<std::optional<Record>> FindRecord(const KindSpec& kind, int64_t id) override {
    return Guard(engine_, "find " + std::string(kind.name), [&]() -> Result<std::optional<Record>> {
      long long key = id;
      soci::rowset<soci::row> rows =
          (sql_.prepare << SelectSql(kind) << " WHERE r.id = :id", soci::use(key));
      for (const auto& r : rows) return std::optional<Record>(ReadRecord(kind, r));
      return std::optional<Record>();
    });
  }

  Result<std::optional<Record>> FindPatientByPseudonym(std::string_view pseudonym) override {
    return Guard(engine_, "find patient", [&]() -> Result<std::optional<Record>> {
      std::string p(pseudonym);
      soci::rowset<soci::row> rows =
          (sql_.prepare << SelectSql(PatientKind()) << " WHERE r.pseudonym = :p", soci::use(p));
      for (const auto& r : rows) return std::optional<Record>(ReadRecord(PatientKind(), r));
      return std::optional<Record>();
    });
  }

  Result<std::vector<Record>> ListRecords(const KindSpec& kind,
                                          const RecordFilter& filter) override {
    return Guard(engine_, "list " + std::string(kind.name), [&]() -> Result<std::vector<Record>> {
      PreparedList& list = conn_->ListFor(kind, filter, SelectSql(kind));
      list.after = filter.after_id;
      list.limit = filter.limit;
      list.patient = filter.patient_id.value_or(0);
      list.site = filter.site.value_or("");
      auto& st = *list.statement;
      const soci::row& row = list.row;
      std::vector<Record> out;
      if (st.execute(true)) {
        do {
          out.push_back(ReadRecord(kind, row));
        } while (st.fetch());
      }
      return out;
    });
  }

  Result<int64_t> CountRecords(const KindSpec& kind) override {
    return Guard(engine_, "count " + std::string(kind.name), [&]() -> Result<int64_t> {
      long long n = 0;
      sql_ << "SELECT COUNT(*) FROM " << kind.table, soci::into(n);
      return static_cast<int64_t>(n);
    });
  }

  Status PutIdentity(int64_t patient_id, const std::string& sealed) override {
    return Guard(engine_, "store identity", [&]() -> Status {
      engine_.PutIdentity(sql_, patient_id, sealed);
      return Ok();
    });
  }

  Result<std::optional<std::string>> FindIdentity(int64_t patient_id) override {
    return Guard(engine_, "read identity", [&]() -> Result<std::optional<std::string>> {
      return engine_.FindIdentity(sql_, patient_id);
    });
  }

  Result<int64_t> InsertEnrolment(const Enrolment& e) override {
    return Guard(engine_, "insert enrolment", [&]() -> Result<int64_t> {
      const std::string at = e.enrolled_at.ToString();
      long long patient = e.patient_id;
      long long position = e.sequence_position;
      soci::indicator position_ind = e.sequence_position > 0 ? soci::i_ok : soci::i_null;
      sql_ << "INSERT INTO enrolments (protocol_id, protocol_version, patient_id, arm, method, "
              "stratum, "
              "sequence_position, factor_levels, algorithm_version, idempotency_key, enrolled_at, "
              "enrolled_by) "
              "VALUES (:p, :v, :pt, :a, :m, :s, :q, :f, :al, :k, :at, :by)",
          soci::use(e.protocol_id), soci::use(e.protocol_version), soci::use(patient),
          soci::use(e.arm), soci::use(e.method), soci::use(e.stratum),
          soci::use(position, position_ind), soci::use(e.factor_levels),
          soci::use(e.algorithm_version), soci::use(e.idempotency_key), soci::use(at),
          soci::use(e.enrolled_by);
      return LastId();
    });
  }

  Result<std::optional<Enrolment>> FindEnrolmentByKey(std::string_view key) override {
    return FindOneEnrolment("idempotency_key = :k", std::string(key), 0);
  }

  Result<std::optional<Enrolment>> FindEnrolment(std::string_view protocol_id,
                                                 int64_t patient_id) override {
    return FindOneEnrolment("protocol_id = :k AND patient_id = :pt AND voided = 0",
                            std::string(protocol_id), patient_id);
  }

  Result<std::vector<Enrolment>> ListEnrolments(std::string_view protocol_id) override {
    return Guard(engine_, "list enrolments", [&]() -> Result<std::vector<Enrolment>> {
      std::string p(protocol_id);
      std::vector<Enrolment> out;
      soci::rowset<soci::row> rows =
          (sql_.prepare << kEnrolmentSelect << " WHERE protocol_id = :p AND voided = 0 ORDER BY id",
           soci::use(p));
      for (const auto& r : rows) out.push_back(ReadEnrolment(r));
      return out;
    });
  }

  Result<std::vector<EnrolmentTally>> TallyEnrolments(std::string_view protocol_id) override {
    return Guard(engine_, "count enrolments", [&]() -> Result<std::vector<EnrolmentTally>> {
      std::string p(protocol_id);
      std::vector<EnrolmentTally> out;
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT arm, method, factor_levels, COUNT(*) FROM enrolments WHERE "
                           "protocol_id = :p "
                           "AND voided = 0 GROUP BY arm, method, factor_levels",
           soci::use(p));
      for (const auto& r : rows)
        out.push_back({RowText(r, 0), RowText(r, 1), RowText(r, 2), RowInt(r, 3)});
      return out;
    });
  }

  Result<std::vector<Enrolment>> ListPatientEnrolments(int64_t patient_id) override {
    return Guard(engine_, "list a patient's enrolments", [&]() -> Result<std::vector<Enrolment>> {
      long long pt = patient_id;
      std::vector<Enrolment> out;
      soci::rowset<soci::row> rows =
          (sql_.prepare << kEnrolmentSelect << " WHERE patient_id = :pt AND voided = 0 ORDER BY id",
           soci::use(pt));
      for (const auto& r : rows) out.push_back(ReadEnrolment(r));
      return out;
    });
  }

  Status InsertEnrolmentEnding(const EnrolmentEnding& x) override {
    return Guard(engine_, "end enrolment", [&]() -> Status {
      long long id = x.enrolment_id;
      const std::string date = x.off_study_date.ToString(), at = x.ended_at.ToString();
      sql_ << "INSERT INTO enrolment_endings (enrolment_id, off_study_date, off_study_reason, "
              "note, ended_at, ended_by) VALUES (:e, :d, :r, :n, :at, :by)",
          soci::use(id), soci::use(date), soci::use(x.reason), soci::use(x.note), soci::use(at),
          soci::use(x.ended_by);
      return Ok();
    });
  }

  Result<int64_t> InsertSiteActivation(const SiteActivation& a) override {
    return Guard(engine_, "insert site activation", [&]() -> Result<int64_t> {
      const std::string on = a.effective_on.ToString(), at = a.changed_at.ToString();
      sql_ << "INSERT INTO site_activations (protocol_id, site, status, effective_on, "
              "protocol_version, approval_reference, reason, changed_at, changed_by) VALUES "
              "(:p, :s, :st, :on, :v, :ref, :r, :at, :by)",
          soci::use(a.protocol_id), soci::use(a.site), soci::use(a.status), soci::use(on),
          soci::use(a.protocol_version), soci::use(a.approval_reference), soci::use(a.reason),
          soci::use(at), soci::use(a.changed_by);
      return LastId();
    });
  }

  Result<std::vector<SiteActivation>> ListSiteActivations(std::string_view protocol_id) override {
    return Guard(engine_, "list site activations", [&]() -> Result<std::vector<SiteActivation>> {
      std::string p(protocol_id);
      std::vector<SiteActivation> out;
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, protocol_id, site, status, effective_on, protocol_version, "
                           "approval_reference, reason, changed_at, changed_by FROM "
                           "site_activations WHERE protocol_id = :p OR :p2 = '' ORDER BY id",
           soci::use(p), soci::use(p));
      for (const auto& r : rows) {
        SiteActivation a;
        a.id = RowInt(r, 0);
        a.protocol_id = RowText(r, 1);
        a.site = RowText(r, 2);
        a.status = RowText(r, 3);
        a.effective_on = Date::Parse(RowText(r, 4)).value_or(Date());
        a.protocol_version = RowText(r, 5);
        a.approval_reference = RowText(r, 6);
        a.reason = RowText(r, 7);
        a.changed_at = Timestamp::Parse(RowText(r, 8)).value_or(Timestamp());
        a.changed_by = RowText(r, 9);
        out.push_back(std::move(a));
      }
      return out;
    });
  }

  Result<int64_t> InsertAttestation(const Attestation& a) override {
    return Guard(engine_, "insert attestation", [&]() -> Result<int64_t> {
      long long pt = a.patient_id;
      int value = a.value ? 1 : 0;
      const std::string on = a.attested_on.ToString(), at = a.attested_at.ToString();
      sql_ << "INSERT INTO attestations (patient_id, protocol_id, protocol_version, criterion, "
              "name, value, attested_on, attested_at, attested_by, site) VALUES "
              "(:pt, :p, :v, :c, :n, :val, :on, :at, :by, :s)",
          soci::use(pt), soci::use(a.protocol_id), soci::use(a.protocol_version),
          soci::use(a.criterion), soci::use(a.name), soci::use(value), soci::use(on), soci::use(at),
          soci::use(a.attested_by), soci::use(a.site);
      return LastId();
    });
  }

  Result<std::vector<Attestation>> ListAttestations(int64_t patient_id) override {
    return Guard(engine_, "list attestations", [&]() -> Result<std::vector<Attestation>> {
      long long pt = patient_id;
      std::vector<Attestation> out;
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT id, patient_id, protocol_id, protocol_version, criterion, name, "
                           "value, attested_on, attested_at, attested_by, site FROM attestations "
                           "WHERE patient_id = :pt ORDER BY id",
           soci::use(pt));
      for (const auto& r : rows) {
        Attestation a;
        a.id = RowInt(r, 0);
        a.patient_id = RowInt(r, 1);
        a.protocol_id = RowText(r, 2);
        a.protocol_version = RowText(r, 3);
        a.criterion = RowText(r, 4);
        a.name = RowText(r, 5);
        a.value = RowInt(r, 6) != 0;
        a.attested_on = Date::Parse(RowText(r, 7)).value_or(Date());
        a.attested_at = Timestamp::Parse(RowText(r, 8)).value_or(Timestamp());
        a.attested_by = RowText(r, 9);
        a.site = RowText(r, 10);
        out.push_back(std::move(a));
      }
      return out;
    });
  }

  Result<int64_t> LastSequencePosition(std::string_view protocol_id,
                                       std::string_view stratum) override {
    return Guard(engine_, "read sequence position", [&]() -> Result<int64_t> {
      std::string p(protocol_id), s(stratum);
      long long last = 0;
      soci::indicator ind = soci::i_null;
      sql_ << "SELECT MAX(sequence_position) FROM enrolments WHERE protocol_id = :p AND stratum = "
              ":s",
          soci::into(last, ind), soci::use(p), soci::use(s);
      return static_cast<int64_t>(ind == soci::i_null ? 0 : last);
    });
  }

  Result<std::optional<RandomisationList>> FindRandomisationList(
      std::string_view protocol_id, std::string_view stratum) override {
    return Guard(
        engine_, "read randomisation list", [&]() -> Result<std::optional<RandomisationList>> {
          std::string p(protocol_id), s(stratum);
          soci::rowset<soci::row> rows = (sql_.prepare << "SELECT protocol_id, stratum, algorithm, "
                                                          "list_length, list_hash, activated_at, "
                                                          "activated_by FROM randomisation_lists "
                                                          "WHERE protocol_id = :p AND stratum = :s",
                                          soci::use(p), soci::use(s));
          for (const auto& r : rows) {
            return std::optional<RandomisationList>(RandomisationList{
                RowText(r, 0), RowText(r, 1), RowText(r, 2), RowInt(r, 3), RowText(r, 4),
                Timestamp::Parse(RowText(r, 5)).value_or(Timestamp()), RowText(r, 6)});
          }
          return std::optional<RandomisationList>();
        });
  }

  Result<int64_t> InsertRandomisationList(const RandomisationList& l) override {
    return Guard(engine_, "activate randomisation list", [&]() -> Result<int64_t> {
      const std::string at = l.activated_at.ToString();
      long long length = l.length;
      sql_ << "INSERT INTO randomisation_lists (protocol_id, stratum, algorithm, list_length, "
              "list_hash, "
              "activated_at, activated_by) VALUES (:p, :s, :a, :n, :h, :at, :by)",
          soci::use(l.protocol_id), soci::use(l.stratum), soci::use(l.algorithm), soci::use(length),
          soci::use(l.list_hash), soci::use(at), soci::use(l.activated_by);
      return LastId();
    });
  }

  Result<std::optional<AuditEntry>> LastAudit() override {
    return Guard(engine_, "read audit", [&]() -> Result<std::optional<AuditEntry>> {
      soci::rowset<soci::row> rows = (sql_.prepare << "SELECT " << kAuditColumns
                                                   << " FROM audit_log ORDER BY seq DESC LIMIT 1");
      for (const auto& r : rows) return std::optional<AuditEntry>(ReadAudit(r));
      return std::optional<AuditEntry>();
    });
  }

  Result<int64_t> AppendAudit(const AuditEntry& e) override {
    return Guard(engine_, "append audit", [&]() -> Result<int64_t> {
      if (!audit_insert_) PrepareAuditInsert();
      audit_ = e;
      audit_at_ = e.at.ToString();
      audit_entity_id_ = e.entity_id;
      audit_patient_id_ = e.patient_id;
      old_ind_ = e.old_value ? soci::i_ok : soci::i_null;
      new_ind_ = e.new_value ? soci::i_ok : soci::i_null;
      audit_old_ = e.old_value.value_or("");
      audit_new_ = e.new_value.value_or("");
      audit_insert_->execute(true);
      return LastId();
    });
  }

  Status ScanAudit(const std::function<bool(const AuditEntry&)>& visit) override {
    return Guard(engine_, "scan audit", [&]() -> Status {
      soci::rowset<soci::row> rows =
          (sql_.prepare << "SELECT " << kAuditColumns << " FROM audit_log ORDER BY seq");
      for (const auto& r : rows) {
        if (!visit(ReadAudit(r))) break;
      }
      return Ok();
    });
  }

  Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) override {
    return Guard(engine_, "query audit", [&]() -> Result<std::vector<AuditEntry>> {
      // Every condition is bound, never spliced: values come from API callers.
      std::string where = " WHERE 1 = 1";
      long long patient = f.patient_id.value_or(0), entity_id = f.entity_id.value_or(0);
      long long before = f.before_seq, limit = std::clamp<int64_t>(f.limit, 1, 10000);
      std::string entity = f.entity.value_or(""), actor = f.actor.value_or("");
      std::string site = f.site.value_or("");
      soci::statement st(sql_);
      soci::row row;
      st.exchange(soci::into(row));
      if (f.patient_id) where += " AND patient_id = :pt", st.exchange(soci::use(patient));
      if (f.entity) where += " AND entity = :en", st.exchange(soci::use(entity));
      if (f.entity_id) where += " AND entity_id = :eid", st.exchange(soci::use(entity_id));
      if (f.actor) where += " AND actor = :ac", st.exchange(soci::use(actor));
      if (f.site) where += " AND site = :si", st.exchange(soci::use(site));
      if (f.before_seq > 0) where += " AND seq < :bs", st.exchange(soci::use(before));
      st.exchange(soci::use(limit));
      st.alloc();
      st.prepare(std::string("SELECT ") + kAuditColumns + " FROM audit_log" + where +
                 " ORDER BY seq DESC LIMIT :lim");
      st.define_and_bind();
      std::vector<AuditEntry> out;
      if (st.execute(true)) {
        do out.push_back(ReadAudit(row));
        while (st.fetch());
      }
      return out;
    });
  }

  Status Begin() {
    return Guard(engine_, "begin", [&]() -> Status {
      engine_.Begin(sql_, mode_);
      begun_ = true;
      return Ok();
    });
  }

 private:
  int64_t LastId() { return engine_.LastInsertId(sql_); }

  // With the enrolment's ending, when it has one (migration 004).
  static constexpr const char* kEnrolmentSelect =
      "SELECT id, protocol_id, protocol_version, patient_id, arm, method, stratum, "
      "sequence_position, "
      "factor_levels, algorithm_version, idempotency_key, enrolled_at, enrolled_by, voided, "
      "off_study_date, off_study_reason FROM "
      "enrolments LEFT JOIN enrolment_endings ON enrolment_endings.enrolment_id = enrolments.id";

  static Enrolment ReadEnrolment(const soci::row& r) {
    Enrolment e;
    e.id = RowInt(r, 0);
    e.protocol_id = RowText(r, 1);
    e.protocol_version = RowText(r, 2);
    e.patient_id = RowInt(r, 3);
    e.arm = RowText(r, 4);
    e.method = RowText(r, 5);
    e.stratum = RowText(r, 6);
    e.sequence_position = r.get_indicator(7) == soci::i_null ? 0 : RowInt(r, 7);
    e.factor_levels = RowText(r, 8);
    e.algorithm_version = RowText(r, 9);
    e.idempotency_key = RowText(r, 10);
    e.enrolled_at = Timestamp::Parse(RowText(r, 11)).value_or(Timestamp());
    e.enrolled_by = RowText(r, 12);
    e.voided = RowInt(r, 13) != 0;
    if (r.get_indicator(14) != soci::i_null) e.off_study_date = Date::Parse(RowText(r, 14));
    e.off_study_reason = RowText(r, 15);
    return e;
  }

  Result<std::optional<Enrolment>> FindOneEnrolment(const std::string& where, std::string key,
                                                    int64_t patient) {
    return Guard(engine_, "find enrolment", [&]() -> Result<std::optional<Enrolment>> {
      long long pt = patient;
      soci::statement st(sql_);
      soci::row row;
      st.exchange(soci::into(row));
      st.exchange(soci::use(key));
      if (where.find(":pt") != std::string::npos) st.exchange(soci::use(pt));
      st.alloc();
      st.prepare(std::string(kEnrolmentSelect) + " WHERE " + where);
      st.define_and_bind();
      if (st.execute(true)) return std::optional<Enrolment>(ReadEnrolment(row));
      return std::optional<Enrolment>();
    });
  }

  static constexpr const char* kTokenSelect =
      "SELECT id, token_hash, label, username, role, site, created_at, revoked FROM api_tokens";

  static ApiToken ReadToken(const soci::row& r) {
    return ApiToken{RowInt(r, 0),
                    RowText(r, 1),
                    RowText(r, 2),
                    RowText(r, 3),
                    RowText(r, 4),
                    RowText(r, 5),
                    Timestamp::Parse(RowText(r, 6)).value_or(Timestamp()),
                    RowInt(r, 7) != 0};
  }

  static User ReadUser(const soci::row& r) {
    return User{RowInt(r, 0),  RowText(r, 1), RowText(r, 2),
                RowText(r, 3), RowText(r, 4), RowInt(r, 5) != 0};
  }

  static std::string SelectSql(const KindSpec& kind) {
    std::string cols =
        "r.id, " + std::string(IsPatient(kind) ? "0" : "r.patient_id") + ", r.version, r.deleted";
    for (const auto& f : kind.fields) cols += ", r." + std::string(f.name);
    return "SELECT " + cols + " FROM " + std::string(kind.table) + " r";
  }

  static Record ReadRecord(const KindSpec& kind, const soci::row& r) {
    Record rec;
    rec.id = RowInt(r, 0);
    rec.patient_id = RowInt(r, 1);
    rec.version = RowInt(r, 2);
    rec.deleted = RowInt(r, 3) != 0;
    rec.values.reserve(kind.fields.size());
    for (size_t i = 0; i < kind.fields.size(); ++i)
      rec.values.push_back(ReadValue(kind.fields[i], r, i + 4));
    return rec;
  }

  void PrepareAuditInsert() {
    audit_insert_ = std::make_unique<soci::statement>(sql_);
    auto& st = *audit_insert_;
    st.exchange(soci::use(audit_at_));
    st.exchange(soci::use(audit_.actor));
    st.exchange(soci::use(audit_.site));
    st.exchange(soci::use(audit_.entity));
    st.exchange(soci::use(audit_entity_id_));
    st.exchange(soci::use(audit_patient_id_));
    st.exchange(soci::use(audit_.action));
    st.exchange(soci::use(audit_.field));
    st.exchange(soci::use(audit_old_, old_ind_));
    st.exchange(soci::use(audit_new_, new_ind_));
    st.exchange(soci::use(audit_.reason));
    st.exchange(soci::use(audit_.request_id));
    st.exchange(soci::use(audit_.prev_hash));
    st.exchange(soci::use(audit_.hash));
    st.alloc();
    st.prepare(
        "INSERT INTO audit_log (at, actor, site, entity, entity_id, patient_id, action, field, "
        "old_value, new_value, reason, request_id, prev_hash, hash) VALUES (:at, :actor, :site, "
        ":entity, :entity_id, :patient_id, :action, :field, :old, :new, :reason, :request_id, "
        ":prev_hash, :hash)");
    st.define_and_bind();
  }

  const SqlEngine& engine_;
  SqlPool& pool_;
  std::unique_ptr<SqlConnection> conn_;
  soci::session& sql_;
  TransactionMode mode_;
  bool begun_ = false;  // Begin succeeded: the destructor must roll back unless done_
  bool done_ = false;
  bool broken_ = false;
  // Buffers of the prepared audit insert.
  std::unique_ptr<soci::statement> audit_insert_;
  AuditEntry audit_;
  std::string audit_at_, audit_old_, audit_new_;
  long long audit_entity_id_ = 0, audit_patient_id_ = 0;
  soci::indicator old_ind_ = soci::i_null, new_ind_ = soci::i_null;
};

}  // namespace

SqlPool::SqlPool(const SqlEngine& engine, int size) : engine_(engine), size_(size) {}

SqlPool::~SqlPool() = default;

std::unique_ptr<SqlConnection> SqlPool::Take() {
  std::unique_lock lock(mu_);
  if (free_.empty() && created_ < size_) {
    ++created_;
    lock.unlock();
    try {
      return std::make_unique<SqlConnection>(engine_.Connect());
    } catch (...) {
      Give(nullptr);
      throw;
    }
  }
  cv_.wait(lock, [&] { return !free_.empty(); });
  auto c = std::move(free_.back());
  free_.pop_back();
  return c;
}

void SqlPool::Give(std::unique_ptr<SqlConnection> c) {
  {
    std::lock_guard lock(mu_);
    if (c) {
      free_.push_back(std::move(c));
    } else {
      --created_;  // a broken connection is dropped
    }
  }
  cv_.notify_one();
}

Result<std::unique_ptr<Transaction>> SqlPool::Begin(TransactionMode mode) {
  std::unique_ptr<SqlConnection> conn;
  try {
    conn = Take();
  } catch (const std::exception& e) {
    return engine_.MapError(e, "open connection");
  }
  auto tx = std::make_unique<SqlTransaction>(engine_, *this, std::move(conn), mode);
  STREAM_RETURN_IF_ERROR(tx->Begin());
  return std::unique_ptr<Transaction>(std::move(tx));
}

Status SqlPool::WithSession(std::string_view doing,
                            const std::function<Status(soci::session&)>& body) {
  std::unique_ptr<SqlConnection> conn;
  try {
    conn = Take();
  } catch (const std::exception& e) {
    return engine_.MapError(e, "open connection");
  }
  Status status = Guard(engine_, doing, [&]() -> Status { return body(conn->session()); });
  Give(std::move(conn));
  return status;
}

void RunScript(soci::session& sql, const std::string& script) {
  size_t start = 0;
  while (start < script.size()) {
    size_t end = script.find(";\n", start);
    if (end == std::string::npos) end = script.size();
    const std::string statement = script.substr(start, end - start);
    if (statement.find_first_not_of(" \n") != std::string::npos) sql << statement;
    start = end + 1;
  }
}

Status CheckSchemaVersion(int found, int current, bool create, bool migrate) {
  if (found > current) {
    return Fail(ErrorCode::kSchemaTooNew,
                "the database has schema version " + std::to_string(found) +
                    " but this program knows only up to " + std::to_string(current));
  }
  if (found < current && found > 0 && !migrate) {
    return Fail(ErrorCode::kSchemaOutdated,
                "the database has schema version " + std::to_string(found) +
                    "; run with --migrate to upgrade it to " + std::to_string(current));
  }
  if (found == 0 && !create) {
    return Fail(ErrorCode::kNotFound, "no STREAM database here; run 'stream init' first");
  }
  return Ok();
}

}  // namespace stream::storage
