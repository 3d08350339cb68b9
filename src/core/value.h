// Value: one field of a record, typed. Null is a value too ("not recorded").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/date.h"

namespace stream {

using CodeSet = std::vector<std::string>;

// monostate = null; int64 = integers and booleans' storage is separate (bool);
// string = text and single codes; CodeSet = several codes from one list.
using Value = std::variant<std::monostate, int64_t, double, std::string, Date, bool, CodeSet>;

inline bool IsNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

// The canonical text of a value, as written to CSV and audit rows: integers in
// decimal, numbers in the shortest form that reads back exactly, dates ISO 8601,
// booleans true/false, code sets joined with ';', null as the empty string.
std::string ToText(const Value& v);

}  // namespace stream
