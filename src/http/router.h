// The API router: finds the route of a request and runs the checks every route shares,
// in this order, before its handler:
//   1. limits — body size (the server), JSON depth and well-formedness;
//   2. content type — a body must be application/json (415 otherwise);
//   3. authentication — an API token (Authorization: Bearer stk_…) or the session cookie;
//      401 for anything but the public allow-list (PublicRoutes()). Both are resolved
//      against the account as it is now (role, site, disabled, password): a session or
//      token of a changed account answers 401;
//   4. CSRF — a state-changing request authenticated by cookie needs the session's
//      X-CSRF-Token and, when the browser sends one, a same-origin Origin;
//   5. the body — as the route's body schema in the OpenAPI document declares it
//      (http/body_contract.h): required, an object, no unknown member, members typed;
//      a route without a body schema takes none (an empty object is tolerated);
// then maps the handler's error onto the catalogue's status with one body shape:
//   {"error": {"code": "not_found", "message": "…", "where": "…", "request_id": "…"}}.
// Every API response is no-store. Thread-safe once built.
#pragma once

#include <string>
#include <vector>

#include "http/api.h"

namespace stream::http {

inline constexpr int kMaxJsonDepth = 32;
inline constexpr int64_t kMaxPageSize = 1000;

class Router {
 public:
  explicit Router(ApiServices& services);

  ApiResponse Handle(const ApiRequest& request) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  ApiServices& services_;
  std::vector<Route> routes_;
};

// "METHOD path" of every route that answers without authentication.
const std::vector<std::string>& PublicRoutes();

// The route table (also what the OpenAPI document is generated from).
std::vector<Route> AllRoutes();

// The error body of the catalogue for `error`.
ApiResponse ErrorResponse(const Error& error, const std::string& request_id);

}  // namespace stream::http
