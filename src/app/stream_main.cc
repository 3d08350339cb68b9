#include "app/stream_main.h"

#include <CLI/CLI.hpp>

namespace stream::app {

int StreamMain(int argc, char** argv) {
  CLI::App app{
      "STREAM: registry and master-protocol engine for relapsed/refractory acute leukaemia"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace stream::app
