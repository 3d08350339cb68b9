// What every command shares: the --data folder and the key files, how to open the store
// (wired by app, which alone names a concrete backend), the clock, and output helpers.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "core/store.h"
#include "service/account_service.h"
#include "service/actor.h"
#include "service/identity_vault.h"
#include "service/registry_service.h"

namespace stream::cli {

struct OpenRequest {
  std::string data_dir;
  bool create = false;
  bool migrate = false;
};

using StoreOpener = std::function<Result<std::unique_ptr<Store>>(const OpenRequest&)>;

// Exit codes of the stream program.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command failed; nothing was written
inline constexpr int kExitInvalid = 2;  // bad input or usage

class CliContext {
 public:
  CliContext(StoreOpener opener, const Clock& clock) : opener_(std::move(opener)), clock_(clock) {}

  std::string data_dir = "var";
  std::string protocols_dir = "protocols";
  bool migrate = false;
  // Where the key files are; empty: in data_dir (set from the configuration file).
  std::string identity_key_path;
  std::string randomisation_key_path;

  const Clock& clock() const { return clock_; }
  std::string KeyPath() const {
    return identity_key_path.empty() ? data_dir + "/identity.key" : identity_key_path;
  }
  // The secret seed of every randomisation list; only the randomisation administrator
  // (and the server that allocates) can read it.
  std::string RandomisationKeyPath() const {
    return randomisation_key_path.empty() ? data_dir + "/randomisation.key"
                                          : randomisation_key_path;
  }
  Result<std::string> RandomisationKey() const;
  // The identity key (seals direct identifiers, keys study pseudonyms).
  Result<std::string> IdentityKey() const;

  // Opens the store and the identity key of data_dir; cached for the command's life.
  Result<service::RegistryService*> Registry();
  Result<Store*> OpenedStore();
  // Accounts and API tokens on the opened store.
  Result<service::AccountService*> Accounts();
  const StoreOpener& opener() const { return opener_; }

  // The actor of command-line use: the local operator, a central role.
  service::Actor Operator() const;

 private:
  StoreOpener opener_;
  const Clock& clock_;
  std::unique_ptr<Store> store_;
  std::optional<service::IdentityVault> vault_;
  std::unique_ptr<service::RegistryService> registry_;
  std::unique_ptr<service::AccountService> accounts_;
};

// Prints `error` on stderr as "stream: <where>: <message>" and returns the exit code.
int ReportError(const Error& error);

// Reads a whole file, or standard input for "-".
Result<std::string> ReadInput(const std::string& path);

// Writes `text` to `path` atomically (temporary file, fsync, rename), or to stdout for
// "" or "-". Nothing is left half-written on failure.
Status WriteOutput(const std::string& path, const std::string& text);

// Progress for long commands: shown on a terminal (stderr), silent when piped.
class Progress {
 public:
  Progress(std::string label, int64_t total);
  void Update(int64_t done);
  void Finish();

 private:
  std::string label_;
  int64_t total_;
  bool enabled_;
  int last_percent_ = -1;
};

}  // namespace stream::cli
