#include "app/stream_main.h"

#include <CLI/CLI.hpp>

#include "app/serve_command.h"
#include "app/system_clock.h"
#include "cli/commands.h"
#include "storage/sqlite/sqlite_store.h"

namespace stream::app {
namespace {

// The only place that names a concrete storage backend.
Result<std::unique_ptr<Store>> OpenStore(const cli::OpenRequest& request) {
  storage::SqliteOptions options;
  options.database_path = request.data_dir + "/stream.db";
  options.identity_path = request.data_dir + "/identity.db";
  options.create = request.create;
  options.migrate = request.migrate;
  return storage::OpenSqliteStore(options);
}

}  // namespace

int StreamMain(int argc, char** argv) {
  SystemClock clock;
  cli::CliContext ctx(OpenStore, clock);
  int exit_code = cli::kExitOk;

  CLI::App app{
      "STREAM: registry and master-protocol engine for relapsed/refractory acute leukaemia"};
  app.require_subcommand(1);
  app.add_option("--data", ctx.data_dir, "Folder holding the database and the key file")
      ->capture_default_str();
  app.add_flag("--migrate", ctx.migrate, "Upgrade an older database schema before running");
  app.add_option("--protocols", ctx.protocols_dir, "Folder of the protocol files")
      ->capture_default_str();

  cli::AddInitCommand(app, ctx, exit_code);
  cli::AddSiteCommand(app, ctx, exit_code);
  cli::AddPatientCommand(app, ctx, exit_code);
  cli::AddRecordCommand(app, ctx, exit_code);
  cli::AddImportCommand(app, ctx, exit_code);
  cli::AddExportCommand(app, ctx, exit_code);
  cli::AddAuditCommand(app, ctx, exit_code);
  cli::AddDemoCommand(app, ctx, exit_code);
  cli::AddSchemaCommand(app, ctx, exit_code);
  cli::AddProtocolCommands(app, ctx, exit_code);
  cli::AddEnrolCommand(app, ctx, exit_code);
  cli::AddRandomisationCommand(app, ctx, exit_code);
  cli::AddUnblindCommand(app, ctx, exit_code);
  cli::AddAnalyzeCommand(app, ctx, exit_code);
  cli::AddUserCommand(app, ctx, exit_code);
  AddServeCommand(app, ctx, exit_code);
  AddApiCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitInvalid;
  }
  return exit_code;
}

}  // namespace stream::app
