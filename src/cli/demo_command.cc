// stream demo generate: fills the registry with the synthetic demo patients.
#include <iostream>

#include "cli/commands.h"
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
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = ReportError(registry.error()));
    const auto actor = ctx.Operator();
    auto existing = (*registry)->ListSites(actor);
    if (!existing.ok()) return void(exit_code = ReportError(existing.error()));
    const auto sites = synthetic::DemoSites(args->sites);
    for (const auto& site : sites) {
      const bool known = std::any_of(existing->begin(), existing->end(),
                                     [&](const Site& s) { return s.code == site.code; });
      if (known) continue;
      if (auto added = (*registry)->AddSite(actor, site); !added.ok())
        return void(exit_code = ReportError(added.error()));
    }
    SeededRandom random(args->seed);
    Progress progress("generating", args->patients);
    constexpr int kBatch = 500;  // patients per transaction
    int64_t records = 0;
    for (int start = 0; start < args->patients; start += kBatch) {
      std::vector<service::PatientBundle> bundles;
      for (int i = start; i < std::min(args->patients, start + kBatch); ++i) {
        auto p = synthetic::GeneratePatient(i, sites, ctx.clock().Today(), random);
        service::PatientBundle bundle{std::move(p.patient.values), {}, std::nullopt};
        for (auto& r : p.records) bundle.records.emplace_back(r.kind, std::move(r.record.values));
        bundles.push_back(std::move(bundle));
      }
      auto written = (*registry)->RegisterPatients(actor, bundles);
      if (!written.ok()) return void(exit_code = ReportError(written.error()));
      records += *written;
      progress.Update(std::min(args->patients, start + kBatch));
    }
    progress.Finish();
    std::cout << "generated " << args->patients << " synthetic patients (" << records
              << " records) at " << sites.size() << " sites, seed " << args->seed << "\n";
    if (args->accounts) exit_code = AddDemoAccounts(ctx, sites);
  });
}

}  // namespace stream::cli
