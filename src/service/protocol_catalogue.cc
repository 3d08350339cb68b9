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

namespace {

// Co-enrolment is mutual: when A excludes B, B excludes A while the patient is on study in
// A (the washout is the declaring protocol's only), whichever protocol the site enrols in.
void MakeCoEnrolmentMutual(std::vector<CataloguedProtocol>& all) {
  std::set<std::pair<std::string, std::string>> pairs;  // (declared by, excluded)
  for (const auto& p : all)
    for (const auto& x : p.protocol.operations.co_enrolment)
      pairs.insert({p.protocol.id, x.protocol_id});
  for (auto& p : all) {
    auto& rules = p.protocol.operations.co_enrolment;
    for (const auto& pair : pairs) {
      // Named copies: clang 14 cannot capture structured bindings in a lambda.
      const std::string& by = pair.first;
      if (pair.second != p.protocol.id) continue;
      const bool known = std::any_of(rules.begin(), rules.end(),
                                     [&](const auto& x) { return x.protocol_id == by; });
      if (!known) rules.push_back({by, 0});
    }
  }
}

}  // namespace

Result<ProtocolCatalogue> ProtocolCatalogue::FromProtocols(
    std::vector<CataloguedProtocol> protocols, std::vector<CataloguedProtocol> earlier) {
  ProtocolCatalogue c;
  MakeCoEnrolmentMutual(protocols);
  MakeCoEnrolmentMutual(earlier);
  for (auto& p : earlier) {
    auto& rules = p.protocol.operations.co_enrolment;
    for (const auto& q : protocols) {
      for (const auto& x : q.protocol.operations.co_enrolment) {
        if (x.protocol_id != p.protocol.id) continue;
        const bool known = std::any_of(rules.begin(), rules.end(), [&](const auto& r) {
          return r.protocol_id == q.protocol.id;
        });
        if (!known) rules.push_back({q.protocol.id, 0});
      }
    }
    c.earlier_.push_back(std::make_unique<const CataloguedProtocol>(std::move(p)));
  }
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

const protocol::Protocol* ProtocolCatalogue::FindVersion(std::string_view id,
                                                         std::string_view version) const {
  for (const auto* list : {&protocols_, &earlier_}) {
    for (const auto& p : *list) {
      if (p->protocol.id == id && p->protocol.version == version) return &p->protocol;
    }
  }
  return nullptr;
}

std::vector<std::string> ProtocolCatalogue::Versions(std::string_view id) const {
  std::vector<std::string> out;
  for (const auto& p : earlier_)
    if (p->protocol.id == id) out.push_back(p->protocol.version);
  if (const auto* current = Find(id)) out.push_back(current->version);
  return out;
}

const protocol::Protocol* ProtocolCatalogue::Find(std::string_view id) const {
  for (const auto& p : protocols_) {
    if (p->protocol.id == id) return &p->protocol;
  }
  return nullptr;
}

}  // namespace stream::service
