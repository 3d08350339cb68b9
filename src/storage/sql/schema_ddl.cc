#include "storage/sql/schema_ddl.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "core/schema.h"

namespace stream::storage {
namespace {

// A number as SQL writes it: 100 rather than 100.000000.
std::string Literal(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// The column's type and checks, with the {int}/{real} placeholders of RenderSql.
std::string ColumnSql(const FieldSpec& f, bool not_null) {
  std::string sql(f.name);
  switch (f.type) {
    case FieldType::kInteger:
    case FieldType::kBoolean:
      sql += " {int}";
      break;
    case FieldType::kNumber:
      sql += " {real}";
      break;
    default:
      sql += " TEXT";
  }
  if (not_null && f.required) sql += " NOT NULL";
  if (f.type == FieldType::kBoolean) {
    sql += " CHECK (" + std::string(f.name) + " IN (0, 1))";
  } else if (f.min && f.max && (f.type == FieldType::kInteger || f.type == FieldType::kNumber)) {
    sql += " CHECK (" + std::string(f.name) + " BETWEEN " + Literal(*f.min) + " AND " +
           Literal(*f.max) + ")";
  }
  return sql;
}

std::string CreateTable(const KindSpec& kind) {
  std::string sql = "CREATE TABLE " + std::string(kind.table) +
                    " (\n  id {id},\n  patient_id {int} NOT NULL REFERENCES patients(id),\n";
  for (const auto& f : kind.fields) {
    if (f.added_in > kind.added_in) continue;  // added to the table later
    sql += "  " + ColumnSql(f, true) + ",\n";
  }
  sql +=
      "  version {int} NOT NULL DEFAULT 1,\n"
      "  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))\n);\n";
  sql += "CREATE INDEX " + std::string(kind.table) + "_patient ON " + std::string(kind.table) +
         "(patient_id);\n";
  return sql;
}

}  // namespace

int LatestDataModelMigration() {
  int latest = kLastHandWrittenMigration;
  for (const auto& kind : RecordKinds()) {
    latest = std::max(latest, kind.added_in);
    for (const auto& f : kind.fields) latest = std::max(latest, f.added_in);
  }
  return latest;
}

std::string DataModelMigrationSql(SqlDialect dialect, int number) {
  std::string sql;
  for (const auto& kind : RecordKinds()) {
    if (kind.added_in == number) {
      sql += CreateTable(kind);
      continue;
    }
    if (kind.added_in > number) continue;
    // A field added to an existing table later than the table itself.
    for (const auto& f : kind.fields) {
      if (f.added_in != number) continue;
      if (f.required) {
        throw std::logic_error("schema: " + std::string(kind.name) + "." + std::string(f.name) +
                               " is added to an existing table and must be optional");
      }
      sql +=
          "ALTER TABLE " + std::string(kind.table) + " ADD COLUMN " + ColumnSql(f, false) + ";\n";
    }
  }
  return RenderSql(sql, dialect);
}

std::vector<Migration> WithDataModelMigrations(std::vector<Migration> hand_written,
                                               SqlDialect dialect) {
  for (int n = kLastHandWrittenMigration + 1; n <= LatestDataModelMigration(); ++n) {
    hand_written.push_back({n, "data model", DataModelMigrationSql(dialect, n)});
  }
  return hand_written;
}

}  // namespace stream::storage
