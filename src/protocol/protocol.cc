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

  static int WholeNumber(const YAML::Node& v, std::string_view what, int min) {
    int n = 0;
    if (!v.IsScalar() || !YAML::convert<int>::decode(v, n) || n < min) {
      Throw(v, std::string(what) + " must be a whole number >= " + std::to_string(min));
    }
    return n;
  }

  static bool Flag(const YAML::Node& v, std::string_view what) {
    bool b = false;
    if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b))
      Throw(v, std::string(what) + " must be true or false");
    return b;
  }

  template <typename Enum, size_t N>
  static Enum Choice(const YAML::Node& v, std::string_view what,
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

  static std::string Trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
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
    Keys(root,
         {"id", "title", "version", "registry_ids", "sponsor", "phase", "population", "part_of",
          "criteria", "arms", "assignment", "randomisation", "endpoints", "accrual",
          kOperationsKeys[0], kOperationsKeys[1], kOperationsKeys[2]},
         "the protocol");
    p.id = Text(root, "id", "the protocol");
    {
      std::set<std::string> unused;
      CheckId(root["id"], p.id, unused, "protocol");
    }
    p.title = Text(root, "title", "the protocol");
    p.version = Text(root, "version", "the protocol");
    Identification(root, p);

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
          Keys(item, {"id", "wording", "rule", "evidence_within_days"}, what);
          Criterion c;
          c.id = Text(item, "id", what);
          CheckId(item["id"], c.id, criterion_ids, "criterion");
          c.kind = kind;
          c.wording = Text(item, "wording", what);
          if (!item["rule"]) Throw(item, what + " '" + c.id + "' needs 'rule'");
          c.rule = Rule(item["rule"]);
          if (YAML::Node w = item["evidence_within_days"])
            c.options.evidence_within_days = WholeNumber(w, "'evidence_within_days'", 1);
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
      Keys(item, {"id", "name", "description", "cap", "status"}, "arm");
      Arm a;
      a.id = Text(item, "id", "arm");
      CheckId(item["id"], a.id, arm_ids, "arm");
      a.name = Text(item, "name", "arm");
      a.description = Text(item, "description", "arm", false);
      if (YAML::Node cap = item["cap"]) a.cap = WholeNumber(cap, "'cap'", 1);
      if (YAML::Node status = item["status"]) {
        static constexpr std::pair<std::string_view, ArmStatus> kStatus[] = {
            {"open", ArmStatus::kOpen},
            {"closed", ArmStatus::kClosed},
            {"suspended", ArmStatus::kSuspended}};
        a.status = Choice(status, "'status' of an arm", kStatus);
      }
      p.arms.push_back(std::move(a));
    }

    std::set<std::string> assignment_ids;
    YAML::Node assignment = root["assignment"];
    if (assignment) {
      if (!assignment.IsSequence()) Throw(assignment, "'assignment' must be a list");
      std::string always_applies;  // an earlier entry whose rule is `true`
      for (const auto& item : assignment) {
        Keys(item, {"id", "rule", "arm", "randomise"}, "assignment entry");
        Assignment a;
        a.id = Text(item, "id", "assignment entry");
        CheckId(item["id"], a.id, assignment_ids, "assignment");
        if (!always_applies.empty()) {
          Throw(item["id"], "assignment entry '" + a.id + "' is never reached: entry '" +
                                always_applies + "' before it always applies (rule \"true\")");
        }
        if (!item["rule"]) Throw(item, "assignment entry '" + a.id + "' needs 'rule'");
        a.rule = Rule(item["rule"]);
        if (item["rule"].IsScalar() && Trim(item["rule"].as<std::string>()) == "true") {
          always_applies = a.id;
        }
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
    for (size_t i = 0; i < p.arms.size(); ++i) {
      const std::string& arm = p.arms[i].id;
      bool reachable = std::any_of(p.assignment.begin(), p.assignment.end(), [&](const auto& a) {
        return a.arm == arm ||
               std::find(a.randomise.begin(), a.randomise.end(), arm) != a.randomise.end();
      });
      if (!reachable) {
        Throw(arms[i]["id"], "arm '" + arm + "' is unreachable: no assignment entry gives it");
      }
    }
    RandomisationSection(root, p);
    Endpoints(root, p);
    AccrualSection(root, p);
    if (auto f = ParseOperations(root, p.id, p.operations))
      throw LoadError{f->message, root.Mark(), f->line, f->column};
    return p;
  }

  static Date DateValue(const YAML::Node& map, const char* key, std::string_view what) {
    YAML::Node v = map[key];
    if (!v) Throw(map, std::string(what) + " needs '" + key + "'");
    std::optional<Date> d;
    if (v.IsScalar()) d = Date::Parse(v.as<std::string>());
    if (!d)
      Throw(v, std::string("'") + key + "' of " + std::string(what) + " must be a date YYYY-MM-DD");
    return *d;
  }

  static void AccrualSection(const YAML::Node& root, Protocol& p) {
    YAML::Node node = root["accrual"];
    if (!node) return;
    Keys(node, {"target", "start", "end"}, "accrual");
    Accrual a;
    if (!node["target"]) Throw(node, "accrual needs 'target': the planned number of patients");
    a.target = WholeNumber(node["target"], "'target' of accrual", 1);
    a.start = DateValue(node, "start", "accrual");
    a.end = DateValue(node, "end", "accrual");
    if (a.end <= a.start)
      Throw(node["end"], "'end' of accrual (" + a.end.ToString() + ") must be after 'start' (" +
                             a.start.ToString() + ")");
    p.accrual = a;
  }

  static void Identification(const YAML::Node& root, Protocol& p) {
    if (YAML::Node ids = root["registry_ids"]) {
      Keys(ids, {"nct", "eudract"}, "registry_ids");
      p.nct_id = Text(ids, "nct", "registry_ids", false);
      if (!p.nct_id.empty()) {
        bool ok = p.nct_id.size() == 11 && p.nct_id.rfind("NCT", 0) == 0 &&
                  std::all_of(p.nct_id.begin() + 3, p.nct_id.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
        if (!ok) Throw(ids["nct"], "'nct' must be NCT followed by 8 digits");
      }
      p.eudract_id = Text(ids, "eudract", "registry_ids", false);
      if (!p.eudract_id.empty()) {
        // EudraCT: YYYY-NNNNNN-CC; CTIS: YYYY-NNNNNN-CC-NN.
        bool ok = p.eudract_id.size() >= 14 &&
                  std::all_of(p.eudract_id.begin(), p.eudract_id.end(),
                              [](char c) { return (c >= '0' && c <= '9') || c == '-'; }) &&
                  p.eudract_id[4] == '-' && p.eudract_id[11] == '-';
        if (!ok) Throw(ids["eudract"], "'eudract' must look like 2020-001234-56");
      }
    }
    p.sponsor = Text(root, "sponsor", "the protocol", false);
    if (YAML::Node phase = root["phase"]) {
      static constexpr std::string_view kPhases[] = {"1", "1/2", "2", "2/3", "3", "4"};
      std::string s = phase.IsScalar() ? phase.as<std::string>() : "";
      if (std::find(std::begin(kPhases), std::end(kPhases), s) == std::end(kPhases))
        Throw(phase, "'phase' must be one of 1, 1/2, 2, 2/3, 3, 4 (as text: \"1/2\")");
      p.phase = s;
    }
    p.population = Text(root, "population", "the protocol", false);
    p.part_of = Text(root, "part_of", "the protocol", false);
    if (!p.part_of.empty() && p.part_of == p.id)
      Throw(root["part_of"], "a protocol cannot be 'part_of' itself");
  }

  // The levels of one stratification or minimisation factor.
  Factor ReadFactor(const YAML::Node& item, bool minimisation, std::set<std::string>& names) {
    if (minimisation) {
      Keys(item, {"name", "levels", "by_site", "weight"}, "minimisation factor");
    } else {
      Keys(item, {"name", "levels", "by_site"}, "stratification factor");
    }
    Factor f;
    f.name = Text(item, "name", "factor");
    CheckId(item["name"], f.name, names, "factor");
    if (YAML::Node w = item["weight"]) {
      double d = 0;
      if (!w.IsScalar() || !YAML::convert<double>::decode(w, d) || !(d > 0) || d > 1000)
        Throw(w, "'weight' must be a number above 0");
      f.weight = d;
    }
    if (YAML::Node b = item["by_site"]) f.by_site = Flag(b, "'by_site'");
    YAML::Node levels = item["levels"];
    if (f.by_site) {
      if (levels) Throw(levels, "factor '" + f.name + "' is by_site: its levels are the sites");
      return f;
    }
    if (!levels || !levels.IsSequence() || levels.size() < 2) {
      Throw(levels ? levels : item,
            "factor '" + f.name + "' needs 'levels': at least two {level, rule}, or by_site: true");
    }
    std::set<std::string> level_names;
    for (const auto& l : levels) {
      Keys(l, {"level", "rule"}, "factor level");
      FactorLevel fl;
      fl.level = Text(l, "level", "factor level");
      CheckId(l["level"], fl.level, level_names, "level");
      if (!l["rule"]) Throw(l, "level '" + fl.level + "' needs 'rule'");
      fl.rule = Rule(l["rule"]);
      f.levels.push_back(std::move(fl));
    }
    return f;
  }

  void RandomisationSection(const YAML::Node& root, Protocol& p) {
    const Assignment* first_random = nullptr;
    size_t first_index = 0;
    for (size_t i = 0; i < p.assignment.size(); ++i) {
      if (!p.assignment[i].randomise.empty() && first_random == nullptr) {
        first_random = &p.assignment[i];
        first_index = i;
      }
    }
    YAML::Node node = root["randomisation"];
    if (!node) {
      if (first_random != nullptr) {
        Throw(root["assignment"][first_index]["randomise"],
              "assignment entry '" + first_random->id +
                  "' randomises but the protocol has no 'randomisation:' section");
      }
      return;
    }
    if (first_random == nullptr)
      Throw(node, "'randomisation:' is given but no assignment entry randomises");
    Keys(node, {"method", "ratio", "block_sizes", "strata", "factors", "probability", "blinded"},
         "randomisation");
    Randomisation r;
    static constexpr std::pair<std::string_view, RandomisationMethod> kMethods[] = {
        {"permuted_blocks", RandomisationMethod::kPermutedBlocks},
        {"minimisation", RandomisationMethod::kMinimisation}};
    if (!node["method"]) Throw(node, "randomisation needs 'method'");
    r.method = Choice(node["method"], "'method'", kMethods);
    bool blocks = r.method == RandomisationMethod::kPermutedBlocks;

    // The ratio: arm -> weight, covering exactly the arms the entries randomise among.
    std::set<std::string> randomised;
    for (const auto& a : p.assignment) randomised.insert(a.randomise.begin(), a.randomise.end());
    YAML::Node ratio = node["ratio"];
    if (!ratio) Throw(node, "randomisation needs 'ratio': a weight for each randomised arm");
    if (!ratio.IsMap()) Throw(ratio, "'ratio' must map each randomised arm to its weight");
    std::set<std::string> in_ratio;
    for (const auto& kv : ratio) {
      std::string arm = kv.first.as<std::string>();
      if (!randomised.count(arm)) {
        Throw(kv.first,
              "'ratio' names arm '" + arm + "', which no 'randomise' entry randomises among");
      }
      if (!in_ratio.insert(arm).second) Throw(kv.first, "'ratio' names arm '" + arm + "' twice");
      r.ratio.emplace_back(arm, WholeNumber(kv.second, "a ratio weight", 1));
    }
    for (const auto& arm : randomised) {
      if (!in_ratio.count(arm))
        Throw(ratio, "'ratio' has no weight for randomised arm '" + arm + "'");
    }
    // One allocation design per protocol: every randomise entry draws among exactly the
    // ratio's arms (a different arm set per group is written as strata instead).
    int sum = 0;
    for (const auto& [arm, w] : r.ratio) sum += w;
    for (size_t i = 0; i < p.assignment.size(); ++i) {
      const auto& a = p.assignment[i];
      if (a.randomise.empty()) continue;
      std::set<std::string> arms(a.randomise.begin(), a.randomise.end());
      if (arms != in_ratio || arms.size() != a.randomise.size()) {
        std::string list;
        for (const auto& [arm, w] : r.ratio) list += (list.empty() ? "" : ", ") + arm;
        Throw(root["assignment"][i]["randomise"],
              "assignment entry '" + a.id + "' must randomise among exactly the arms of 'ratio' (" +
                  list + "); for different arms per group use one pair of arms and 'strata'");
      }
    }

    if (YAML::Node sizes = node["block_sizes"]) {
      if (!blocks) Throw(sizes, "'block_sizes' is for method permuted_blocks");
      if (!sizes.IsSequence() || sizes.size() == 0)
        Throw(sizes, "'block_sizes' must be a list of whole numbers");
      for (const auto& s : sizes) {
        int n = WholeNumber(s, "a block size", 1);
        if (n % sum != 0) {
          Throw(s, "block size " + std::to_string(n) + " is not a multiple of the ratio sum " +
                       std::to_string(sum));
        }
        r.block_sizes.push_back(n);
      }
    } else if (blocks) {
      Throw(node, "permuted_blocks randomisation needs 'block_sizes'");
    }

    std::set<std::string> factor_names;
    if (YAML::Node strata = node["strata"]) {
      if (!blocks) Throw(strata, "'strata' is for method permuted_blocks; use 'factors'");
      if (!strata.IsSequence()) Throw(strata, "'strata' must be a list of factors");
      for (const auto& f : strata) r.strata.push_back(ReadFactor(f, false, factor_names));
    }
    if (YAML::Node factors = node["factors"]) {
      if (blocks) Throw(factors, "'factors' is for method minimisation; use 'strata'");
      if (!factors.IsSequence() || factors.size() == 0)
        Throw(factors, "'factors' must be a list of at least one factor");
      for (const auto& f : factors) r.factors.push_back(ReadFactor(f, true, factor_names));
    } else if (!blocks) {
      Throw(node, "minimisation needs 'factors'");
    }
    if (YAML::Node prob = node["probability"]) {
      if (blocks) Throw(prob, "'probability' is for method minimisation");
      double d = 0;
      if (!prob.IsScalar() || !YAML::convert<double>::decode(prob, d) || !(d >= 0.5) || d > 1)
        Throw(prob, "'probability' must be a number from 0.5 to 1");
      r.probability = d;
    }
    if (YAML::Node b = node["blinded"]) r.blinded = Flag(b, "'blinded'");
    p.randomisation = std::move(r);
  }

  static void Endpoints(const YAML::Node& root, Protocol& p) {
    YAML::Node node = root["endpoints"];
    if (!node) return;
    Keys(node, {"primary", "secondary"}, "endpoints");
    if (!node["primary"]) Throw(node, "endpoints need a 'primary' list");
    static constexpr std::pair<std::string_view, EndpointDefinition> kDefinitions[] = {
        {"os", EndpointDefinition::kOs},
        {"efs", EndpointDefinition::kEfs},
        {"rfs", EndpointDefinition::kRfs},
        {"cir", EndpointDefinition::kCir},
        {"crc_rate", EndpointDefinition::kCrcRate},
        {"orr", EndpointDefinition::kOrr},
        {"mrd_negative_cr_rate", EndpointDefinition::kMrdNegativeCrRate},
        {"early_death_30", EndpointDefinition::kEarlyDeath30},
        {"early_death_60", EndpointDefinition::kEarlyDeath60},
        {"remission_span", EndpointDefinition::kRemissionSpan}};
    static constexpr std::pair<std::string_view, EndpointOrigin> kOrigins[] = {
        {"randomisation", EndpointOrigin::kEnrolment},
        {"enrolment", EndpointOrigin::kEnrolment},
        {"registration", EndpointOrigin::kRegistration},
        {"diagnosis", EndpointOrigin::kDiagnosis},
        {"remission", EndpointOrigin::kRemission}};
    static constexpr std::pair<std::string_view, EndpointPopulation> kPopulations[] = {
        {"all", EndpointPopulation::kAll},
        {"reached_remission", EndpointPopulation::kReachedRemission},
        {"in_remission_at_origin", EndpointPopulation::kInRemissionAtOrigin}};
    std::set<std::string> ids;
    for (auto [key, role] : {std::pair{"primary", EndpointRole::kPrimary},
                             std::pair{"secondary", EndpointRole::kSecondary}}) {
      YAML::Node list = node[key];
      if (!list) continue;
      if (!list.IsSequence() || list.size() == 0)
        Throw(list, std::string("endpoints.") + key + " must be a list of at least one endpoint");
      for (const auto& item : list) {
        Keys(item,
             {"id", "definition", "wording", "landmark_days", "crh_counts", "follow_up_days",
              "origin", "population", "mrd_relapse_counts"},
             "endpoint");
        Endpoint e;
        e.role = role;
        if (!item["definition"]) Throw(item, "an endpoint needs 'definition'");
        e.definition = Choice(item["definition"], "'definition'", kDefinitions);
        e.id = item["id"] ? Text(item, "id", "endpoint") : std::string(ToString(e.definition));
        CheckId(item["id"] ? item["id"] : item["definition"], e.id, ids, "endpoint");
        e.wording = Text(item, "wording", "endpoint", false);
        if (YAML::Node l = item["landmark_days"])
          e.landmark_days = WholeNumber(l, "'landmark_days'", 1);
        if (YAML::Node c = item["crh_counts"]) e.crh_counts = Flag(c, "'crh_counts'");
        if (YAML::Node f = item["follow_up_days"])
          e.follow_up_days = WholeNumber(f, "'follow_up_days'", 1);
        if (YAML::Node o = item["origin"]) e.origin = Choice(o, "'origin'", kOrigins);
        if (YAML::Node o = item["population"])
          e.population = Choice(o, "'population'", kPopulations);
        if (YAML::Node m = item["mrd_relapse_counts"])
          e.mrd_relapse_counts = Flag(m, "'mrd_relapse_counts'");
        if (e.origin == EndpointOrigin::kRemission &&
            e.population == EndpointPopulation::kInRemissionAtOrigin)
          Throw(item, "an endpoint from the remission date cannot also need remission at it");
        p.endpoints.push_back(std::move(e));
      }
    }
  }

  std::string_view text_;
  std::string_view file_;
};

}  // namespace

