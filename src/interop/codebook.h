// The codebook that goes with every export: one row per field of every record kind —
// its column name, type, whether it is required, unit, bounds, text format, code system,
// the allowed codes and what it means — generated from the data model (core/schema.h),
// so the codebook cannot drift from the data it describes. CSV as the exports write it.
#pragma once

#include <string>

namespace stream::interop {

// Header: kind, table, field, type, required, unit, minimum, maximum, format, code_system,
// codes, code_labels, description, seen_by (the roles that may see the field). Codes and
// roles are separated by " | "; the patient kind comes first, then every record kind in
// the data model's order.
std::string CodebookCsv();

}  // namespace stream::interop
