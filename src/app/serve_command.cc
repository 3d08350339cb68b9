#include "app/serve_command.h"

#include <csignal>
#include <iostream>
#include <thread>

#include "app/serve_options.h"
#include "http/server.h"
#include "storage/sqlite/sqlite_store.h"

namespace stream::app {
namespace {

http::Server* g_server = nullptr;

void StopOnSignal(int) {
  if (g_server) g_server->Stop();
}

}  // namespace

void AddServeCommand(CLI::App& app, cli::CliContext& ctx, const Config& config, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "serve", "Serve the registry over HTTP (health endpoint and the browser app)");
  auto options = std::make_shared<http::ServerOptions>();
  options->static_dir = "web/dist";
  cmd->add_option("--host", options->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", options->port, "Port (0 = any free port)")->capture_default_str();
  cmd->add_option("--static", options->static_dir, "Folder of the browser app")
      ->capture_default_str();
  cmd->callback([&ctx, &config, &exit_code, options, cmd] {
    if (Status s = FillServerOptions(config, *cmd, *options); !s.ok())
      return void(exit_code = cli::ReportError(s.error()));
    auto registry = ctx.Registry();
    if (!registry.ok()) return void(exit_code = cli::ReportError(registry.error()));
    auto store = ctx.OpenedStore();
    auto* service = *registry;
    const auto actor = ctx.Operator();
    http::Server server(*options, [service, actor]() -> Result<nlohmann::json> {
      STREAM_ASSIGN_OR_RETURN(auto sites, service->ListSites(actor));
      return nlohmann::json{{"schema_version", storage::CurrentSqliteSchemaVersion()},
                            {"sites", sites.size()}};
    });
    (void)store;
    g_server = &server;
    std::signal(SIGINT, StopOnSignal);
    std::signal(SIGTERM, StopOnSignal);
    std::thread announce([&server, options] {
      for (int i = 0; i < 100 && server.BoundPort() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (server.BoundPort() > 0) {
        std::cout << "STREAM is serving on http://" << options->host << ":" << server.BoundPort()
                  << "/" << std::endl;
      }
    });
    Status s = server.Run();
    announce.join();
    g_server = nullptr;
    if (!s.ok()) exit_code = cli::ReportError(s.error());
  });
}

}  // namespace stream::app
