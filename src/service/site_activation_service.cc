#include "service/site_activation_service.h"

#include <algorithm>

#include "core/field_reader.h"
#include "service/access_policy.h"
#include "service/audit_trail.h"
#include "service/history_loader.h"
#include "service/transaction_runner.h"

namespace stream::service {

Result<SiteActivation> SiteActivationService::Change(const Actor& actor,
                                                     const ProtocolCatalogue& catalogue,
                                                     SiteActivationRequest request) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kManageProtocols));
  const protocol::Protocol* p = catalogue.Find(request.protocol_id);
  if (!p)
    return Fail(ErrorCode::kNotFound, "no protocol '" + request.protocol_id + "'", "protocol");
  const std::string& status = request.status;
  if (status != "active" && status != "suspended" && status != "closed")
    return Fail(ErrorCode::kInvalidArgument, "expected active, suspended or closed", "status");
  if (status == "active") {
    if (request.approval_reference.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "activating a site needs the approval reference (ethics approval, contract)",
                  "approval_reference");
    }
    if (request.protocol_version.empty()) request.protocol_version = p->version;
    if (!catalogue.FindVersion(p->id, request.protocol_version)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "version '" + request.protocol_version + "' of " + p->id + " is not loaded",
                  "protocol_version");
    }
  } else {
    if (request.reason.empty())
      return Fail(ErrorCode::kReasonRequired, "a " + status + " site needs a reason", "reason");
    if (!request.protocol_version.empty() || !request.approval_reference.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "only an activation names a version and an approval reference",
                  request.protocol_version.empty() ? "approval_reference" : "protocol_version");
    }
  }
  for (const auto* field : {&request.approval_reference, &request.reason}) {
    if (field->size() > 500) {
      return Fail(ErrorCode::kInvalidArgument, "at most 500 characters",
                  field == &request.reason ? "reason" : "approval_reference");
    }
  }
  SiteActivation a{0,
                   p->id,
                   request.site,
                   status,
                   request.effective_on,
                   request.protocol_version,
                   request.approval_reference,
                   request.reason,
                   clock_.Now(),
                   actor.username};
  Status s = RunInTransaction(store_, TransactionMode::kWrite, [&](Transaction& tx) -> Status {
    STREAM_ASSIGN_OR_RETURN(auto site, tx.FindSite(request.site));
    if (!site) return Fail(ErrorCode::kNotFound, "no site '" + request.site + "'", "site");
    STREAM_ASSIGN_OR_RETURN(auto rows, tx.ListSiteActivations(p->id));
    const auto before = protocol::StandingOn(rows, p->id, request.site, request.effective_on);
    STREAM_ASSIGN_OR_RETURN(a.id, tx.InsertSiteActivation(a));
    AuditWriter audit(tx);
    AuditEntry e;
    e.at = a.changed_at;
    e.actor = actor.username;
    e.site = a.site;
    e.entity = "site_activation";
    e.entity_id = a.id;
    e.action = "update";
    e.field = p->id + "/" + a.site + "/status";
    e.old_value = std::string(protocol::ToString(before.state));
    e.new_value = status + " from " + a.effective_on.ToString() +
                  (a.protocol_version.empty() ? "" : "; version=" + a.protocol_version) +
                  (a.approval_reference.empty() ? "" : "; approval=" + a.approval_reference);
    e.reason = a.reason;
    e.request_id = actor.request_id;
    return audit.Append(std::move(e));
  });
  if (!s.ok()) return s.error();
  return a;
}

Result<RecruitmentStatus> SiteActivationService::Recruitment(const Actor& actor,
                                                             const ProtocolCatalogue& catalogue,
                                                             const std::string& protocol_id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadProtocols));
  const protocol::Protocol* p = catalogue.Find(protocol_id);
  if (!p) return Fail(ErrorCode::kNotFound, "no protocol '" + protocol_id + "'", "protocol");
  const Date today = clock_.Today();
  return RunInTransaction<RecruitmentStatus>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<RecruitmentStatus> {
        RecruitmentStatus out;
        out.protocol_id = p->id;
        out.current_version = p->version;
        out.versions = catalogue.Versions(p->id);
        STREAM_ASSIGN_OR_RETURN(auto sites, tx.ListSites());
        std::sort(sites.begin(), sites.end(),
                  [](const Site& a, const Site& b) { return a.code < b.code; });
        STREAM_ASSIGN_OR_RETURN(auto rows, tx.ListSiteActivations(p->id));
        STREAM_ASSIGN_OR_RETURN(auto enrolments, tx.ListEnrolments(p->id));
        std::map<std::string, size_t> index;
        for (const auto& site : sites) {
          SiteRecruitment r;
          r.site = site.code;
          r.standing = protocol::StandingOn(rows, p->id, site.code, today);
          out.active_sites += r.standing.state == protocol::SiteState::kActive ? 1 : 0;
          index[site.code] = out.sites.size();
          out.sites.push_back(std::move(r));
        }
        for (const auto& e : enrolments) {
          ++out.enrolled_by_version[e.protocol_version];
          STREAM_ASSIGN_OR_RETURN(auto patient, tx.FindRecord(PatientKind(), e.patient_id));
          if (!patient) continue;
          const auto it = index.find(SiteOf(*patient));
          if (it == index.end()) continue;
          SiteRecruitment& r = out.sites[it->second];
          ++r.enrolled;
          ++r.enrolled_by_version[e.protocol_version];
          const bool on_study = !e.off_study_date || *e.off_study_date > today;
          r.on_study += on_study ? 1 : 0;
          const std::string& in_force = r.standing.version;
          if (!on_study || in_force.empty() || e.protocol_version == in_force) continue;
          if (!actor.IsCentral() && r.site != actor.site) continue;  // not shown to them
          const auto* v = catalogue.FindVersion(p->id, in_force);
          if (!v || !v->operations.amendment || !v->operations.amendment->reconsent) continue;
          const auto since = protocol::RunningSince(rows, p->id, r.site, in_force, today);
          STREAM_ASSIGN_OR_RETURN(auto history, LoadHistory(tx, actor, e.patient_id));
          if (since && protocol::ReconsentDue(*v, e, history, *since, today))
            r.reconsent_due.push_back(e.id);
        }
        if (!actor.IsCentral()) {
          std::erase_if(out.sites, [&](const SiteRecruitment& r) { return r.site != actor.site; });
          out.enrolled_by_version.clear();
          for (const auto& r : out.sites)
            for (const auto& [v, n] : r.enrolled_by_version) out.enrolled_by_version[v] += n;
        }
        return out;
      });
}

Result<std::vector<SiteActivation>> SiteActivationService::History(const Actor& actor,
                                                                   const std::string& protocol_id) {
  STREAM_RETURN_IF_ERROR(Require(actor, Permission::kReadProtocols));
  return RunInTransaction<std::vector<SiteActivation>>(
      store_, TransactionMode::kRead, [&](Transaction& tx) -> Result<std::vector<SiteActivation>> {
        STREAM_ASSIGN_OR_RETURN(auto rows, tx.ListSiteActivations(protocol_id));
        if (!actor.IsCentral())
          std::erase_if(rows, [&](const SiteActivation& a) { return a.site != actor.site; });
        return rows;
      });
}

}  // namespace stream::service
