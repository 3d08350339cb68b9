// The schema history of the SQLite backend, in order.
#pragma once

#include <span>

#include "storage/sql/soci_store.h"

namespace stream::storage {

std::span<const Migration> SqliteMigrations();

}  // namespace stream::storage
