// A fresh directory under $TMPDIR, removed with everything in it at destruction.
#pragma once

#include <string>

namespace stream::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs a shell command, returning its exit status and what it printed on stdout.
struct CommandOutput {
  int exit_code;
  std::string out;
};
CommandOutput RunCommand(const std::string& command);

// The stream program under test (build/bin/stream).
std::string StreamBinary();

}  // namespace stream::testing
