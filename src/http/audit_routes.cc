// The audit trail: per patient, per record, and filtered, newest first.
#include "http/routes.h"

namespace stream::http {
namespace {

nlohmann::json AuditJson(const AuditEntry& e) {
  nlohmann::json out = {{"seq", e.seq},
                        {"at", e.at.ToString()},
                        {"actor", e.actor},
                        {"site", e.site},
                        {"entity", e.entity},
                        {"entity_id", e.entity_id},
                        {"patient_id", e.patient_id},
                        {"action", e.action},
                        {"field", e.field},
                        {"reason", e.reason},
                        {"request_id", e.request_id}};
  out["old_value"] = e.old_value ? nlohmann::json(*e.old_value) : nlohmann::json(nullptr);
  out["new_value"] = e.new_value ? nlohmann::json(*e.new_value) : nlohmann::json(nullptr);
  return out;
}

Result<Reply> Query(Call& c, AuditFilter filter) {
  STREAM_ASSIGN_OR_RETURN(filter.before_seq, c.IntQuery("before", 0, 0, INT64_MAX / 2));
  STREAM_ASSIGN_OR_RETURN(filter.limit, c.IntQuery("limit", 100, 1, 1000));
  if (auto actor = c.request.Query("actor")) filter.actor = *actor;
  STREAM_ASSIGN_OR_RETURN(auto rows, c.services.audit.Find(c.actor, filter));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : rows) items.push_back(AuditJson(r));
  const bool full = static_cast<int64_t>(rows.size()) >= filter.limit;
  return Reply::Json({{"items", items},
                      {"next_before", full ? nlohmann::json(rows.back().seq) : nlohmann::json()}});
}

const std::vector<QueryParam> kAuditPaging = {
    {"before", "integer", "rows older than this seq (the previous page's next_before)"},
    {"limit", "integer", "page size, 1 to 1000 (default 100)"},
    {"actor", "string", "only rows written by this user"}};

}  // namespace

void AddAuditRoutes(std::vector<Route>& routes) {
  auto filtered = kAuditPaging;
  filtered.push_back({"entity", "string", "only rows about this kind of object (e.g. diagnosis)"});
  filtered.push_back({"patient_id", "integer", "only rows about this patient"});
  routes.push_back({"GET", "/api/v1/audit", "audit", "The audit trail, newest first, filtered",
                    false, filtered, "", "AuditPage", [](Call& c) -> Result<Reply> {
                      AuditFilter f;
                      if (auto entity = c.request.Query("entity")) f.entity = *entity;
                      if (c.request.Query("patient_id")) {
                        STREAM_ASSIGN_OR_RETURN(auto id,
                                                c.IntQuery("patient_id", 0, 1, INT64_MAX / 2));
                        f.patient_id = id;
                      }
                      return Query(c, f);
                    }});
  routes.push_back({"GET", "/api/v1/patients/{id}/audit", "audit",
                    "Every audit row about one patient and their records", false, kAuditPaging, "",
                    "AuditPage", [](Call& c) -> Result<Reply> {
                      AuditFilter f;
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      f.patient_id = id;
                      return Query(c, f);
                    }});
  routes.push_back({"GET", "/api/v1/records/{kind}/{id}/audit", "audit",
                    "The history of one record", false, kAuditPaging, "", "AuditPage",
                    [](Call& c) -> Result<Reply> {
                      AuditFilter f;
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      f.entity = c.params.at("kind");
                      f.entity_id = id;
                      return Query(c, f);
                    }});
}

}  // namespace stream::http
