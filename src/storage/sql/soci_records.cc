// The SQL statements of patients and their clinical records (core/record_repository.h):
// one table per kind of core/schema.h, read and written field by field, and the sealed
// identities the engine stores apart. Inserts and listings are prepared once per
// connection: they run for every record of a bulk import.
#include <variant>

#include "storage/sql/sql_transaction.h"

namespace stream::storage {
namespace {

bool IsPatient(const KindSpec& kind) { return &kind == &PatientKind(); }

Value ReadValue(const FieldSpec& field, const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return Value{};
  switch (field.type) {
    case FieldType::kInteger:
      return Value{static_cast<int64_t>(RowInt(row, i))};
    case FieldType::kBoolean:
      return Value{RowBool(row, i)};
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

// Columns: id, patient id (0 for a patient), version, deleted, then the kind's fields.
Record ReadRecord(const KindSpec& kind, const soci::row& r) {
  Record rec;
  rec.id = RowInt(r, 0);
  rec.patient_id = RowInt(r, 1);
  rec.version = RowInt(r, 2);
  rec.deleted = RowBool(r, 3);
  rec.values.reserve(kind.fields.size());
  for (size_t i = 0; i < kind.fields.size(); ++i)
    rec.values.push_back(ReadValue(kind.fields[i], r, i + 4));
  return rec;
}

std::string SelectSql(const KindSpec& kind) {
  std::string cols =
      "r.id, " + std::string(IsPatient(kind) ? "0" : "r.patient_id") + ", r.version, r.deleted";
  for (const auto& f : kind.fields) cols += ", r." + std::string(f.name);
  return "SELECT " + cols + " FROM " + std::string(kind.table) + " r";
}

// Parameter buffers over a kind's fields, refilled for every call of the statement they
// are bound to.
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

// The INSERT of one kind.
struct PreparedInsert : PreparedStatement {
  FieldBuffers buffers;
  long long patient_id = 0;
  std::unique_ptr<soci::statement> statement;
  explicit PreparedInsert(size_t n) : buffers(n) {}
};

// The SELECT listing one kind with one shape of filter.
struct PreparedList : PreparedStatement {
  long long after = 0, limit = 0, patient = 0;
  std::string site;
  soci::row row;
  std::unique_ptr<soci::statement> statement;
};

std::unique_ptr<PreparedInsert> PrepareInsert(soci::session& sql, const KindSpec& kind) {
  auto p = std::make_unique<PreparedInsert>(kind.fields.size());
  std::string columns, params;
  for (const auto& f : kind.fields) {
    columns += ", " + std::string(f.name);
    params += ", :" + std::string(f.name);
  }
  const std::string query =
      IsPatient(kind)
          ? "INSERT INTO patients (" + columns.substr(2) + ") VALUES (" + params.substr(2) + ")"
          : "INSERT INTO " + std::string(kind.table) + " (patient_id" + columns +
                ") VALUES (:patient_id" + params + ")";
  p->statement = std::make_unique<soci::statement>(sql);
  if (!IsPatient(kind)) p->statement->exchange(soci::use(p->patient_id));
  p->buffers.Bind(*p->statement, kind);
  p->statement->alloc();
  p->statement->prepare(query);
  p->statement->define_and_bind();
  return p;
}

std::unique_ptr<PreparedList> PrepareList(soci::session& sql, const KindSpec& kind,
                                          const RecordFilter& filter) {
  auto p = std::make_unique<PreparedList>();
  const bool patient = IsPatient(kind);
  std::string query = SelectSql(kind);
  if (filter.site && !patient) query += " JOIN patients p ON p.id = r.patient_id";
  query += " WHERE r.id > :after";
  if (filter.patient_id) query += patient ? " AND r.id = :patient" : " AND r.patient_id = :patient";
  if (filter.site) query += patient ? " AND r.site = :site" : " AND p.site = :site";
  if (!filter.include_deleted) query += " AND r.deleted = 0";
  query += " ORDER BY r.id LIMIT :limit";
  auto& st = p->statement;
  st = std::make_unique<soci::statement>(sql);
  st->exchange(soci::into(p->row));
  st->exchange(soci::use(p->after));
  if (filter.patient_id) st->exchange(soci::use(p->patient));
  if (filter.site) st->exchange(soci::use(p->site));
  st->exchange(soci::use(p->limit));
  st->alloc();
  st->prepare(query);
  st->define_and_bind();
  return p;
}

}  // namespace

Result<int64_t> SqlTransaction::InsertRecord(const KindSpec& kind, const Record& record) {
  return Guard(engine_, "insert " + std::string(kind.name), [&]() -> Result<int64_t> {
    auto& insert = conn_->Prepared<PreparedInsert>("insert " + std::string(kind.table),
                                                   [&] { return PrepareInsert(sql_, kind); });
    insert.patient_id = record.patient_id;
    insert.buffers.Fill(kind, record.values);
    insert.statement->execute(true);
    return LastId();
  });
}

Status SqlTransaction::UpdateRecord(const KindSpec& kind, const Record& record) {
  return Guard(engine_, "update " + std::string(kind.name), [&]() -> Status {
    std::string sets;
    for (const auto& f : kind.fields)
      sets += std::string(f.name) + " = :" + std::string(f.name) + ", ";
    const std::string query =
        "UPDATE " + std::string(kind.table) + " SET " + sets +
        "version = version + 1, deleted = :deleted WHERE id = :id AND version = :version";
    FieldBuffers buffers(kind.fields.size());
    buffers.Fill(kind, record.values);
    int deleted = record.deleted ? 1 : 0;
    long long id = record.id;
    long long version = record.version;
    soci::statement st(sql_);
    buffers.Bind(st, kind);
    Prepare(st, nullptr, query, soci::use(deleted), soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() == 1) return Ok();
    long long exists = 0;
    sql_ << "SELECT COUNT(*) FROM " << kind.table << " WHERE id = :id", soci::into(exists),
        soci::use(id);
    if (exists == 0)
      return Fail(ErrorCode::kNotFound, "no " + std::string(kind.name) + " " + std::to_string(id));
    return Fail(ErrorCode::kConflict, std::string(kind.name) + " " + std::to_string(id) +
                                          " was changed meanwhile (version " +
                                          std::to_string(version) + " is stale)");
  });
}

Result<std::optional<Record>> SqlTransaction::FindRecord(const KindSpec& kind, int64_t id) {
  const long long key = id;
  return ReadRow(
      "find " + std::string(kind.name), SelectSql(kind) + " WHERE r.id = :id",
      [&](const soci::row& r) { return ReadRecord(kind, r); }, soci::use(key));
}

Result<std::optional<Record>> SqlTransaction::FindPatientByPseudonym(std::string_view pseudonym) {
  const std::string p(pseudonym);
  return ReadRow(
      "find patient", SelectSql(PatientKind()) + " WHERE r.pseudonym = :p",
      [](const soci::row& r) { return ReadRecord(PatientKind(), r); }, soci::use(p));
}

Result<std::vector<Record>> SqlTransaction::ListRecords(const KindSpec& kind,
                                                        const RecordFilter& filter) {
  return Guard(engine_, "list " + std::string(kind.name), [&]() -> Result<std::vector<Record>> {
    // One statement per kind and shape of filter (which conditions it has).
    const std::string key = "list " + std::string(kind.table) + (filter.patient_id ? "+p" : "") +
                            (filter.site ? "+s" : "") + (filter.include_deleted ? "+d" : "");
    auto& list =
        conn_->Prepared<PreparedList>(key, [&] { return PrepareList(sql_, kind, filter); });
    list.after = filter.after_id;
    list.limit = filter.limit;
    list.patient = filter.patient_id.value_or(0);
    list.site = filter.site.value_or("");
    std::vector<Record> out;
    if (list.statement->execute(true)) {
      do out.push_back(ReadRecord(kind, list.row));
      while (list.statement->fetch());
    }
    return out;
  });
}

Result<int64_t> SqlTransaction::CountRecords(const KindSpec& kind) {
  return Guard(engine_, "count " + std::string(kind.name), [&]() -> Result<int64_t> {
    long long n = 0;
    sql_ << "SELECT COUNT(*) FROM " << kind.table, soci::into(n);
    return static_cast<int64_t>(n);
  });
}

Status SqlTransaction::PutIdentity(int64_t patient_id, const std::string& sealed) {
  return Guard(engine_, "store identity", [&]() -> Status {
    engine_.PutIdentity(sql_, patient_id, sealed);
    return Ok();
  });
}

Result<std::optional<std::string>> SqlTransaction::FindIdentity(int64_t patient_id) {
  return Guard(engine_, "read identity", [&]() -> Result<std::optional<std::string>> {
    return engine_.FindIdentity(sql_, patient_id);
  });
}

Result<std::vector<int64_t>> SqlTransaction::ListIdentityPatients() {
  return Guard(engine_, "list identities", [&]() -> Result<std::vector<int64_t>> {
    std::vector<int64_t> out;
    soci::rowset<long long> rows =
        (sql_.prepare << "SELECT patient_id FROM " << engine_.IdentityTable()
                      << " ORDER BY patient_id");
    for (const long long id : rows) out.push_back(id);
    return out;
  });
}

}  // namespace stream::storage
