#include "protocol/protocol.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace stream::protocol {
namespace {

// Thrown inside the loader only and turned into an Error at LoadProtocol's edge.
struct LoadError {
  std::string message;
  YAML::Mark mark;
  // An exact position (for errors inside rules) that overrides `mark`.
  int line = 0, column = 0;
};

[[noreturn]] void Throw(const YAML::Node& at, std::string message) {
  throw LoadError{std::move(message), at.Mark()};
}

class Loader {
 public:
  Loader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  Result<Protocol> Run() {
    try {
      YAML::Node root = YAML::Load(std::string(text_));
      return Build(root);
    } catch (const LoadError& e) {
      int line = e.line > 0 ? e.line : e.mark.line + 1;
      int column = e.line > 0 ? e.column : e.mark.column + 1;
      return Fail(ErrorCode::kInvalidArgument, e.message,
                  std::string(file_) + ":" + std::to_string(line) + ":" + std::to_string(column));
    } catch (const YAML::Exception& e) {
      std::string message = e.msg;
      if (message == "illegal map value") {
        message +=
            "; a rule with named arguments (within: 3 months) must be a '|' block or in "
            "single quotes";
      }
      return Fail(ErrorCode::kInvalidArgument, message,
                  std::string(file_) + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1));
    }
  }

 private:
  static void Keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                   std::string_view what) {
    if (!map.IsMap()) Throw(map, std::string(what) + " must be a mapping of keys to values");
    for (const auto& kv : map) {
      std::string key = kv.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        Throw(kv.first, "unknown key '" + key + "' in " + std::string(what) + "; expected " + list);
      }
    }
  }

  static std::string Text(const YAML::Node& map, const char* key, std::string_view what,
                          bool required = true) {
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

  static void CheckId(const YAML::Node& at, const std::string& id, std::set<std::string>& seen,
                      std::string_view what) {
    bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!ok)
      Throw(at,
            std::string(what) + " id '" + id + "' must be lower case letters, digits, '_' or '-'");
    if (!seen.insert(id).second) Throw(at, std::string(what) + " id '" + id + "' is used twice");
  }

  // Compiles a rule; errors are placed at their line and column in the YAML file.
  rules::CompiledCriterion Rule(const YAML::Node& node) {
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
    size_t start = LineStart(m.line) + static_cast<size_t>(m.column);
    char style = start < text_.size() ? text_[start] : ' ';
    if (style == '|' || style == '>') {
      // Block scalar: the text starts on the next line at its indentation.
      size_t first = LineStart(m.line + 1);
      size_t indent = 0;
      while (first + indent < text_.size() && text_[first + indent] == ' ') ++indent;
      e.line = m.line + 1 + rule_line;
      e.column = static_cast<int>(indent) + rule_col;
    } else {
      int quote = (style == '"' || style == '\'') ? 1 : 0;
      e.line = m.line + rule_line;
      e.column = rule_line == 1 ? m.column + quote + rule_col : rule_col;
    }
    throw e;
  }

  size_t LineStart(int line) const {
    size_t pos = 0;
    for (int i = 0; i < line && pos < text_.size(); ++i) {
      pos = text_.find('\n', pos);
      if (pos == std::string_view::npos) return text_.size();
      ++pos;
    }
    return pos;
  }

  Result<Protocol> Build(const YAML::Node& root) {
    Protocol p;
    if (!root || root.IsNull()) throw LoadError{"the protocol file is empty", root.Mark()};
    Keys(root, {"id", "title", "version", "criteria", "arms", "assignment"}, "the protocol");
    p.id = Text(root, "id", "the protocol");
    p.title = Text(root, "title", "the protocol");
    p.version = Text(root, "version", "the protocol");

    std::set<std::string> criterion_ids;
    if (YAML::Node criteria = root["criteria"]) {
      Keys(criteria, {"inclusion", "exclusion"}, "criteria");
      for (auto [key, kind] : {std::pair{"inclusion", CriterionKind::kInclusion},
                               std::pair{"exclusion", CriterionKind::kExclusion}}) {
        YAML::Node list = criteria[key];
        if (!list) continue;
        if (!list.IsSequence()) Throw(list, std::string("criteria.") + key + " must be a list");
        for (const auto& item : list) {
          std::string what = std::string(key) + " criterion";
          Keys(item, {"id", "wording", "rule"}, what);
          Criterion c;
          c.id = Text(item, "id", what);
          CheckId(item["id"], c.id, criterion_ids, "criterion");
          c.kind = kind;
          c.wording = Text(item, "wording", what);
          if (!item["rule"]) Throw(item, what + " '" + c.id + "' needs 'rule'");
          c.rule = Rule(item["rule"]);
          p.criteria.push_back(std::move(c));
        }
      }
    }
    if (p.criteria.empty()) Throw(root, "the protocol has no eligibility criteria");

    std::set<std::string> arm_ids;
    YAML::Node arms = root["arms"];
    if (!arms || !arms.IsSequence() || arms.size() == 0) {
      Throw(arms ? arms : root, "the protocol needs 'arms': a list of at least one arm");
    }
    for (const auto& item : arms) {
      Keys(item, {"id", "name", "description", "cap"}, "arm");
      Arm a;
      a.id = Text(item, "id", "arm");
      CheckId(item["id"], a.id, arm_ids, "arm");
      a.name = Text(item, "name", "arm");
      a.description = Text(item, "description", "arm", false);
      if (YAML::Node cap = item["cap"]) {
        int n = 0;
        if (!YAML::convert<int>::decode(cap, n) || n < 1)
          Throw(cap, "'cap' must be a whole number >= 1");
        a.cap = n;
      }
      p.arms.push_back(std::move(a));
    }

    std::set<std::string> assignment_ids;
    YAML::Node assignment = root["assignment"];
    if (assignment) {
      if (!assignment.IsSequence()) Throw(assignment, "'assignment' must be a list");
      for (const auto& item : assignment) {
        Keys(item, {"id", "rule", "arm", "randomise"}, "assignment entry");
        Assignment a;
        a.id = Text(item, "id", "assignment entry");
        CheckId(item["id"], a.id, assignment_ids, "assignment");
        if (!item["rule"]) Throw(item, "assignment entry '" + a.id + "' needs 'rule'");
        a.rule = Rule(item["rule"]);
        bool has_arm = static_cast<bool>(item["arm"]);
        bool has_random = static_cast<bool>(item["randomise"]);
        if (has_arm == has_random) {
          Throw(item, "assignment entry '" + a.id + "' needs exactly one of 'arm' or 'randomise'");
        }
        auto known = [&](const YAML::Node& at, const std::string& arm) {
          if (!arm_ids.count(arm))
            Throw(at, "assignment entry '" + a.id + "' names unknown arm '" + arm + "'");
        };
        if (has_arm) {
          a.arm = Text(item, "arm", "assignment entry");
          known(item["arm"], a.arm);
        } else {
          YAML::Node list = item["randomise"];
          if (!list.IsSequence() || list.size() < 2) {
            Throw(list, "'randomise' must list at least two arms");
          }
          for (const auto& arm : list) {
            if (!arm.IsScalar()) Throw(arm, "'randomise' lists arm ids");
            a.randomise.push_back(arm.as<std::string>());
            known(arm, a.randomise.back());
          }
        }
        p.assignment.push_back(std::move(a));
      }
    }
    return p;
  }

  std::string_view text_;
  std::string_view file_;
};

}  // namespace

