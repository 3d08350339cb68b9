// The event timeline of one synthetic patient while it is being made: records placed on
// days from the diagnosis, whose date fields hold those days as placeholder dates until
// GeneratePatient dates the whole timeline (synthetic/demo_registry.h).
//
// Internal to src/synthetic. Not thread-safe: one timeline is made by one thread.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/field_reader.h"
#include "core/random_source.h"
#include "core/record.h"
#include "core/schema.h"
#include "core/value.h"

namespace stream::synthetic {

enum class Population { kAdultAml, kChildAml, kChildAll };

class PatientTimeline {
 public:
  // `r` must outlive the timeline; every draw of the patient's story comes from it.
  PatientTimeline(RandomSource& r, Population population, int age_at_diagnosis)
      : r_(r), population_(population), age_(age_at_diagnosis) {}

  // Places a record of kind `K` on `day`; kind and fields are checked while compiling.
  template <KindName K>
  void Add(int day, std::initializer_list<FieldValue<K>> fields) {
    events_.push_back({day, &KindNamed(K.view()), MakeRecordOf<K>(fields)});
  }

  struct Event {
    int day;
    const KindSpec* kind;
    Record record;
  };
  std::vector<Event>& events() { return events_; }
  RandomSource& r() { return r_; }
  Population population() const { return population_; }
  int age() const { return age_; }
  bool aml() const { return population_ != Population::kChildAll; }

 private:
  RandomSource& r_;
  Population population_;
  int age_;
  std::vector<Event> events_;
};

// Field values as the timeline writes them.
inline Value D(int day) { return Value{Date::FromDays(day)}; }  // placeholder, re-dated later
inline Value S(std::string_view s) { return Value{std::string(s)}; }
inline Value Codes(std::initializer_list<std::string_view> codes) {
  CodeSet set;
  for (auto c : codes) set.emplace_back(c);
  return Value{std::move(set)};
}

}  // namespace stream::synthetic
