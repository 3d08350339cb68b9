// The schema history of the SQLite backend, in order.
#pragma once

#include <span>

namespace stream::storage {

struct Migration {
  int number;  // 1, 2, …: the schema version after applying it
  const char* name;
  const char* sql;  // one or more statements, applied in one transaction
};

std::span<const Migration> SqliteMigrations();

}  // namespace stream::storage
