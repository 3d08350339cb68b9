#include "service/access_policy.h"

#include <algorithm>
#include <array>

namespace stream::service {
namespace {

using P = Permission;

struct RolePolicy {
  std::string_view role;
  bool site_role;
  bool blinded;
  std::vector<Permission> permissions;
};

const std::vector<RolePolicy>& Policies() {
  static const std::vector<RolePolicy> policies = {
      {"investigator",
       true,
       true,
       {P::kReadRegistry, P::kWriteRegistry, P::kReadQuasiIdentifiers, P::kReadAudit, P::kExport,
        P::kScreen, P::kEnrol, P::kUnblind, P::kReadProtocols, P::kReadAllocations}},
      {"data_entry",
       true,
       true,
       {P::kReadRegistry, P::kWriteRegistry, P::kReadQuasiIdentifiers, P::kScreen,
        P::kReadProtocols}},
      // The central trial office: runs the registry across sites, adds sites, may enrol on
      // a site's behalf (central randomisation by telephone) and answers the emergency
      // unblinding line.
      {"data_manager",
       false,
       true,
       {P::kReadRegistry, P::kWriteRegistry, P::kReadIdentity, P::kReadQuasiIdentifiers,
        P::kManageSites, P::kReadAudit, P::kExport, P::kScreen, P::kEnrol, P::kUnblind,
        P::kReadProtocols, P::kManageProtocols, P::kReadAllocations}},
      {"monitor",
       false,
       true,
       {P::kReadRegistry, P::kReadQuasiIdentifiers, P::kReadAudit, P::kExport, P::kScreen,
        P::kReadProtocols, P::kReadAllocations}},
      {"statistician", false, true, {P::kExport, P::kReadProtocols, P::kReadAllocations}},
      {"randomisation_admin",
       false,
       false,
       {P::kReadProtocols, P::kReadAllocations, P::kManageRandomisation, P::kReadAudit}},
      {"board_member", false, true, {P::kReadRegistry, P::kScreen, P::kReadProtocols}},
      {"administrator",
       false,
       false,
       {P::kReadRegistry, P::kWriteRegistry, P::kReadIdentity, P::kReadQuasiIdentifiers,
        P::kManageSites, P::kManageUsers, P::kReadAudit, P::kExport, P::kScreen, P::kEnrol,
        P::kUnblind, P::kReadProtocols, P::kManageProtocols, P::kReadAllocations,
        P::kManageRandomisation}},
  };
  return policies;
}

const RolePolicy* Find(std::string_view role) {
  for (const auto& p : Policies())
    if (p.role == role) return &p;
  return nullptr;
}

}  // namespace

const std::vector<std::string>& Roles() {
  static const std::vector<std::string> roles = [] {
    std::vector<std::string> out;
    for (const auto& p : Policies()) out.emplace_back(p.role);
    return out;
  }();
  return roles;
}

bool IsRole(std::string_view role) { return Find(role) != nullptr; }

bool IsSiteRole(std::string_view role) {
  const auto* p = Find(role);
  return p && p->site_role;
}

bool IsBlinded(std::string_view role) {
  const auto* p = Find(role);
  return !p || p->blinded;  // an unknown role is treated as blinded
}

bool SeesStudyPseudonyms(std::string_view role) { return role == "statistician"; }

bool Allows(std::string_view role, Permission permission) {
  const auto* p = Find(role);
  return p && std::find(p->permissions.begin(), p->permissions.end(), permission) !=
                  p->permissions.end();
}

Status Require(const Actor& actor, Permission permission) {
  if (Allows(actor.role, permission)) return Ok();
  return Fail(ErrorCode::kPermissionDenied,
              "the role '" + actor.role + "' may not " + std::string(ToString(permission)));
}

std::string_view ToString(Permission permission) {
  switch (permission) {
    case P::kReadRegistry:
      return "read the registry";
    case P::kWriteRegistry:
      return "change the registry";
    case P::kReadIdentity:
      return "read direct identifiers";
    case P::kReadQuasiIdentifiers:
      return "read quasi-identifiers";
    case P::kManageSites:
      return "manage sites";
    case P::kManageUsers:
      return "manage accounts";
    case P::kReadAudit:
      return "read the audit trail";
    case P::kExport:
      return "export data";
    case P::kScreen:
      return "screen patients";
    case P::kEnrol:
      return "enrol patients";
    case P::kUnblind:
      return "unblind an allocation";
    case P::kReadProtocols:
      return "read protocols";
    case P::kManageProtocols:
      return "manage protocols and arms";
    case P::kReadAllocations:
      return "read allocations";
    case P::kManageRandomisation:
      return "manage randomisation lists";
  }
  return "do this";
}

const std::vector<Permission>& AllPermissions() {
  static const std::vector<Permission> all = {P::kReadRegistry,
                                              P::kWriteRegistry,
                                              P::kReadIdentity,
                                              P::kReadQuasiIdentifiers,
                                              P::kManageSites,
                                              P::kManageUsers,
                                              P::kReadAudit,
                                              P::kExport,
                                              P::kScreen,
                                              P::kEnrol,
                                              P::kUnblind,
                                              P::kReadProtocols,
                                              P::kManageProtocols,
                                              P::kReadAllocations,
                                              P::kManageRandomisation};
  return all;
}

std::string_view Name(Permission permission) {
  switch (permission) {
    case P::kReadRegistry:
      return "read_registry";
    case P::kWriteRegistry:
      return "write_registry";
    case P::kReadIdentity:
      return "read_identity";
    case P::kReadQuasiIdentifiers:
      return "read_quasi_identifiers";
    case P::kManageSites:
      return "manage_sites";
    case P::kManageUsers:
      return "manage_users";
    case P::kReadAudit:
      return "read_audit";
    case P::kExport:
      return "export";
    case P::kScreen:
      return "screen";
    case P::kEnrol:
      return "enrol";
    case P::kUnblind:
      return "unblind";
    case P::kReadProtocols:
      return "read_protocols";
    case P::kManageProtocols:
      return "manage_protocols";
    case P::kReadAllocations:
      return "read_allocations";
    case P::kManageRandomisation:
      return "manage_randomisation";
  }
  return "";
}

bool Sees(std::string_view role, Audience audience) {
  return audience == Audience::kEveryReader || Allows(role, P::kReadQuasiIdentifiers);
}

std::vector<std::string> RolesSeeing(Audience audience) {
  std::vector<std::string> out;
  for (const auto& p : Policies()) {
    const bool reads = Allows(p.role, P::kReadRegistry) || Allows(p.role, P::kExport);
    if (reads && Sees(p.role, audience)) out.emplace_back(p.role);
  }
  return out;
}

std::vector<Permission> PermissionsOf(std::string_view role) {
  std::vector<Permission> out;
  for (Permission p : AllPermissions()) {
    if (Allows(role, p)) out.push_back(p);
  }
  return out;
}

}  // namespace stream::service
