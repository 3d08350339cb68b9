// The HTTP server's options from the configuration file, with the serve command's own
// flags (--host, --port, --static) taking precedence when given.
#pragma once

#include <CLI/CLI.hpp>

#include "app/config.h"
#include "core/result.h"
#include "http/server.h"

namespace stream::app {

// Fills `options` from `config` except what `serve` was given on the command line.
// kInvalidArgument naming the key when a configured TLS file cannot be read.
[[nodiscard]] Status FillServerOptions(const Config& config, const CLI::App& serve,
                                       http::ServerOptions& options);

}  // namespace stream::app
