// What the signed-in user may do. The server decides and says so: GET /api/v1/session
// answers the role's permissions (docs/access-control.md), so nothing here restates the
// role table. The app only uses them to show the screens a role can use and hide the rest.
import type { Permission, Role } from "./generated/api";
import { session } from "./session";

// The screens' words for the permissions they need.
export type Capability =
  | "registry.read"
  | "registry.write"
  | "screen"
  | "enrol"
  | "allocations"
  | "audit"
  | "protocols.manage";  // activate, suspend or close a protocol at a site

const needs: Record<Capability, Permission> = {
  "registry.read": "read_registry",
  "registry.write": "write_registry",
  screen: "screen",
  enrol: "enrol",
  allocations: "read_allocations",
  audit: "read_audit",
  "protocols.manage": "manage_protocols",
};

// Whether the signed-in user may use `capability`.
export function can(capability: Capability): boolean {
  return session().permissions.includes(needs[capability]);
}

// Every role has a name for people; adding a role on the server fails the type check here.
const names: Record<Role, string> = {
  investigator: "Investigator",
  data_entry: "Data entry",
  data_manager: "Data manager",
  monitor: "Monitor",
  statistician: "Statistician",
  randomisation_admin: "Randomisation administrator",
  board_member: "Expert board member",
  administrator: "Administrator",
};

export function roleName(role: string): string {
  return names[role as Role] ?? role;
}
