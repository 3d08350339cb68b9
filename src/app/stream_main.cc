#include "app/stream_main.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include "app/backup_command.h"
#include "app/config.h"
#include "app/serve_command.h"
#include "app/store_opener.h"
#include "app/system_clock.h"
#include "cli/commands.h"

namespace stream::app {
namespace {

// Thrown by the configuration step to stop before any command runs; never leaves
// StreamMain.
struct ConfigRefused {};

}  // namespace

int StreamMain(int argc, char** argv) {
  // Databases, keys, backups and exports hold pseudonymised health data: every file STREAM
  // creates is readable by its owner only (0600), every directory 0700.
  ::umask(0077);
  SystemClock clock;
  // Filled from --config before any command callback runs; the opener and the commands
  // that need it read it then.
  Config config;
  cli::CliContext ctx(MakeStoreOpener(config), clock);
  int exit_code = cli::kExitOk;

  CLI::App app{
      "STREAM: registry and master-protocol engine for relapsed/refractory acute leukaemia"};
  app.require_subcommand(1);
  // The global options may also follow the command: stream serve --config FILE --migrate.
  app.fallthrough();
  std::string config_path;
  app.add_option("--config", config_path,
                 "Configuration file (documented sample: config/stream.yaml); options given "
                 "on the command line take precedence over it");
  auto* data =
      app.add_option("--data", ctx.data_dir, "Folder holding the SQLite database and the key files")
          ->capture_default_str();
  app.add_flag("--migrate", ctx.migrate, "Upgrade an older database schema before running");
  auto* protocols = app.add_option("--protocols", ctx.protocols_dir, "Folder of the protocol files")
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
  cli::AddInstrumentCommand(app, exit_code);
  cli::AddUserCommand(app, ctx, exit_code);
  AddApiCommand(app);
  AddServeCommand(app, ctx, config, exit_code);
  AddBackupCommands(app, ctx, config, exit_code);

  // Runs after the command line is parsed and before the command's callback.
  app.parse_complete_callback([&] {
    if (!config_path.empty()) {
      auto loaded = LoadConfig(config_path);
      if (!loaded.ok()) {
        exit_code = cli::ReportError(loaded.error());
        throw ConfigRefused{};
      }
      config = std::move(*loaded);
    }
    if (data->count() == 0) ctx.data_dir = config.data;
    if (protocols->count() == 0) ctx.protocols_dir = config.protocols;
    ctx.identity_key_path = config.identity_key;
    ctx.randomisation_key_path = config.randomisation_key;
    spdlog::set_level(spdlog::level::from_str(config.log_level));
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitInvalid;
  } catch (const ConfigRefused&) {
    return exit_code;
  }
  return exit_code;
}

}  // namespace stream::app
