// stream init: creates the data folder, the database and the identity key.
#include <sys/stat.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"

namespace stream::cli {

void AddInitCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("init", "Create a new registry in the --data folder");
  cmd->callback([&ctx, &exit_code] {
    std::error_code ec;
    std::filesystem::create_directories(ctx.data_dir, ec);
    if (ec) {
      exit_code = ReportError(Fail(ErrorCode::kStorageError, ec.message(), ctx.data_dir));
      return;
    }
    ::chmod(ctx.data_dir.c_str(), 0700);
    // The key files may live elsewhere (configuration file, keys:).
    for (const auto& key : {ctx.KeyPath(), ctx.RandomisationKeyPath()}) {
      const auto folder = std::filesystem::path(key).parent_path();
      if (!folder.empty() && !std::filesystem::exists(folder)) {
        std::filesystem::create_directories(folder, ec);
        ::chmod(folder.c_str(), 0700);
      }
    }
    if (std::filesystem::exists(ctx.KeyPath())) {
      exit_code = ReportError(
          Fail(ErrorCode::kAlreadyExists, "an identity key exists already", ctx.KeyPath()));
      return;
    }
    auto store = ctx.opener()(OpenRequest{ctx.data_dir, true, false});
    if (!store.ok()) {
      // Leave nothing half-made: a failed init removes the files it created.
      if (store.error().code != ErrorCode::kAlreadyExists) {
        for (const char* file : {"/stream.db", "/stream.db-wal", "/stream.db-shm"}) {
          std::filesystem::remove(ctx.data_dir + file, ec);
        }
      }
      exit_code = ReportError(store.error());
      return;
    }
    // The key that seals direct identifiers lives beside, never inside, the database.
    if (Status s = WriteOutput(ctx.KeyPath(), service::IdentityVault::NewKey()); !s.ok()) {
      exit_code = ReportError(s.error());
      return;
    }
    ::chmod(ctx.KeyPath().c_str(), 0600);
    // The secret seed of the concealed randomisation lists, also outside the database.
    if (Status s = WriteOutput(ctx.RandomisationKeyPath(), service::IdentityVault::NewKey());
        !s.ok()) {
      exit_code = ReportError(s.error());
      return;
    }
    ::chmod(ctx.RandomisationKeyPath().c_str(), 0600);
    std::cout << "Initialised a STREAM registry (data folder " << ctx.data_dir << "/; keys "
              << ctx.KeyPath() << " and " << ctx.RandomisationKeyPath()
              << ": back the keys up separately)\n";
    exit_code = kExitOk;
  });
}

}  // namespace stream::cli
