#include "storage/postgres/tool_process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace stream::storage {
namespace {

bool Executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// "15" < "16" < "100": Debian's version folders, compared as numbers.
bool NewerVersion(const std::string& a, const std::string& b) {
  const auto number = [](const std::string& path) {
    const std::string version = std::filesystem::path(path).parent_path().filename().string();
    return std::atof(version.c_str());
  };
  return number(a) > number(b);
}

}  // namespace

Result<std::string> FindPostgresTool(const std::string& name, const std::string& bin_dir) {
  if (!bin_dir.empty()) {
    const std::string path = bin_dir + "/" + name;
    if (Executable(path)) return path;
    return Fail(ErrorCode::kNotFound, name + " is not in the configured folder", path);
  }
  if (const char* env_path = std::getenv("PATH")) {
    std::string paths = env_path;
    size_t start = 0;
    while (start <= paths.size()) {
      size_t end = paths.find(':', start);
      if (end == std::string::npos) end = paths.size();
      const std::string dir = paths.substr(start, end - start);
      if (!dir.empty() && Executable(dir + "/" + name)) return dir + "/" + name;
      start = end + 1;
    }
  }
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string path = entry.path().string() + "/bin/" + name;
    if (Executable(path)) found.push_back(path);
  }
  if (found.empty()) {
    return Fail(ErrorCode::kNotFound,
                name +
                    " not found on PATH nor in /usr/lib/postgresql/*/bin; install Debian's "
                    "postgresql-client or set backup.postgresql_bin");
  }
  std::sort(found.begin(), found.end(), NewerVersion);
  return found.front();
}

Result<ToolRun> RunTool(const std::string& program, const std::vector<std::string>& args,
                        const std::vector<std::string>& extra_env,
                        const std::function<void(std::string_view)>& on_output) {
  // Everything the child needs is built before it exists.
  std::vector<std::string> argv_strings;
  argv_strings.push_back(program);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry = *e;
    const bool overridden = std::any_of(extra_env.begin(), extra_env.end(), [&](const auto& x) {
      return entry.compare(0, x.find('=') + 1, x, 0, x.find('=') + 1) == 0;
    });
    if (!overridden) env_strings.push_back(entry);
  }
  env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return Fail(ErrorCode::kStorageError, "pipe failed", program);
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return Fail(ErrorCode::kStorageError, "pipe failed", program);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(out[0]);
    ::close(err[0]);
    return Fail(ErrorCode::kStorageError, std::string("cannot start: ") + std::strerror(rc),
                program);
  }
  ToolRun run;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (auto& p : fds) {
      if (p.fd < 0 || p.revents == 0) continue;
      const ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n > 0) {
        const std::string_view piece(buf, static_cast<size_t>(n));
        if (p.fd == out[0]) {
          if (on_output) on_output(piece);
        } else if (run.errors.size() < 64 * 1024) {
          run.errors.append(piece);
        }
      } else if (n == 0 || errno != EINTR) {
        ::close(p.fd);
        p.fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& p : fds)
    if (p.fd >= 0) ::close(p.fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace stream::storage
