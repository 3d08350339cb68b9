// stream site add|list: the participating centres.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace stream::cli {

void AddSiteCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("site", "Participating sites");
  cmd->require_subcommand(1);

  auto* add = cmd->add_subcommand("add", "Add a site");
  auto site = std::make_shared<Site>();
  add->add_option("code", site->code, "Site code, e.g. IT-FO-01")->required();
  add->add_option("--name", site->name, "Name of the centre")->required();
  add->add_option("--country", site->country, "ISO 3166-1 alpha-2 country code")->required();
  add->callback([&ctx, &exit_code, site] {
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    auto added = (*registry)->AddSite(ctx.Operator(), *site);
    if (!added.ok()) return void(exit_code = ReportError(added.error()));
    std::cout << nlohmann::json{{"id", added->id},
                                {"code", added->code},
                                {"name", added->name},
                                {"country", added->country}}
                     .dump(2)
              << "\n";
  });

  auto* list = cmd->add_subcommand("list", "List the sites");
  list->callback([&ctx, &exit_code] {
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    auto sites = (*registry)->ListSites(ctx.Operator());
    if (!sites.ok()) return void(exit_code = ReportError(sites.error()));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : *sites)
      out.push_back({{"id", s.id}, {"code", s.code}, {"name", s.name}, {"country", s.country}});
    std::cout << out.dump(2) << "\n";
  });
}

}  // namespace stream::cli
