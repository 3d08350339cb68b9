// stream demo generate: fills the registry with the synthetic demo patients and enrols
// some of them in the shipped trials (cli/demo_replay.h).
#include <iostream>

#include "cli/commands.h"
#include "cli/demo_replay.h"
#include "service/access_policy.h"
#include "synthetic/demo_registry.h"

namespace stream::cli {
namespace {

struct DemoArgs {
  int patients = 200;
  int sites = 4;
  bool accounts = true;
  uint64_t seed = 20261121;
};

}  // namespace

namespace {

// One account per central role, and one per site role and site, each with a random
// password printed here once. Accounts that exist already are left alone.
int AddDemoAccounts(CliContext& ctx, const std::vector<Site>& sites) {
  auto accounts = ctx.Accounts();
  if (!accounts.ok()) return ReportError(accounts.error());
  std::vector<service::NewAccount> wanted;
  for (const auto& role : service::Roles()) {
    if (!service::IsSiteRole(role)) {
      wanted.push_back({role + ".demo", role, "", ""});
      continue;
    }
    for (const auto& site : sites) {
      std::string code = site.code;
      for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      wanted.push_back({role + "." + code, role, site.code, ""});
    }
  }
  std::cout << "\ndemo accounts (passwords are shown only now):\n";
  for (auto& account : wanted) {
    account.password = service::AccountService::NewPassword();
    auto added = (*accounts)->AddAccount(ctx.Operator(), account);
    if (!added.ok()) {
      if (added.error().code == ErrorCode::kAlreadyExists) continue;
      return ReportError(added.error());
    }
    std::cout << "  " << account.username << "  " << account.password << "  (" << account.role
              << (account.site.empty() ? "" : ", " + account.site) << ")\n";
  }
  return kExitOk;
}

}  // namespace

void AddDemoCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "The synthetic demo registry");
  cmd->require_subcommand(1);
  auto args = std::make_shared<DemoArgs>();
  auto* gen =
      cmd->add_subcommand("generate", "Add synthetic patients (never real data) to the registry");
  gen->add_option("--patients", args->patients, "How many patients")
      ->check(CLI::Range(1, 10'000'000));
  gen->add_option("--sites", args->sites, "How many sites (1-12)")->check(CLI::Range(1, 12));
  gen->add_option("--seed", args->seed, "Random seed: the same seed gives the same registry");
  gen->add_flag("!--no-accounts", args->accounts,
                "Do not create the demo accounts (one per role and site, passwords printed once)");
  gen->callback([&ctx, &exit_code, args] {
    auto store = ctx.OpenedStore();
    if (!store.ok()) return void(exit_code = ReportError(store.error()));
    // Trials enrol only when the protocols and the randomisation key are at hand.
    auto catalogue = service::ProtocolCatalogue::Load(ctx.protocols_dir);
    auto key = ctx.RandomisationKey();
    const bool enrol = catalogue.ok() && key.ok();
    const auto sites = synthetic::DemoSites(args->sites);
    const DemoReplay replay{
        **store,    ctx.clock().Now(), enrol ? &*catalogue : nullptr, enrol ? *key : std::string(),
        args->seed, ctx.Operator()};
    SeededRandom random(args->seed);
    const Date today = ctx.clock().Today();
    Progress progress("generating", args->patients);
    auto report = ReplayDemoRegistry(
        replay, sites, args->patients,
        [&](int i) { return synthetic::GeneratePatient(i, sites, today, random); }, progress);
    progress.Finish();
    if (!report.ok()) return void(exit_code = ReportError(report.error()));
    std::cout << "generated " << args->patients << " synthetic patients (" << report->records
              << " records) at " << sites.size() << " sites, seed " << args->seed << "\n";
    if (!enrol) {
      std::cout << "nobody enrolled in a trial: "
                << (catalogue.ok() ? key.error() : catalogue.error()).ToString() << "\n";
    }
    for (const auto& [protocol, n] : report->enrolled) {
      std::cout << "  " << protocol << ": " << n << " enrolled (" << report->refused.at(protocol)
                << " offers refused)\n";
    }
    if (args->accounts) exit_code = AddDemoAccounts(ctx, sites);
  });
}

}  // namespace stream::cli