const Arm* Protocol::FindArm(std::string_view arm_id) const {
  for (const auto& a : arms) {
    if (a.id == arm_id) return &a;
  }
  return nullptr;
}

Result<Protocol> LoadProtocol(std::string_view yaml_text, std::string_view file_name) {
  return Loader(yaml_text, file_name).Run();
}

Result<Screening> Screen(const Protocol& protocol, const PatientHistory& patient, Date on,
                         const rules::Attestations& attestations, rules::Evaluator& evaluator) {
  Screening s;
  bool any_unknown = false, any_fail = false;
  for (const auto& c : protocol.criteria) {
    STREAM_ASSIGN_OR_RETURN(rules::Evaluation e,
                            evaluator.Evaluate(c.rule, patient, on, attestations));
    rules::Verdict q = e.verdict;
    if (c.kind == CriterionKind::kExclusion && q != rules::Verdict::kUnknown) {
      q = q == rules::Verdict::kMet ? rules::Verdict::kNotMet : rules::Verdict::kMet;
    }
    any_unknown |= q == rules::Verdict::kUnknown;
    any_fail |= q == rules::Verdict::kNotMet;
    s.criteria.push_back({&c, std::move(e), q});
  }
  s.eligible = any_fail      ? rules::Verdict::kNotMet
               : any_unknown ? rules::Verdict::kUnknown
                             : rules::Verdict::kMet;
  return s;
}

Result<AssignmentOutcome> Assign(const Protocol& protocol, const PatientHistory& patient, Date on,
                                 const rules::Attestations& attestations,
                                 rules::Evaluator& evaluator) {
  AssignmentOutcome out;
  for (const auto& a : protocol.assignment) {
    STREAM_ASSIGN_OR_RETURN(rules::Evaluation e,
                            evaluator.Evaluate(a.rule, patient, on, attestations));
    if (e.verdict == rules::Verdict::kMet) {
      if (out.undecided.empty()) out.assignment = &a;
      return out;
    }
    if (e.verdict == rules::Verdict::kUnknown) {
      out.undecided.push_back(&a);
      for (auto& m : e.missing) {
        if (std::find(out.missing.begin(), out.missing.end(), m) == out.missing.end()) {
          out.missing.push_back(std::move(m));
        }
      }
    }
  }
  return out;
}

}  // namespace stream::protocol
