// stream protocol check FILE | list [--dir DIR] [--format json|table]: validates a protocol
// file (every problem is reported with file:line:column) and lists the shipped protocols.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "service/protocol_catalogue.h"

namespace stream::cli {
namespace {

struct ProtocolArgs {
  std::string file;
  std::string dir;  // default: the global --protocols folder
  std::string format = "table";
};

std::string ArmText(const protocol::Arm& a) {
  std::string out = a.id;
  if (a.status != protocol::ArmStatus::kOpen) out += " (" + std::string(ToString(a.status)) + ")";
  if (a.cap) out += " cap " + std::to_string(*a.cap);
  return out;
}

nlohmann::json ProtocolJson(const std::string& file, const protocol::Protocol& p) {
  nlohmann::json arms = nlohmann::json::array();
  for (const auto& a : p.arms) {
    nlohmann::json arm = {{"id", a.id}, {"name", a.name}, {"status", ToString(a.status)}};
    if (a.cap) arm["cap"] = *a.cap;
    arms.push_back(arm);
  }
  nlohmann::json endpoints = nlohmann::json::array();
  for (const auto& e : p.endpoints) {
    endpoints.push_back(
        {{"id", e.id},
         {"role", e.role == protocol::EndpointRole::kPrimary ? "primary" : "secondary"},
         {"definition", ToString(e.definition)}});
  }
  nlohmann::json out = {{"file", file},
                        {"id", p.id},
                        {"version", p.version},
                        {"title", p.title},
                        {"phase", p.phase},
                        {"nct", p.nct_id},
                        {"eudract", p.eudract_id},
                        {"sponsor", p.sponsor},
                        {"part_of", p.part_of},
                        {"criteria", p.criteria.size()},
                        {"arms", arms},
                        {"assignment_entries", p.assignment.size()},
                        {"endpoints", endpoints}};
  if (p.randomisation) {
    out["randomisation"] = {{"method", ToString(p.randomisation->method)},
                            {"blinded", p.randomisation->blinded}};
  }
  return out;
}

void PrintSummary(const std::string& file, const protocol::Protocol& p) {
  std::cout << file << ": ok\n"
            << "  " << p.id << " version " << p.version << ": " << p.title << "\n";
  int inclusion = 0;
  for (const auto& c : p.criteria) inclusion += c.kind == protocol::CriterionKind::kInclusion;
  std::cout << "  criteria: " << inclusion << " inclusion, "
            << p.criteria.size() - static_cast<size_t>(inclusion) << " exclusion\n  arms:";
  for (const auto& a : p.arms) std::cout << " " << ArmText(a) << ";";
  std::cout << "\n  assignment: " << p.assignment.size() << " entries\n";
  if (p.randomisation) {
    std::cout << "  randomisation: " << ToString(p.randomisation->method) << ", ratio";
    for (const auto& [arm, w] : p.randomisation->ratio) std::cout << " " << arm << "=" << w;
    std::cout << "\n";
  }
  std::cout << "  endpoints:";
  for (const auto& e : p.endpoints) {
    std::cout << " " << e.id << (e.role == protocol::EndpointRole::kPrimary ? " (primary)" : "")
              << ";";
  }
  std::cout << "\n";
}

}  // namespace

// Defined in screen_command.cc; registered with the protocol command.
void AddScreenCommand(CLI::App& app, CliContext& ctx, int& exit_code);

void AddProtocolCommands(CLI::App& app, CliContext& ctx, int& exit_code) {
  AddScreenCommand(app, ctx, exit_code);
  auto* cmd = app.add_subcommand("protocol", "Check protocol files and list the shipped ones");
  cmd->require_subcommand(1);
  auto args = std::make_shared<ProtocolArgs>();

  auto* check = cmd->add_subcommand(
      "check", "Validate a protocol file; problems are reported as file:line:column");
  check->add_option("file", args->file, "The protocol's YAML file")->required();
  check->callback([&exit_code, args] {
    auto p = service::LoadProtocolFile(args->file);
    if (!p.ok()) return void(exit_code = ReportError(p.error()));
    PrintSummary(args->file, *p);
  });

  auto* list = cmd->add_subcommand("list", "List the protocols of a directory");
  list->add_option("--dir", args->dir, "The protocol folder (default: the global --protocols)");
  list->add_option("--format", args->format, "json or table")
      ->check(CLI::IsMember({"json", "table"}));
  list->callback([&ctx, &exit_code, args] {
    auto catalogue =
        service::ProtocolCatalogue::Load(args->dir.empty() ? ctx.protocols_dir : args->dir);
    if (!catalogue.ok()) return void(exit_code = ReportError(catalogue.error()));
    if (args->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& p : catalogue->protocols())
        out.push_back(ProtocolJson(p->file, p->protocol));
      std::cout << out.dump(2) << "\n";
      return;
    }
    for (const auto& entry : catalogue->protocols()) {
      const protocol::Protocol& p = entry->protocol;
      std::cout << p.id << "  v" << p.version << "  " << p.title << "\n";
      if (!p.nct_id.empty()) std::cout << "    " << p.nct_id << "\n";
      std::cout << "    arms:";
      for (const auto& a : p.arms) std::cout << " " << ArmText(a) << ";";
      std::cout << "\n";
      if (p.randomisation)
        std::cout << "    randomised: " << ToString(p.randomisation->method) << "\n";
      if (!p.part_of.empty()) std::cout << "    part of " << p.part_of << "\n";
    }
  });
}

}  // namespace stream::cli
