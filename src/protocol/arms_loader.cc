// The protocol loader's arms and allocation: the declared arms, the ordered assignment list
// that gives them, and the randomisation (ratio, permuted blocks with strata, or
// minimisation factors) that the list's `randomise` entries draw with (loader_internal.h).
#include <algorithm>
#include <set>
#include <string>

#include "protocol/loader_internal.h"

namespace stream::protocol::internal {
namespace {

// The levels of one stratification or minimisation factor.
Factor ReadFactor(const YAML::Node& item, bool minimisation, std::set<std::string>& names,
                  std::string_view file_text) {
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
    fl.rule = ReadRule(l["rule"], file_text);
    f.levels.push_back(std::move(fl));
  }
  return f;
}

}  // namespace

void ReadArms(const YAML::Node& root, Protocol& p) {
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
}

void ReadAssignment(const YAML::Node& root, std::string_view file_text, Protocol& p) {
  std::set<std::string> arm_ids;
  for (const auto& a : p.arms) arm_ids.insert(a.id);
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
      a.rule = ReadRule(item["rule"], file_text);
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
  // Every declared arm must be given by some entry.
  YAML::Node arms = root["arms"];
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
}

void ReadRandomisation(const YAML::Node& root, std::string_view file_text, Protocol& p) {
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
    for (const auto& f : strata) r.strata.push_back(ReadFactor(f, false, factor_names, file_text));
  }
  if (YAML::Node factors = node["factors"]) {
    if (blocks) Throw(factors, "'factors' is for method minimisation; use 'strata'");
    if (!factors.IsSequence() || factors.size() == 0)
      Throw(factors, "'factors' must be a list of at least one factor");
    for (const auto& f : factors) r.factors.push_back(ReadFactor(f, true, factor_names, file_text));
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

}  // namespace stream::protocol::internal
