// stream user add NAME (--admin | --role ROLE [--site CODE]) [--password-stdin]
// stream user list
// stream user disable NAME
// Accounts of the web application and the API. There is no default password: `add`
// reads one from standard input, or makes a random one and prints it once.
#include <iostream>

#include "cli/commands.h"
#include "service/access_policy.h"

namespace stream::cli {
namespace {

struct UserArgs {
  std::string username;
  std::string role;
  std::string site;
  bool admin = false;
  bool password_stdin = false;
};

}  // namespace

void AddUserCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* user = app.add_subcommand("user", "Accounts of the web application and the API");
  user->require_subcommand(1);
  auto args = std::make_shared<UserArgs>();

  auto* add = user->add_subcommand("add", "Add an account (the first administrator: --admin)");
  add->add_option("username", args->username, "User name")->required();
  add->add_flag("--admin", args->admin, "An administrator (how the first account is made)");
  std::string roles;
  for (const auto& r : service::Roles()) roles += (roles.empty() ? "" : ", ") + r;
  add->add_option("--role", args->role, "Role: " + roles);
  add->add_option("--site", args->site, "Site code, for site roles (investigator, data_entry)");
  add->add_flag("--password-stdin", args->password_stdin,
                "Read the password from standard input (otherwise one is made and printed once)");
  add->callback([&ctx, &exit_code, args] {
    if (args->admin == !args->role.empty()) {
      exit_code =
          ReportError(Fail(ErrorCode::kInvalidArgument, "give either --admin or --role", "--role"));
      return;
    }
    auto accounts = ctx.Accounts();
    if (!accounts.ok()) return void(exit_code = ReportError(accounts.error()));
    service::NewAccount account{args->username, args->admin ? "administrator" : args->role,
                                args->site, ""};
    const bool generated = !args->password_stdin;
    if (args->password_stdin) {
      std::getline(std::cin, account.password);
    } else {
      account.password = service::AccountService::NewPassword();
    }
    auto added = (*accounts)->AddAccount(ctx.Operator(), account);
    if (!added.ok()) return void(exit_code = ReportError(added.error()));
    std::cout << "added " << added->role << " " << added->username
              << (added->site.empty() ? "" : " at site " + added->site) << "\n";
    if (generated) std::cout << "password (shown once): " << account.password << "\n";
  });

  auto* list = user->add_subcommand("list", "Every account with its role and site");
  list->callback([&ctx, &exit_code] {
    auto accounts = ctx.Accounts();
    if (!accounts.ok()) return void(exit_code = ReportError(accounts.error()));
    auto users = (*accounts)->ListAccounts(ctx.Operator());
    if (!users.ok()) return void(exit_code = ReportError(users.error()));
    for (const auto& u : *users) {
      std::cout << u.username << "\t" << u.role << "\t" << (u.site.empty() ? "-" : u.site)
                << (u.disabled ? "\tdisabled" : "") << "\n";
    }
  });

  auto* disable = user->add_subcommand("disable", "Disable an account (log-in and its tokens)");
  disable->add_option("username", args->username, "User name")->required();
  disable->callback([&ctx, &exit_code, args] {
    auto accounts = ctx.Accounts();
    if (!accounts.ok()) return void(exit_code = ReportError(accounts.error()));
    service::AccountChange change;
    change.disabled = true;
    auto changed = (*accounts)->ChangeAccount(ctx.Operator(), args->username, change);
    if (!changed.ok()) return void(exit_code = ReportError(changed.error()));
    std::cout << "disabled " << changed->username << "\n";
  });
}

}  // namespace stream::cli
