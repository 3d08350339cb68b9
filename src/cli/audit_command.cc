// stream audit verify: checks the hash chain and names every altered row.
#include <iostream>

#include "cli/commands.h"
#include "service/audit_trail.h"

namespace stream::cli {

void AddAuditCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("audit", "The audit trail");
  cmd->require_subcommand(1);
  auto* verify = cmd->add_subcommand(
      "verify", "Verify the audit trail's hash chain and the database's integrity");
  verify->callback([&ctx, &exit_code] {
    auto store = ctx.OpenedStore();
    if (!store.ok()) return void(exit_code = ReportError(store.error()));
    auto report = service::VerifyAuditTrail(**store);
    if (!report.ok()) return void(exit_code = ReportError(report.error()));
    for (const auto& p : report->storage_problems) std::cout << "database: " << p << "\n";
    for (const auto& p : report->problems)
      std::cout << "audit row " << p.seq << ": " << p.what << "\n";
    if (report->ok()) {
      std::cout << "audit trail intact: " << report->rows_checked << " rows verified\n";
    } else {
      std::cout << "audit trail FAILED verification: " << report->problems.size()
                << " problem(s) in " << report->rows_checked << " rows\n";
      exit_code = kExitFailure;
    }
  });
}

}  // namespace stream::cli
