// Numbered schema migrations of the SQLite backend. A migration is never edited once
// released: a change to the data model is a new migration at the end of the list.
// The tables are shared with PostgreSQL (storage/sql/registry_tables.h).
#include "storage/sqlite/migrations.h"

#include <vector>

#include "storage/sql/registry_tables.h"
#include "storage/sql/schema_ddl.h"

namespace stream::storage {
namespace {

// The audit table is append-only: the database itself refuses UPDATE and DELETE.
constexpr const char* kAuditTriggers =
    R"sql(CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

}  // namespace

std::span<const Migration> SqliteMigrations() {
  static const std::vector<Migration> migrations = WithDataModelMigrations(
      {
          // 001: sites, users, patients, every clinical record kind, and the audit trail.
          {1, "registry", RegistryTablesSql(SqlDialect::kSqlite) + kAuditTriggers},
          // 002: enrolments with their allocations, and the activation records of
          // randomisation lists (the lists themselves are regenerated from the secret seed).
          {2, "enrolment", EnrolmentTablesSql(SqlDialect::kSqlite)},
          // 003: API tokens, protocol versions and arm status changes made through the API.
          {3, "access", AccessTablesSql(SqlDialect::kSqlite)},
          // 004: enrolment endings (off study), site activations per protocol, attestations.
          {4, "operations", OperationsTablesSql(SqlDialect::kSqlite)},
          // 005: a response's CNS status and a relapse's sites (childhood ALL disease course).
          {5, "disease course", DiseaseCourseColumnsSql(SqlDialect::kSqlite)},
      },
      // 006 and later: the record kinds and fields the data model adds, generated from it
      // (storage/sql/schema_ddl.h).
      SqlDialect::kSqlite);
  return migrations;
}

}  // namespace stream::storage
