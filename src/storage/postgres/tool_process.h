// Runs PostgreSQL's own client programs (pg_dump, pg_restore) for backup and restore.
// Internal to storage/postgres. Safe in a multi-threaded process (posix_spawn; every
// pipe is close-on-exec).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace stream::storage {

// Where the program `name` is: in `bin_dir` when set; otherwise on PATH; otherwise in
// the newest /usr/lib/postgresql/<version>/bin (Debian's layout). kNotFound otherwise.
Result<std::string> FindPostgresTool(const std::string& name, const std::string& bin_dir);

struct ToolRun {
  int exit_code = -1;  // -1 when killed by a signal
  std::string errors;  // what the program wrote on stderr (bounded)
};

// Runs `program` with `args`, its environment being ours plus `extra_env`
// ("NAME=value"). Its standard output goes to `on_output` piece by piece, or is
// discarded when that is empty. kStorageError when it cannot be started.
Result<ToolRun> RunTool(const std::string& program, const std::vector<std::string>& args,
                        const std::vector<std::string>& extra_env,
                        const std::function<void(std::string_view)>& on_output);

}  // namespace stream::storage