std::string_view ToString(EndpointDefinition definition) {
  switch (definition) {
    case EndpointDefinition::kOs:
      return "os";
    case EndpointDefinition::kEfs:
      return "efs";
    case EndpointDefinition::kRfs:
      return "rfs";
    case EndpointDefinition::kCir:
      return "cir";
    case EndpointDefinition::kCrcRate:
      return "crc_rate";
    case EndpointDefinition::kOrr:
      return "orr";
    case EndpointDefinition::kMrdNegativeCrRate:
      return "mrd_negative_cr_rate";
    case EndpointDefinition::kEarlyDeath30:
      return "early_death_30";
    case EndpointDefinition::kEarlyDeath60:
      return "early_death_60";
    case EndpointDefinition::kRemissionSpan:
      return "remission_span";
  }
  return "?";
}

std::string_view ToString(EndpointOrigin origin) {
  switch (origin) {
    case EndpointOrigin::kEnrolment:
      return "enrolment";
    case EndpointOrigin::kRegistration:
      return "registration";
    case EndpointOrigin::kDiagnosis:
      return "diagnosis";
    case EndpointOrigin::kRemission:
      return "remission";
  }
  return "?";
}

std::string_view ToString(EndpointPopulation population) {
  switch (population) {
    case EndpointPopulation::kAll:
      return "all";
    case EndpointPopulation::kReachedRemission:
      return "reached_remission";
    case EndpointPopulation::kInRemissionAtOrigin:
      return "in_remission_at_origin";
  }
  return "?";
}

