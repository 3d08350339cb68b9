// Numbered schema migrations of the PostgreSQL backend. A migration is never edited
// once released. The tables are shared with SQLite (storage/sql/registry_tables.h);
// what is PostgreSQL's own: the identity schema, the audit triggers and the grants.
#include "storage/postgres/migrations.h"

#include <vector>

#include "storage/sql/registry_tables.h"
#include "storage/sql/schema_ddl.h"

namespace stream::storage {
namespace {

// The audit table is append-only: the triggers refuse UPDATE, DELETE and TRUNCATE for
// every role, the owner included. Each statement is on one line (see RunScript).
constexpr const char* kAuditProtection = R"sql(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE SCHEMA identity;
CREATE TABLE identity.identities (patient_id BIGINT PRIMARY KEY, sealed BYTEA NOT NULL);
)sql";

}  // namespace

std::span<const Migration> PostgresMigrations() {
  static const std::vector<Migration> migrations = WithDataModelMigrations(
      {
          // 001: sites, users, patients, every clinical record kind, the audit trail and
          // the identity store.
          {1, "registry", RegistryTablesSql(SqlDialect::kPostgres) + kAuditProtection},
          // 002: enrolments and the activation records of randomisation lists.
          {2, "enrolment", EnrolmentTablesSql(SqlDialect::kPostgres)},
          // 003: API tokens, protocol versions and arm status changes made through the API.
          {3, "access", AccessTablesSql(SqlDialect::kPostgres)},
          // 004: enrolment endings (off study), site activations per protocol, attestations.
          {4, "operations", OperationsTablesSql(SqlDialect::kPostgres)},
          // 005: a response's CNS status and a relapse's sites (childhood ALL disease course).
          {5, "disease course", DiseaseCourseColumnsSql(SqlDialect::kPostgres)},
      },
      // 006 and later: the record kinds and fields the data model adds, generated from it
      // (storage/sql/schema_ddl.h).
      SqlDialect::kPostgres);
  return migrations;
}

std::string PostgresGrantsSql(const std::string& role) {
  const std::string r = "\"" + role + "\"";
  return "GRANT USAGE ON SCHEMA public, identity TO " + r +
         ";\n"
         "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " +
         r +
         ";\n"
         "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " +
         r +
         ";\n"
         // The audit trail: read and append only. The triggers refuse the rest even to
         // the owner; the missing privileges refuse it before any trigger runs.
         "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM " +
         r +
         ";\n"
         "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_version FROM " +
         r +
         ";\n"
         "GRANT SELECT, INSERT, UPDATE ON identity.identities TO " +
         r + ";\n";
}

}  // namespace stream::storage
