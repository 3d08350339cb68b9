// stream site add|list: the participating centres; stream site activate|suspend|close|
// status: a protocol's standing at a site (issue #23).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/running_catalogue.h"

namespace stream::cli {

namespace {

struct ActivationArgs {
  std::string site, protocol, from, version, approval, reason;
};

void AddSiteActivationCommands(CLI::App& cmd, CliContext& ctx, int& exit_code) {
  for (const std::string status : {"active", "suspended", "closed"}) {
    const std::string name = status == "active"      ? "activate"
                             : status == "suspended" ? "suspend"
                                                     : "close";
    auto* sub = cmd.add_subcommand(
        name, status == "active"
                  ? "Activate a protocol at a site from a date"
                  : "Stop enrolment into a protocol at a site (" + status + ") from a date");
    auto args = std::make_shared<ActivationArgs>();
    sub->add_option("code", args->site, "Site code")->required();
    sub->add_option("--protocol", args->protocol, "Protocol id")->required();
    sub->add_option("--from", args->from, "Effective date, YYYY-MM-DD (default: today)");
    if (status == "active") {
      sub->add_option("--approval", args->approval, "Approval reference (ethics, contract)")
          ->required();
      sub->add_option("--version", args->version,
                      "Protocol version approved at the site (default: the current one)");
    } else {
      sub->add_option("--reason", args->reason, "Why")->required();
    }
    sub->callback([&ctx, &exit_code, args, status] {
      service::SiteActivationRequest r;
      r.protocol_id = args->protocol;
      r.site = args->site;
      r.status = status;
      r.effective_on = ctx.clock().Today();
      if (!args->from.empty()) {
        auto d = Date::Parse(args->from);
        if (!d) {
          return void(exit_code = ReportError(
                          Fail(ErrorCode::kInvalidArgument, "expected YYYY-MM-DD", "--from")));
        }
        r.effective_on = *d;
      }
      r.protocol_version = args->version;
      r.approval_reference = args->approval;
      r.reason = args->reason;
      auto protocols = RunningProtocols(ctx);
      if (!protocols.ok()) return void(exit_code = ReportError(protocols.error()));
      auto catalogue = (*protocols)->Current();
      auto a = (*protocols)->sites().Change(ctx.Operator(), *catalogue, r);
      if (!a.ok()) return void(exit_code = ReportError(a.error()));
      std::cout << nlohmann::json{{"protocol", a->protocol_id},
                                  {"site", a->site},
                                  {"status", a->status},
                                  {"effective_on", a->effective_on.ToString()},
                                  {"protocol_version", a->protocol_version},
                                  {"approval_reference", a->approval_reference},
                                  {"reason", a->reason}}
                       .dump(2)
                << "\n";
    });
  }
  auto* status = cmd.add_subcommand("status", "Recruitment status of a protocol, per site");
  auto protocol = std::make_shared<std::string>();
  status->add_option("--protocol", *protocol, "Protocol id")->required();
  status->callback([&ctx, &exit_code, protocol] {
    auto protocols = RunningProtocols(ctx);
    if (!protocols.ok()) return void(exit_code = ReportError(protocols.error()));
    auto catalogue = (*protocols)->Current();
    auto r = (*protocols)->sites().Recruitment(ctx.Operator(), *catalogue, *protocol);
    if (!r.ok()) return void(exit_code = ReportError(r.error()));
    nlohmann::json sites = nlohmann::json::array();
    for (const auto& s : r->sites) {
      sites.push_back({{"site", s.site},
                       {"state", protocol::ToString(s.standing.state)},
                       {"since", s.standing.since ? s.standing.since->ToString() : ""},
                       {"version", s.standing.version},
                       {"approval_reference", s.standing.approval_reference},
                       {"enrolled", s.enrolled},
                       {"on_study", s.on_study},
                       {"enrolled_by_version", s.enrolled_by_version},
                       {"reconsent_due", s.reconsent_due}});
    }
    std::cout << nlohmann::json{{"protocol", r->protocol_id},
                                {"current_version", r->current_version},
                                {"active_sites", r->active_sites},
                                {"enrolled_by_version", r->enrolled_by_version},
                                {"sites", sites}}
                     .dump(2)
              << "\n";
  });
}

}  // namespace

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

  AddSiteActivationCommands(*cmd, ctx, exit_code);

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
