#include "cli/cli_context.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace stream::cli {

Result<Store*> CliContext::OpenedStore() {
  if (!store_) {
    STREAM_ASSIGN_OR_RETURN(store_, opener_(OpenRequest{data_dir, false, migrate}));
  }
  return store_.get();
}

Result<service::RegistryService*> CliContext::Registry() {
  if (registry_) return registry_.get();
  STREAM_ASSIGN_OR_RETURN(Store * store, OpenedStore());
  if (auto key = IdentityKey(); key.ok()) {  // without the key, identities stay sealed
    STREAM_ASSIGN_OR_RETURN(auto vault, service::IdentityVault::FromKey(*key));
    vault_ = vault;
  }
  registry_ =
      std::make_unique<service::RegistryService>(*store, clock_, vault_ ? &*vault_ : nullptr);
  return registry_.get();
}

Result<service::AccountService*> CliContext::Accounts() {
  if (accounts_) return accounts_.get();
  STREAM_ASSIGN_OR_RETURN(Store * store, OpenedStore());
  accounts_ = std::make_unique<service::AccountService>(*store, clock_);
  return accounts_.get();
}

Result<std::string> CliContext::IdentityKey() const {
  std::ifstream in(KeyPath(), std::ios::binary);
  if (!in) return Fail(ErrorCode::kCryptoError, "cannot read the identity key", KeyPath());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Result<std::string> CliContext::RandomisationKey() const {
  std::ifstream in(RandomisationKeyPath(), std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kCryptoError,
                "cannot read the randomisation key (randomisation administrator only)",
                RandomisationKeyPath());
  }
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (key.size() != 32)
    return Fail(ErrorCode::kCryptoError, "the randomisation key must be 32 bytes",
                RandomisationKeyPath());
  return key;
}

service::Actor CliContext::Operator() const {
  service::Actor actor;
  const char* user = std::getenv("USER");
  actor.username = std::string("cli:") + (user ? user : "operator");
  actor.role = "administrator";
  return actor;
}

int ReportError(const Error& error) {
  std::cerr << "stream: " << error.ToString() << "\n";
  return error.code == ErrorCode::kInvalidArgument ? kExitInvalid : kExitFailure;
}

Result<std::string> ReadInput(const std::string& path) {
  std::stringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read file", path);
  buffer << in.rdbuf();
  return buffer.str();
}

Status WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? Ok()
                     : Status(Fail(ErrorCode::kStorageError, "cannot write to standard output"));
  }
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0640);
  if (fd < 0) return Fail(ErrorCode::kStorageError, "cannot create file", tmp);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return Fail(ErrorCode::kStorageFull, "cannot write file (disk full?)", path);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Fail(ErrorCode::kStorageError, "cannot complete writing file", path);
  }
  return Ok();
}

Progress::Progress(std::string label, int64_t total)
    : label_(std::move(label)), total_(total), enabled_(isatty(STDERR_FILENO) == 1 && total > 0) {}

void Progress::Update(int64_t done) {
  if (!enabled_) return;
  const int percent = static_cast<int>(100 * done / total_);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  std::cerr << "\r" << label_ << " " << percent << "% (" << done << "/" << total_ << ")"
            << std::flush;
}

void Progress::Finish() {
  if (enabled_) std::cerr << "\r" << label_ << " done" << std::string(20, ' ') << "\n";
}

}  // namespace stream::cli
