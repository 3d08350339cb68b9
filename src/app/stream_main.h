// The composition root: builds the command tree, opens the store the user names and runs
// one command. Returns the process exit code.
#pragma once

namespace stream::app {

int StreamMain(int argc, char** argv);

}  // namespace stream::app
