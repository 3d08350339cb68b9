// LoadProtocol: reads a protocol file's YAML into a checked Protocol — the root keys,
// identity and registry ids, eligibility criteria, endpoints and accrual here; arms and
// allocation in arms_loader.cc; typed field reads in yaml_fields.cc (loader_internal.h).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <string>

#include "protocol/loader_internal.h"
#include "protocol/operations.h"
#include "protocol/protocol.h"

namespace stream::protocol {
namespace internal {
namespace {

void Identification(const YAML::Node& root, Protocol& p) {
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

void AccrualSection(const YAML::Node& root, Protocol& p) {
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

void Endpoints(const YAML::Node& root, Protocol& p) {
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
      if (YAML::Node o = item["population"]) e.population = Choice(o, "'population'", kPopulations);
      if (YAML::Node m = item["mrd_relapse_counts"])
        e.mrd_relapse_counts = Flag(m, "'mrd_relapse_counts'");
      if (e.origin == EndpointOrigin::kRemission &&
          e.population == EndpointPopulation::kInRemissionAtOrigin)
        Throw(item, "an endpoint from the remission date cannot also need remission at it");
      p.endpoints.push_back(std::move(e));
    }
  }
}

// The whole file, section by section; the first fault in this order is the one reported.
Protocol Build(const YAML::Node& root, std::string_view file_text) {
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
        c.rule = ReadRule(item["rule"], file_text);
        if (YAML::Node w = item["evidence_within_days"])
          c.options.evidence_within_days = WholeNumber(w, "'evidence_within_days'", 1);
        p.criteria.push_back(std::move(c));
      }
    }
  }
  if (p.criteria.empty()) Throw(root, "the protocol has no eligibility criteria");

  ReadArms(root, p);
  ReadAssignment(root, file_text, p);
  ReadRandomisation(root, file_text, p);
  Endpoints(root, p);
  AccrualSection(root, p);
  if (auto f = ParseOperations(root, p.id, p.operations))
    throw LoadError{f->message, root.Mark(), f->line, f->column};
  return p;
}

}  // namespace
}  // namespace internal

Result<Protocol> LoadProtocol(std::string_view yaml_text, std::string_view file_name) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    return internal::Build(root, yaml_text);
  } catch (const internal::LoadError& e) {
    int line = e.line > 0 ? e.line : e.mark.line + 1;
    int column = e.line > 0 ? e.column : e.mark.column + 1;
    return Fail(ErrorCode::kInvalidArgument, e.message,
                std::string(file_name) + ":" + std::to_string(line) + ":" + std::to_string(column));
  } catch (const YAML::Exception& e) {
    std::string message = e.msg;
    if (message == "illegal map value") {
      message +=
          "; a rule with named arguments (within: 3 months) must be a '|' block or in "
          "single quotes";
    }
    return Fail(ErrorCode::kInvalidArgument, message,
                std::string(file_name) + ":" + std::to_string(e.mark.line + 1) + ":" +
                    std::to_string(e.mark.column + 1));
  }
}

}  // namespace stream::protocol
