#include "core/record.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace stream {
namespace {
const Value kNull{};
}

// A field name the kind does not have is a misspelling in the program, never data: it
// fails loudly at its first read (every kind's reader runs in the tests) instead of
// reading as null (issue #14). A known field missing from a short row (one written
// before a later migration added the field) reads as null.
const Value& Record::Get(const KindSpec& kind, std::string_view field) const {
  const size_t i = kind.IndexOf(field);
  if (i == kind.fields.size()) {
    throw std::logic_error("record kind '" + std::string(kind.name) + "' has no field '" +
                           std::string(field) + "'");
  }
  return i < values.size() ? values[i] : kNull;
}

std::optional<std::string> Record::Text(const KindSpec& kind, std::string_view field) const {
  if (const auto* s = std::get_if<std::string>(&Get(kind, field))) return *s;
  return std::nullopt;
}

std::optional<int64_t> Record::Integer(const KindSpec& kind, std::string_view field) const {
  if (const auto* i = std::get_if<int64_t>(&Get(kind, field))) return *i;
  return std::nullopt;
}

std::optional<double> Record::Number(const KindSpec& kind, std::string_view field) const {
  const Value& v = Get(kind, field);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

std::optional<Date> Record::DateOf(const KindSpec& kind, std::string_view field) const {
  if (const auto* d = std::get_if<Date>(&Get(kind, field))) return *d;
  return std::nullopt;
}

std::optional<bool> Record::Boolean(const KindSpec& kind, std::string_view field) const {
  if (const auto* b = std::get_if<bool>(&Get(kind, field))) return *b;
  return std::nullopt;
}

CodeSet Record::Codes(const KindSpec& kind, std::string_view field) const {
  if (const auto* set = std::get_if<CodeSet>(&Get(kind, field))) return *set;
  return {};
}

}  // namespace stream

namespace stream {

Record MakeRecord(const KindSpec& kind,
                  std::initializer_list<std::pair<std::string_view, Value>> fields,
                  int64_t patient_id) {
  Record rec;
  rec.patient_id = patient_id;
  rec.values.resize(kind.fields.size());
  for (const auto& [name, value] : fields) {
    const size_t i = kind.IndexOf(name);
    if (i >= kind.fields.size()) std::abort();
    rec.values[i] = value;
  }
  return rec;
}

}  // namespace stream
