// Internal: what the files of the protocol loader share — typed reads of the file's YAML
// nodes, rule compilation with positions in the file, and the section readers. LoadProtocol
// (protocol.h) is their only user; not for use outside src/protocol.
//
// Contract: every function here either returns a checked value or throws LoadError naming
// the fault and its position (the YAML node's mark, or an exact line and column inside a
// rule). LoadError never leaves the loader: LoadProtocol (protocol_loader.cc) turns it into
// a kInvalidArgument Error with "file:line:column".
//
// Thread safety: the functions keep no state.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "core/date.h"
#include "protocol/protocol.h"
#include "rules/criteria.h"

namespace stream::protocol::internal {

// Thrown inside the loader only and turned into an Error at LoadProtocol's edge.
struct LoadError {
  std::string message;
  YAML::Mark mark;
  // An exact position (for errors inside rules) that overrides `mark`.
  int line = 0, column = 0;
};

[[noreturn]] void Throw(const YAML::Node& at, std::string message);

// --- typed reads (yaml_fields.cc) ---------------------------------------------------------

// `map` must be a mapping whose keys are all in `allowed`, none given twice.
void Keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
          std::string_view what);
// The text under `key`; a required key must be present and not empty, an optional one
// gives "" when absent.
std::string Text(const YAML::Node& map, const char* key, std::string_view what,
                 bool required = true);
int WholeNumber(const YAML::Node& v, std::string_view what, int min);
bool Flag(const YAML::Node& v, std::string_view what);
// A YYYY-MM-DD date under the required `key`.
Date DateValue(const YAML::Node& map, const char* key, std::string_view what);
// `id` must be lower case letters, digits, '_' or '-', and not already in `seen`; adds it.
void CheckId(const YAML::Node& at, const std::string& id, std::set<std::string>& seen,
             std::string_view what);
// `s` without leading and trailing blanks.
std::string Trim(const std::string& s);

// The value of `names` whose name is the text of `v`.
template <typename Enum, size_t N>
Enum Choice(const YAML::Node& v, std::string_view what,
            const std::pair<std::string_view, Enum> (&names)[N]) {
  std::string list;
  if (v.IsScalar()) {
    std::string s = v.as<std::string>();
    for (const auto& [name, value] : names) {
      if (name == s) return value;
    }
  }
  for (const auto& [name, value] : names) list += (list.empty() ? "" : ", ") + std::string(name);
  Throw(v, std::string(what) + " must be one of " + list);
}

// Compiles the rule in `node`; a compile error is placed at its line and column in
// `file_text`, the whole protocol file the node was read from.
rules::CompiledCriterion ReadRule(const YAML::Node& node, std::string_view file_text);

// --- arms, assignment, randomisation (arms_loader.cc) ---------------------------------------

// `arms`: a list of at least one arm with unique ids.
void ReadArms(const YAML::Node& root, Protocol& p);
// `assignment`: entries naming declared arms, none after one whose rule is `true`; then
// every arm must be reachable from some entry. Needs p.arms read.
void ReadAssignment(const YAML::Node& root, std::string_view file_text, Protocol& p);
// `randomisation`: required exactly when an entry randomises; its ratio covers exactly the
// randomised arms. Needs p.assignment read.
void ReadRandomisation(const YAML::Node& root, std::string_view file_text, Protocol& p);

}  // namespace stream::protocol::internal
