// The table definitions both SQL backends share, written once with a few type
// placeholders that each engine fills in (SQLite's rowid keys, PostgreSQL's BIGSERIAL).
// Triggers, privileges and the identity store are engine-specific and live with each
// backend's migrations.
#pragma once

#include <string>

namespace stream::storage {

enum class SqlDialect { kSqlite, kPostgres };

// `text` with the placeholders {id} (an auto-assigned 64-bit key), {int} and {real}
// replaced by `dialect`'s types.
std::string RenderSql(std::string text, SqlDialect dialect);

// Migration 001: sites, users, patients, every clinical record kind, the audit table.
std::string RegistryTablesSql(SqlDialect dialect);
// Migration 002: enrolments and the activation records of randomisation lists.
std::string EnrolmentTablesSql(SqlDialect dialect);
// Migration 003: API tokens, protocol versions loaded through the API, arm status
// changes, and indexes for audit queries.
std::string AccessTablesSql(SqlDialect dialect);
// Migration 004 (issue #23, #13.5): enrolment endings, site activations per protocol,
// and attestations as dated, attributed records.
std::string OperationsTablesSql(SqlDialect dialect);

// Migration 005: the fields the disease course reads for childhood ALL (a response's CNS
// status, a relapse's sites).
std::string DiseaseCourseColumnsSql(SqlDialect dialect);

}  // namespace stream::storage
