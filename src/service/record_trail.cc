#include "service/record_trail.h"

#include <set>

#include "service/record_pages.h"

namespace stream::service {
namespace {

const KindSpec* KindOf(const std::string& entity) {
  return entity == "patient" ? &PatientKind() : FindKind(entity);
}

std::optional<std::string> TextOf(const Value& v) {
  if (IsNull(v)) return std::nullopt;
  return ToText(v);
}

// Whether the create text holds `field` with `value` (absent when null): members are
// "name=value" joined by "; ".
bool CreatedWith(const std::string& created, std::string_view field,
                 const std::optional<std::string>& value) {
  const std::string key = std::string(field) + "=";
  for (size_t at = 0; at <= created.size();) {
    const size_t next = created.find("; ", at);
    const size_t end = next == std::string::npos ? created.size() : next;
    if (created.compare(at, key.size(), key) == 0) {
      // The whole value must follow (a free-text value may itself hold "; "), then the
      // end or the next member.
      return value && created.compare(at + key.size(), value->size(), *value) == 0 &&
             (at + key.size() + value->size() == created.size() ||
              created.compare(at + key.size() + value->size(), 2, "; ") == 0);
    }
    if (next == std::string::npos) break;
    at = end + 2;
  }
  return !value;
}

// Whether the table row `r` of `kind` agrees with its audit trail; what does not is added
// to `problems`.
void CheckRow(const std::string& name, const KindSpec& kind, const Record& r,
              const std::map<int64_t, RecordTrail::Trail>& trails,
              std::vector<AuditProblem>& problems) {
  const std::string row = name + " " + std::to_string(r.id);
  const auto t = trails.find(r.id);
  if (t == trails.end() || t->second.created_seq == 0) {
    problems.push_back({0, row + " has no audit row: written outside STREAM"});
    return;
  }
  const RecordTrail::Trail& trail = t->second;
  bool named = false;
  for (size_t i = 0; i < kind.fields.size(); ++i) {
    const std::string field(kind.fields[i].name);
    const auto now = TextOf(r.values[i]);
    const auto updated = trail.last_new.find(field);
    const bool agrees = updated != trail.last_new.end() ? updated->second == now
                                                        : CreatedWith(trail.created, field, now);
    if (!agrees) {
      problems.push_back({trail.created_seq, row + ": field " + field +
                                                 " differs from its audit trail "
                                                 "(changed outside STREAM)"});
      named = true;
    }
  }
  if (!named) {
    // Fields as created: today's values with each corrected field's first old value.
    std::vector<Value> as_created = r.values;
    for (size_t i = 0; i < kind.fields.size(); ++i) {
      const auto first = trail.first_old.find(std::string(kind.fields[i].name));
      if (first == trail.first_old.end()) continue;
      as_created[i] = first->second ? Value{*first->second} : Value{};
    }
    if (RecordAuditText(kind, as_created) != trail.created)
      problems.push_back(
          {trail.created_seq, row + " differs from its audit trail (changed outside STREAM)"});
  }
  if (r.deleted != trail.deleted)
    problems.push_back(
        {trail.created_seq, row + (r.deleted ? " is deleted" : " is not deleted") +
                                " but its audit trail says otherwise (changed outside STREAM)"});
}

}  // namespace

std::string RecordAuditText(const KindSpec& kind, const std::vector<Value>& values) {
  std::string out;
  for (size_t i = 0; i < kind.fields.size() && i < values.size(); ++i) {
    if (IsNull(values[i])) continue;
    if (!out.empty()) out += "; ";
    out += std::string(kind.fields[i].name) + "=" + ToText(values[i]);
  }
  return out;
}

void RecordTrail::Add(const AuditEntry& e) {
  if (!KindOf(e.entity)) return;
  Trail& t = trails_[e.entity][e.entity_id];
  if (e.action == "create") {
    t.created_seq = e.seq;
    t.created = e.new_value.value_or("");
  } else if (e.action == "update" && !e.field.empty()) {
    t.first_old.try_emplace(e.field, e.old_value);
    t.last_new[e.field] = e.new_value;
  } else if (e.action == "delete") {
    t.deleted = true;
  }
}

Result<std::vector<AuditProblem>> RecordTrail::Check(Transaction& tx) const {
  std::vector<AuditProblem> problems;
  std::vector<const KindSpec*> kinds = {&PatientKind()};
  for (const auto& k : RecordKinds()) kinds.push_back(&k);
  for (const KindSpec* kind : kinds) {
    const std::string name(kind->name);
    const auto found = trails_.find(name);
    const std::map<int64_t, Trail> none;
    const auto& trails = found == trails_.end() ? none : found->second;
    std::set<int64_t> seen;
    RecordFilter filter;
    filter.include_deleted = true;
    filter.limit = 10000;
    STREAM_RETURN_IF_ERROR(ForEachRecord(tx, *kind, filter, [&](Record&& r) {
      seen.insert(r.id);
      CheckRow(name, *kind, r, trails, problems);
    }));
    for (const auto& [id, trail] : trails) {
      if (trail.created_seq != 0 && !seen.count(id))
        problems.push_back({trail.created_seq, name + " " + std::to_string(id) +
                                                   " recorded here is missing: deleted "
                                                   "outside STREAM"});
    }
  }
  return problems;
}

}  // namespace stream::service
