// Record: one row of a record kind (core/schema.h), with its values in field order.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema.h"
#include "core/value.h"

namespace stream {

struct Record {
  int64_t id = 0;          // 0 until stored
  int64_t patient_id = 0;  // 0 for the patient row itself
  int64_t version = 1;     // bumped on every update; optimistic concurrency
  bool deleted = false;    // deletes are soft
  std::vector<Value> values;
  // Indexed like `values`; true where the field is kept from this reader (core/schema.h,
  // Audience) and its value is null. Empty when nothing is withheld. Front ends leave
  // withheld fields out, so that "not shown to you" never reads as "not recorded".
  std::vector<bool> withheld;

  bool Withheld(size_t field) const { return field < withheld.size() && withheld[field]; }

  // Typed reads by field name; nullopt when null or of another type.
  // Precondition: `kind` is the kind this record belongs to.
  std::optional<std::string> Text(const KindSpec& kind, std::string_view field) const;
  std::optional<int64_t> Integer(const KindSpec& kind, std::string_view field) const;
  std::optional<double> Number(const KindSpec& kind, std::string_view field) const;
  std::optional<Date> DateOf(const KindSpec& kind, std::string_view field) const;
  std::optional<bool> Boolean(const KindSpec& kind, std::string_view field) const;
  CodeSet Codes(const KindSpec& kind, std::string_view field) const;
  const Value& Get(const KindSpec& kind, std::string_view field) const;
};

}  // namespace stream

namespace stream {

// Builds a record of `kind` from (field, value) pairs; fields not named are null.
// Precondition: every name is a field of `kind` (a misspelt name aborts: it is a bug).
Record MakeRecord(const KindSpec& kind,
                  std::initializer_list<std::pair<std::string_view, Value>> fields,
                  int64_t patient_id = 0);

}  // namespace stream
