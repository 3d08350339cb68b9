// stream audit verify: checks the hash chain, the tables against it and, with --anchor,
// the signed checkpoints, and names every altered row. stream audit checkpoint: appends a
// signed checkpoint to an anchor file kept apart from the database.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "service/audit_anchor.h"
#include "service/audit_trail.h"

namespace stream::cli {

namespace {

std::string AnchorKeyPath(const CliContext& ctx) { return ctx.data_dir + "/anchor.key"; }

// Every checkpoint of the anchor file; an unreadable line is an error naming it.
Result<std::vector<service::AuditCheckpoint>> ReadCheckpoints(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read the anchor file", path);
  std::vector<service::AuditCheckpoint> out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    auto c = service::ParseCheckpoint(line);
    if (!c.ok())
      return Fail(ErrorCode::kInvalidArgument, c.error().message,
                  path + ":" + std::to_string(number));
    out.push_back(std::move(*c));
  }
  return out;
}

// The registry's signing key (anchor.key in the data folder, 0600), made at first use.
Result<std::string> AnchorKey(const CliContext& ctx) {
  const std::string path = AnchorKeyPath(ctx);
  if (std::filesystem::exists(path)) return ReadInput(path);
  const std::string key = service::NewAnchorKey();
  STREAM_RETURN_IF_ERROR(WriteOutput(path, key));
  ::chmod(path.c_str(), 0600);
  return key;
}

// Appends `line` to the anchor file and waits until it is on disk (0600 when new).
Status AppendLine(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (fd < 0) return Fail(ErrorCode::kStorageError, "cannot open the anchor file", path);
  const std::string text = line + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = ::fsync(fd) == 0;
  if (::close(fd) != 0 || !written || !synced)
    return Fail(ErrorCode::kStorageFull, "cannot append to the anchor file", path);
  return Ok();
}

}  // namespace

void AddAuditCommand(CLI::App& app, CliContext& ctx, int& exit_code) {
  auto* cmd = app.add_subcommand("audit", "The audit trail");
  cmd->require_subcommand(1);
  auto* verify = cmd->add_subcommand(
      "verify", "Verify the audit trail's hash chain and the database's integrity");
  auto anchor = std::make_shared<std::string>();
  verify->add_option("--anchor", *anchor,
                     "An anchor file of signed checkpoints (stream audit checkpoint) to check "
                     "the trail against");
  verify->callback([&ctx, &exit_code, anchor] {
    auto store = ctx.OpenedStore();
    if (!store.ok()) return void(exit_code = ReportError(store.error()));
    auto report = service::VerifyAuditTrail(**store);
    if (!report.ok()) return void(exit_code = ReportError(report.error()));
    if (!anchor->empty()) {
      auto checkpoints = ReadCheckpoints(*anchor);
      if (!checkpoints.ok()) return void(exit_code = ReportError(checkpoints.error()));
      std::string public_key;
      if (auto key = ReadInput(AnchorKeyPath(ctx)); key.ok()) {
        if (auto pk = service::AnchorPublicKey(*key); pk.ok()) public_key = *pk;
      }
      auto problems = service::CheckAnchors(**store, *checkpoints, public_key);
      if (!problems.ok()) return void(exit_code = ReportError(problems.error()));
      report->problems.insert(report->problems.end(), problems->begin(), problems->end());
      std::cout << "anchor: " << checkpoints->size() << " signed checkpoint(s) in " << *anchor
                << (public_key.empty() ? " (signer not checked: no anchor.key here)" : "") << "\n";
    }
    for (const auto& p : report->storage_problems) std::cout << "database: " << p << "\n";
    for (const auto& p : report->problems) std::cout << service::Describe(p) << "\n";
    if (report->ok()) {
      std::cout << "audit trail intact: " << report->rows_checked << " rows verified\n";
    } else {
      std::cout << "audit trail FAILED verification: " << report->problems.size()
                << " problem(s) in " << report->rows_checked << " rows\n";
      exit_code = kExitFailure;
    }
  });

  auto* checkpoint = cmd->add_subcommand(
      "checkpoint",
      "Append a checkpoint of the audit trail, signed with the registry's anchor key, to an "
      "anchor file kept apart from the database (run it on a schedule)");
  auto anchor_file = std::make_shared<std::string>();
  checkpoint->add_option("--anchor", *anchor_file, "The anchor file to append to")->required();
  checkpoint->callback([&ctx, &exit_code, anchor_file] {
    auto store = ctx.OpenedStore();
    if (!store.ok()) return void(exit_code = ReportError(store.error()));
    auto key = AnchorKey(ctx);
    if (!key.ok()) return void(exit_code = ReportError(key.error()));
    auto c = service::TakeCheckpoint(**store, *key, ctx.clock().Now());
    if (!c.ok()) return void(exit_code = ReportError(c.error()));
    if (Status s = AppendLine(*anchor_file, service::CheckpointLine(*c)); !s.ok())
      return void(exit_code = ReportError(s.error()));
    std::cout << "checkpoint: row " << c->seq << ", hash " << c->hash.substr(0, 16)
              << "…, signed by " << c->public_key.substr(0, 16) << "… → " << *anchor_file << "\n";
  });
}

}  // namespace stream::cli
