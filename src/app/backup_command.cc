#include "app/backup_command.h"

#include <cstdio>
#include <iostream>
#include <memory>

#include "app/backup.h"
#include "app/store_opener.h"

namespace stream::app {
namespace {

int Print(const std::string& title, const CheckReport& report, const std::string& done) {
  std::cout << title << "\n";
  for (const auto& [label, text] : report.lines) {
    std::cout << "  " << label << std::string(label.size() < 10 ? 10 - label.size() : 1, ' ')
              << text << "\n";
  }
  for (const auto& p : report.problems) std::cout << "  PROBLEM   " << p << "\n";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", report.seconds);
  if (!report.ok()) {
    std::cout << done << " FAILED its checks: " << report.problems.size() << " problem(s)\n";
    return cli::kExitFailure;
  }
  std::cout << done << " complete and verified in " << seconds << " s\n";
  return cli::kExitOk;
}

std::string Where(const Config& config, const cli::CliContext& ctx) {
  if (config.backend == StorageBackend::kSqlite) return "sqlite registry in " + ctx.data_dir;
  return "postgresql registry " + config.postgresql.dbname + " on " + config.postgresql.host + ":" +
         std::to_string(config.postgresql.port);
}

}  // namespace

void AddBackupCommands(CLI::App& app, cli::CliContext& ctx, const Config& config, int& exit_code) {
  auto backup_request = std::make_shared<BackupRequest>();
  auto* backup = app.add_subcommand(
      "backup",
      "Take a consistent backup while the registry is in use, then check it (integrity, audit "
      "chain, row counts and checksums)");
  backup->add_option("--to", backup_request->to, "A new or empty folder for the backup")
      ->required();
  backup->add_flag("--with-keys", backup_request->with_keys,
                   "Also copy identity.key and randomisation.key (normally backed up "
                   "separately: whoever holds both can read identities)");
  backup->callback([&ctx, &config, &exit_code, backup_request] {
    BackupRequest request = *backup_request;
    request.identity_key = ctx.KeyPath();
    request.randomisation_key = ctx.RandomisationKeyPath();
    request.postgresql_bin = config.postgresql_bin;
    auto report = BackupRegistry(ResolveLocation(config, ctx.data_dir), request, ctx.clock());
    if (!report.ok()) return void(exit_code = cli::ReportError(report.error()));
    exit_code =
        Print("stream backup: " + Where(config, ctx) + " -> " + request.to, *report, "backup");
    if (!report->ok()) {
      std::cout << "no manifest was written: " << request.to << " is not a usable backup\n";
    }
  });

  auto restore_request = std::make_shared<RestoreRequest>();
  auto* restore = app.add_subcommand(
      "restore",
      "Restore a backup into an empty registry (the configured database or --data folder), "
      "then check it against the backup");
  restore->add_option("--from", restore_request->from, "The backup folder")->required();
  restore->add_flag("--force", restore_request->force,
                    "Replace a registry that is not empty (stop the server first)");
  restore->callback([&ctx, &config, &exit_code, restore_request] {
    RestoreRequest request = *restore_request;
    request.migrate = ctx.migrate;
    request.identity_key = ctx.KeyPath();
    request.randomisation_key = ctx.RandomisationKeyPath();
    request.postgresql_bin = config.postgresql_bin;
    auto report = RestoreRegistry(ResolveLocation(config, ctx.data_dir), request);
    if (!report.ok()) return void(exit_code = cli::ReportError(report.error()));
    exit_code =
        Print("stream restore: " + request.from + " -> " + Where(config, ctx), *report, "restore");
  });
}

}  // namespace stream::app
