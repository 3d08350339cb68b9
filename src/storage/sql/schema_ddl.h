// The SQL of the data model's migrations from 6 on, generated from the declarative schema
// (core/schema.h): a record kind whose `added_in` is migration N gets its table (id,
// patient_id, its fields, version, deleted) and patient index in migration N; a field whose
// `added_in` is N on an older kind is added to its table by migration N. Migrations 1–5 were
// written by hand before this existed and are never edited (registry_tables.h); a test
// checks that every backend's migrated tables match the schema, column by column.
//
// Adding a record kind is therefore its schema entry (with the next migration number) and
// its domain rules; both backends' migration lists pick the new number up by themselves.
#pragma once

#include <string>
#include <vector>

#include "storage/sql/registry_tables.h"
#include "storage/sql/soci_store.h"

namespace stream::storage {

// The last migration written by hand; generated ones follow it.
inline constexpr int kLastHandWrittenMigration = 5;

// The highest migration the schema names (kLastHandWrittenMigration when none is newer).
int LatestDataModelMigration();

// The generated statements of migration `number` (> kLastHandWrittenMigration) for `dialect`.
// Precondition (checked, std::logic_error): a field added to an existing table is optional.
std::string DataModelMigrationSql(SqlDialect dialect, int number);

// `hand_written` followed by the generated migrations up to LatestDataModelMigration().
std::vector<Migration> WithDataModelMigrations(std::vector<Migration> hand_written,
                                               SqlDialect dialect);

}  // namespace stream::storage
