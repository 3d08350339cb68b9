// Actor: who asks for a use case, from which site, under which request id.
#pragma once

#include <string>

namespace stream::service {

struct Actor {
  std::string username = "system";
  std::string role = "administrator";
  std::string site;        // empty for central roles: they see every site
  std::string request_id;  // carried into audit rows

  bool IsCentral() const { return site.empty(); }
  // Whether this actor may see records of `record_site` (reliability promise 2).
  bool CanSee(const std::string& record_site) const { return site.empty() || site == record_site; }
};

}  // namespace stream::service
