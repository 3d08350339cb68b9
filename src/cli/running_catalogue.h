// The protocols as a running installation sees them from the command line: the files of
// --protocols plus the versions loaded through the API (kept in the store), so that a
// site approved for an earlier version enrols under it (issue #23).
#pragma once

#include <memory>

#include "cli/cli_context.h"
#include "service/protocol_service.h"

namespace stream::cli {

// The protocol service over the opened store; Start() has run.
Result<std::unique_ptr<service::ProtocolService>> RunningProtocols(CliContext& ctx);

}  // namespace stream::cli
