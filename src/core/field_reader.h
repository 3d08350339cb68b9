// FieldReader: typed reads of one record whose kind and field names are checked while
// compiling. `FieldReader<"diagnosis"> r(record); r.Day("diagnosis_date")` compiles only
// when the data model (core/registry_kinds.h) has a kind "diagnosis" with a field
// "diagnosis_date"; a misspelt kind or field is a compile error at the line that names it,
// never a null read at run time (issue #14).
//
// Thread safety: a reader is a view of one record; it shares the record's.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/record.h"
#include "core/registry_kinds.h"

namespace stream {

// A record kind's name as a template argument.
template <size_t N>
struct KindName {
  char text[N]{};
  consteval KindName(const char (&name)[N]) { std::copy_n(name, N, text); }
  constexpr std::string_view view() const { return {text, N - 1}; }
};

// The kind named `name`, or a compile error when the data model has none.
consteval const KindSpec& KindNamed(std::string_view name) {
  if (name == registry::kPatient.name) return registry::kPatient;
  for (const auto& kind : registry::kKinds) {
    if (kind.name == name) return kind;
  }
  throw "no record kind of this name in core/registry_kinds.h";
}

// A field of kind `K`, found while compiling.
template <KindName K>
struct FieldOf {
  size_t index;
  consteval FieldOf(const char* name) : index(KindNamed(K.view()).IndexOf(name)) {
    if (index == KindNamed(K.view()).fields.size()) {
      throw "this record kind has no such field in core/registry_kinds.h";
    }
  }
};

template <KindName K>
class FieldReader {
 public:
  explicit FieldReader(const Record& record) : record_(record) {
    static_cast<void>(KindNamed(K.view()));  // a kind the data model lacks does not compile
  }

  std::optional<std::string> OptText(FieldOf<K> f) const { return As<std::string>(f); }
  std::string Text(FieldOf<K> f) const { return OptText(f).value_or(""); }
  std::optional<Date> OptDay(FieldOf<K> f) const { return As<Date>(f); }
  Date Day(FieldOf<K> f) const { return OptDay(f).value_or(Date()); }
  std::optional<bool> OptBool(FieldOf<K> f) const { return As<bool>(f); }
  CodeSet Codes(FieldOf<K> f) const { return As<CodeSet>(f).value_or(CodeSet{}); }
  std::optional<int64_t> OptInt(FieldOf<K> f) const { return As<int64_t>(f); }
  int Int(FieldOf<K> f) const { return static_cast<int>(OptInt(f).value_or(0)); }
  // Numbers read integers too (a count stored as 3 reads as 3.0).
  std::optional<double> Num(FieldOf<K> f) const {
    if (auto d = As<double>(f)) return d;
    if (auto i = As<int64_t>(f)) return static_cast<double>(*i);
    return std::nullopt;
  }

 private:
  // A row written before a later migration added the field is shorter: the field is null.
  template <typename T>
  std::optional<T> As(FieldOf<K> f) const {
    if (f.index >= record_.values.size()) return std::nullopt;
    if (const auto* v = std::get_if<T>(&record_.values[f.index])) return *v;
    return std::nullopt;
  }

  const Record& record_;
};

}  // namespace stream

namespace stream {

// One field's value for MakeRecordOf, the field checked while compiling.
template <KindName K>
struct FieldValue {
  FieldOf<K> field;
  Value value;
};

// A record of kind `K` from (field, value) pairs; fields not named are null.
// `MakeRecordOf<"follow_up">({{"contact_date", Value{day}}, {"vital_status", ...}})`
template <KindName K>
Record MakeRecordOf(std::initializer_list<FieldValue<K>> fields, int64_t patient_id = 0) {
  Record record;
  record.patient_id = patient_id;
  record.values.resize(KindNamed(K.view()).fields.size());
  for (const auto& [field, value] : fields) record.values[field.index] = value;
  return record;
}

// The patient's site and pseudonym: the fields access checks and lists read most.
inline std::string SiteOf(const Record& patient) {
  return FieldReader<"patient">(patient).Text("site");
}
inline std::string PseudonymOf(const Record& patient) {
  return FieldReader<"patient">(patient).Text("pseudonym");
}

}  // namespace stream
