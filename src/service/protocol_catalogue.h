// The protocols a STREAM installation runs: every protocols/*.yaml file, loaded and
// checked once at start-up (protocol::LoadProtocol), in file-name order.
//
// Contract: Load succeeds only when every file loads, no two files declare the same
// protocol id, and every `part_of` names a protocol of the catalogue; otherwise the error
// is the first fault with its file:line:column. A loaded catalogue is immutable and may be
// shared between threads; the Protocol addresses it hands out stay valid for its life
// (also after a move).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "protocol/protocol.h"

namespace stream::service {

struct CataloguedProtocol {
  std::string file;  // the path it was loaded from
  protocol::Protocol protocol;
};

// Reads and loads one protocol file; errors carry the path as written.
[[nodiscard]] Result<protocol::Protocol> LoadProtocolFile(const std::string& path);

class ProtocolCatalogue {
 public:
  // Every *.yaml file of `directory` (not recursive).
  [[nodiscard]] static Result<ProtocolCatalogue> Load(const std::string& directory = "protocols");
  // Protocols already loaded (tests, the benchmark); the same checks as Load. `earlier`
  // holds earlier versions of catalogued protocols, still in force at sites whose
  // approval of the amendment is pending (issue #23). Co-enrolment exclusions are made
  // mutual across the catalogue.
  [[nodiscard]] static Result<ProtocolCatalogue> FromProtocols(
      std::vector<CataloguedProtocol> protocols, std::vector<CataloguedProtocol> earlier = {});

  const std::vector<std::unique_ptr<const CataloguedProtocol>>& protocols() const {
    return protocols_;
  }
  // nullptr when no protocol has this id.
  const protocol::Protocol* Find(std::string_view id) const;
  // One version of a protocol, the current one or an earlier one; nullptr when not loaded.
  const protocol::Protocol* FindVersion(std::string_view id, std::string_view version) const;
  // The versions loaded of a protocol, earlier ones first, the current one last.
  std::vector<std::string> Versions(std::string_view id) const;

 private:
  std::vector<std::unique_ptr<const CataloguedProtocol>> protocols_;
  std::vector<std::unique_ptr<const CataloguedProtocol>> earlier_;
};

}  // namespace stream::service
