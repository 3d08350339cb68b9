#include "support/temp_dir.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace stream::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "stream-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandOutput RunCommand(const std::string& command) {
  CommandOutput result{-1, {}};
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.out.append(buf.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string StreamBinary() {
  if (const char* bin = std::getenv("STREAM_BIN")) return bin;
  return std::string(STREAM_BINARY_DIR) + "/bin/stream";
}

}  // namespace stream::testing
