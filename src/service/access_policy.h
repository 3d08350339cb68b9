// Who may do what (reliability promise 2): the roles of architecture.md, what each may
// do, and which of them are blinded. Every use case of the service layer asks here, so
// the rules hold for the HTTP API, the command line and any future front end alike.
//
// Site isolation is the other half and lives with the data: an actor bound to a site
// sees only that site's patients (Actor::CanSee), and a foreign record is reported
// exactly as a missing one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/schema.h"
#include "service/actor.h"

namespace stream::service {

enum class Permission {
  kReadRegistry,          // patients and clinical records, by pseudonym
  kWriteRegistry,         // create, correct and delete records
  kReadIdentity,          // direct identifiers (name, date of birth, hospital number)
  kReadQuasiIdentifiers,  // care-team fields: month of birth, tube labels (core/schema.h)
  kManageSites,           // add sites
  kManageUsers,           // accounts and roles, other people's API tokens
  kReadAudit,             // the audit trail
  kExport,                // CSV and JSON exports (pseudonymised per study for statisticians)
  kScreen,                // eligibility screening
  kEnrol,                 // enrolment and allocation
  kUnblind,               // emergency unblinding of one subject
  kReadProtocols,         // the protocols and their arms
  kManageProtocols,       // load a protocol version; open, close or suspend an arm
  kReadAllocations,       // the enrolments of a protocol (arms hidden from blinded roles)
  kManageRandomisation    // regenerate and verify the concealed lists
};

// Every role, in the order of architecture.md's table.
const std::vector<std::string>& Roles();
bool IsRole(std::string_view role);
// Site roles work at one site and need a site code; central roles see every site.
bool IsSiteRole(std::string_view role);
// Blinded roles never see the arm of an allocation in a blinded protocol.
bool IsBlinded(std::string_view role);
// Statisticians see patients only through keyed, per-study pseudonyms.
bool SeesStudyPseudonyms(std::string_view role);

bool Allows(std::string_view role, Permission permission);
// Ok, or kPermissionDenied naming the role and what was asked.
Status Require(const Actor& actor, Permission permission);

std::string_view ToString(Permission permission);

// Every permission, in declaration order.
const std::vector<Permission>& AllPermissions();
// The permission's name in the API (GET /api/v1/session): read_registry, write_registry,
// read_identity, read_quasi_identifiers, manage_sites, manage_users, read_audit, export, screen,
// enrol, unblind, read_protocols, manage_protocols, read_allocations, manage_randomisation.
std::string_view Name(Permission permission);
// Whether `role` sees fields written for `audience` (core/schema.h): every role sees
// kEveryReader fields; kCareTeam fields need kReadQuasiIdentifiers.
bool Sees(std::string_view role, Audience audience);
// The roles that read records (on screen or exported) and see `audience`'s fields, in the
// order of Roles(): what docs/data-model.md and the codebook print for each field.
std::vector<std::string> RolesSeeing(Audience audience);

// What `role` may do, in declaration order; empty for an unknown role.
std::vector<Permission> PermissionsOf(std::string_view role);

}  // namespace stream::service
