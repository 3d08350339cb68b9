#include "app/serve_command.h"

#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <thread>

#include "app/api_stack.h"
#include "app/serve_options.h"
#include "http/server.h"
#include "service/protocol_catalogue.h"
#include "storage/sqlite/sqlite_store.h"

namespace stream::app {
namespace {

http::Server* g_server = nullptr;

void StopOnSignal(int) {
  if (g_server) g_server->Stop();
}

Result<std::unique_ptr<ApiStack>> BuildApiStack(cli::CliContext& ctx, Store& store,
                                                const http::ServerOptions& options) {
  ApiStackOptions api;
  STREAM_ASSIGN_OR_RETURN(api.identity_key, ctx.IdentityKey());
  STREAM_ASSIGN_OR_RETURN(api.randomisation_key, ctx.RandomisationKey());
  STREAM_ASSIGN_OR_RETURN(auto catalogue, service::ProtocolCatalogue::Load(ctx.protocols_dir));
  for (const auto& p : catalogue.protocols()) api.protocols.push_back(*p);
  api.session_limits.idle_seconds = int64_t{options.session_idle_minutes} * 60;
  api.session_limits.absolute_seconds = int64_t{options.session_absolute_hours} * 3600;
  return ApiStack::Create(store, ctx.clock(), std::move(api));
}

// Each open connection holds a file descriptor, and the server admits up to
// `max_connections` (1024 by default): the usual soft limit of 1024 descriptors would
// stop accepting first. Raises the soft limit towards the hard one; best effort.
void RaiseFileLimit(const http::ServerOptions& options) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(options.max_connections) + 256;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

void AddServeCommand(CLI::App& app, cli::CliContext& ctx, const Config& config, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "serve", "Serve the registry over HTTP: the REST API, the browser app and /healthz");
  auto options = std::make_shared<http::ServerOptions>();
  options->static_dir = "web/dist";
  cmd->add_option("--host", options->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", options->port, "Port (0 = any free port)")->capture_default_str();
  cmd->add_option("--static", options->static_dir, "Folder of the browser app")
      ->capture_default_str();
  cmd->callback([&ctx, &config, &exit_code, options, cmd] {
    if (Status s = FillServerOptions(config, *cmd, *options); !s.ok())
      return void(exit_code = cli::ReportError(s.error()));
    auto store = ctx.OpenedStore();
    if (!store.ok()) return void(exit_code = cli::ReportError(store.error()));
    auto stack = BuildApiStack(ctx, **store, *options);
    if (!stack.ok()) return void(exit_code = cli::ReportError(stack.error()));
    auto* service = &(*stack)->registry();
    const auto actor = ctx.Operator();
    http::Server server(
        *options,
        // Anonymous: it proves the database answers, and tells nothing about its content.
        [service, actor]() -> Result<nlohmann::json> {
          STREAM_RETURN_IF_ERROR(service->ListSites(actor).status());
          return nlohmann::json{{"schema_version", storage::CurrentSqliteSchemaVersion()}};
        },
        &(*stack)->router());
    RaiseFileLimit(*options);
    g_server = &server;
    std::signal(SIGINT, StopOnSignal);
    std::signal(SIGTERM, StopOnSignal);
    std::thread announce([&server, options] {
      for (int i = 0; i < 100 && server.BoundPort() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (server.BoundPort() > 0) {
        const bool tls = !options->tls_certificate_file.empty();
        std::cout << "STREAM is serving on " << (tls ? "https://" : "http://") << options->host
                  << ":" << server.BoundPort() << "/" << std::endl;
      }
    });
    Status s = server.Run();
    announce.join();
    g_server = nullptr;
    if (!s.ok()) exit_code = cli::ReportError(s.error());
  });
}

}  // namespace stream::app
