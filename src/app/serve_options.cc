#include "app/serve_options.h"

#include <unistd.h>

namespace stream::app {

Status FillServerOptions(const Config& config, const CLI::App& serve,
                         http::ServerOptions& options) {
  const auto given = [&](const char* flag) { return serve.count(flag) > 0; };
  if (!given("--host")) options.host = config.server.host;
  if (!given("--port")) options.port = config.server.port;
  if (!given("--static")) options.static_dir = config.server.static_dir;
  options.threads = config.server.threads;
  options.session_idle_minutes = config.session_idle_minutes;
  options.session_absolute_hours = config.session_absolute_hours;
  for (const auto& [key, path] :
       {std::pair{"server.tls.certificate", &config.server.tls_certificate},
        std::pair{"server.tls.private_key", &config.server.tls_private_key}}) {
    if (!path->empty() && ::access(path->c_str(), R_OK) != 0) {
      return Fail(ErrorCode::kInvalidArgument, "cannot read " + *path, key);
    }
  }
  options.tls_certificate_file = config.server.tls_certificate;
  options.tls_private_key_file = config.server.tls_private_key;
  return Ok();
}

}  // namespace stream::app
