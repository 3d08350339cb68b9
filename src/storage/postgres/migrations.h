// The schema history of the PostgreSQL backend, in order.
#pragma once

#include <span>
#include <string>

#include "storage/sql/soci_store.h"

namespace stream::storage {

std::span<const Migration> PostgresMigrations();

// Statements granting `role` the application's privileges on the current schema
// (run after every migration, since new tables need grants too). `role` must be a
// plain identifier; it is quoted.
std::string PostgresGrantsSql(const std::string& role);

}  // namespace stream::storage