std::string_view ToString(ArmStatus status) {
  switch (status) {
    case ArmStatus::kOpen:
      return "open";
    case ArmStatus::kClosed:
      return "closed";
    case ArmStatus::kSuspended:
      return "suspended";
  }
  return "?";
}

std::string_view ToString(RandomisationMethod method) {
  return method == RandomisationMethod::kPermutedBlocks ? "permuted_blocks" : "minimisation";
}

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
                            evaluator.Evaluate(c.rule, patient, on, attestations, c.options));
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

Result<FactorOutcome> ClassifyFactor(const Factor& factor, const PatientHistory& patient, Date on,
                                     const rules::Attestations& attestations,
                                     rules::Evaluator& evaluator) {
  FactorOutcome out;
  if (factor.by_site) {
    out.verdict = rules::Verdict::kMet;
    out.level = patient.site;
    return out;
  }
  bool undecided = false;
  for (const auto& l : factor.levels) {
    STREAM_ASSIGN_OR_RETURN(rules::Evaluation e,
                            evaluator.Evaluate(l.rule, patient, on, attestations));
    if (e.verdict == rules::Verdict::kMet) {
      if (!undecided) {
        out.verdict = rules::Verdict::kMet;
        out.level = l.level;
      }
      return out;
    }
    if (e.verdict == rules::Verdict::kUnknown) {
      undecided = true;
      for (auto& m : e.missing) {
        if (std::find(out.missing.begin(), out.missing.end(), m) == out.missing.end()) {
          out.missing.push_back(std::move(m));
        }
      }
    }
  }
  out.verdict = undecided ? rules::Verdict::kUnknown : rules::Verdict::kNotMet;
  return out;
}

}  // namespace stream::protocol
