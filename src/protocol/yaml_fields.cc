// The protocol loader's typed reads of YAML nodes: keys, text, numbers, flags, dates, ids and
// rules, each failing with a LoadError at the node's position (loader_internal.h).
#include <algorithm>
#include <cstdlib>
#include <optional>

#include "protocol/loader_internal.h"

namespace stream::protocol::internal {
namespace {

// The offset of the start of 0-based `line` in `text`.
size_t LineStart(std::string_view text, int line) {
  size_t pos = 0;
  for (int i = 0; i < line && pos < text.size(); ++i) {
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return text.size();
    ++pos;
  }
  return pos;
}

}  // namespace

[[noreturn]] void Throw(const YAML::Node& at, std::string message) {
  throw LoadError{std::move(message), at.Mark()};
}

void Keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
          std::string_view what) {
  if (!map.IsMap()) Throw(map, std::string(what) + " must be a mapping of keys to values");
  std::set<std::string> seen;
  for (const auto& kv : map) {
    if (!kv.first.IsScalar())
      Throw(kv.first, std::string("a key of ") + std::string(what) + " must be text");
    std::string key = kv.first.as<std::string>();
    if (!seen.insert(key).second) {
      Throw(kv.first, "key '" + key + "' is given twice in " + std::string(what));
    }
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Throw(kv.first, "unknown key '" + key + "' in " + std::string(what) + "; expected " + list);
    }
  }
}

std::string Text(const YAML::Node& map, const char* key, std::string_view what, bool required) {
  YAML::Node v = map[key];
  if (!v) {
    if (required) Throw(map, std::string(what) + " needs '" + key + "'");
    return {};
  }
  if (!v.IsScalar())
    Throw(v, std::string("'") + key + "' of " + std::string(what) + " must be text");
  std::string s = v.as<std::string>();
  if (required && s.empty())
    Throw(v, std::string("'") + key + "' of " + std::string(what) + " is empty");
  return s;
}

int WholeNumber(const YAML::Node& v, std::string_view what, int min) {
  int n = 0;
  if (!v.IsScalar() || !YAML::convert<int>::decode(v, n) || n < min) {
    Throw(v, std::string(what) + " must be a whole number >= " + std::to_string(min));
  }
  return n;
}

bool Flag(const YAML::Node& v, std::string_view what) {
  bool b = false;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b))
    Throw(v, std::string(what) + " must be true or false");
  return b;
}

Date DateValue(const YAML::Node& map, const char* key, std::string_view what) {
  YAML::Node v = map[key];
  if (!v) Throw(map, std::string(what) + " needs '" + key + "'");
  std::optional<Date> d;
  if (v.IsScalar()) d = Date::Parse(v.as<std::string>());
  if (!d)
    Throw(v, std::string("'") + key + "' of " + std::string(what) + " must be a date YYYY-MM-DD");
  return *d;
}

void CheckId(const YAML::Node& at, const std::string& id, std::set<std::string>& seen,
             std::string_view what) {
  bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (!ok)
    Throw(at,
          std::string(what) + " id '" + id + "' must be lower case letters, digits, '_' or '-'");
  if (!seen.insert(id).second) Throw(at, std::string(what) + " id '" + id + "' is used twice");
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Errors are placed at their line and column in the YAML file.
rules::CompiledCriterion ReadRule(const YAML::Node& node, std::string_view file_text) {
  if (!node || !node.IsScalar()) Throw(node, "'rule' must be text in the criteria language");
  std::string source = node.as<std::string>();
  auto compiled = rules::Compile(source);
  if (compiled.ok()) return compiled.value();
  int rule_line = 1, rule_col = 1;
  const std::string& where = compiled.error().where;
  if (auto colon = where.find(':'); colon != std::string::npos) {
    rule_line = std::atoi(where.substr(0, colon).c_str());
    rule_col = std::atoi(where.substr(colon + 1).c_str());
  }
  YAML::Mark m = node.Mark();
  LoadError e{"in rule: " + compiled.error().message, m};
  size_t start = LineStart(file_text, m.line) + static_cast<size_t>(m.column);
  char style = start < file_text.size() ? file_text[start] : ' ';
  if (style == '|' || style == '>') {
    // Block scalar: the text starts on the next line at its indentation.
    size_t first = LineStart(file_text, m.line + 1);
    size_t indent = 0;
    while (first + indent < file_text.size() && file_text[first + indent] == ' ') ++indent;
    e.line = m.line + 1 + rule_line;
    e.column = static_cast<int>(indent) + rule_col;
  } else {
    int quote = (style == '"' || style == '\'') ? 1 : 0;
    e.line = m.line + rule_line;
    e.column = rule_line == 1 ? m.column + quote + rule_col : rule_col;
  }
  throw e;
}

}  // namespace stream::protocol::internal
