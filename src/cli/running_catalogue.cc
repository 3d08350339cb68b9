#include "cli/running_catalogue.h"

#include "service/protocol_catalogue.h"

namespace stream::cli {

Result<std::unique_ptr<service::ProtocolService>> RunningProtocols(CliContext& ctx) {
  STREAM_ASSIGN_OR_RETURN(auto files, service::ProtocolCatalogue::Load(ctx.protocols_dir));
  std::vector<service::CataloguedProtocol> copies;
  for (const auto& p : files.protocols()) copies.push_back(*p);
  STREAM_ASSIGN_OR_RETURN(Store * store, ctx.OpenedStore());
  auto service = std::make_unique<service::ProtocolService>(*store, ctx.clock(), std::move(copies));
  STREAM_RETURN_IF_ERROR(service->Start());
  return service;
}

}  // namespace stream::cli
