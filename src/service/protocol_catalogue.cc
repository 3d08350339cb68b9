#include "service/protocol_catalogue.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace stream::service {

Result<protocol::Protocol> LoadProtocolFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot open the protocol file", path);
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return Fail(ErrorCode::kStorageError, "cannot read the protocol file", path);
  return protocol::LoadProtocol(text.str(), path);
}

Result<ProtocolCatalogue> ProtocolCatalogue::Load(const std::string& directory) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  if (ec) {
    return Fail(ErrorCode::kNotFound, "cannot list the protocol directory: " + ec.message(),
                directory);
  }
  std::sort(files.begin(), files.end());
  std::vector<CataloguedProtocol> loaded;
  for (const auto& file : files) {
    STREAM_ASSIGN_OR_RETURN(protocol::Protocol p, LoadProtocolFile(file));
    loaded.push_back({file, std::move(p)});
  }
  return FromProtocols(std::move(loaded));
}

Result<ProtocolCatalogue> ProtocolCatalogue::FromProtocols(
    std::vector<CataloguedProtocol> protocols) {
  ProtocolCatalogue c;
  std::set<std::string> ids;
  for (auto& p : protocols) {
    if (!ids.insert(p.protocol.id).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  "protocol id '" + p.protocol.id + "' is declared by two files", p.file);
    }
  }
  for (auto& p : protocols) {
    if (!p.protocol.part_of.empty() && !ids.count(p.protocol.part_of)) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "'part_of' names protocol '" + p.protocol.part_of + "', which is not in the catalogue",
          p.file);
    }
    c.protocols_.push_back(std::make_unique<const CataloguedProtocol>(std::move(p)));
  }
  return c;
}

const protocol::Protocol* ProtocolCatalogue::Find(std::string_view id) const {
  for (const auto& p : protocols_) {
    if (p->protocol.id == id) return &p->protocol;
  }
  return nullptr;
}

}  // namespace stream::service
