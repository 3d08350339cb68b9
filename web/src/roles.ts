// What each role may do, as docs/access-control.md lists it. The server decides; the app
// only uses this to show the screens a role can use and hide the ones it cannot.

export type Capability =
  | "registry.read"
  | "registry.write"
  | "screen"
  | "enrol"
  | "allocations"
  | "audit"
  | "protocols.manage";  // activate, suspend or close a protocol at a site

const table: Record<string, Capability[]> = {
  investigator: ["registry.read", "registry.write", "screen", "enrol", "allocations", "audit"],
  data_entry: ["registry.read", "registry.write", "screen"],
  data_manager: ["registry.read", "registry.write", "screen", "enrol", "allocations", "audit", "protocols.manage"],
  monitor: ["registry.read", "screen", "allocations", "audit"],
  statistician: ["allocations"],
  randomisation_admin: ["allocations", "audit"],
  board_member: ["registry.read", "screen"],
  administrator: ["registry.read", "registry.write", "screen", "enrol", "allocations", "audit", "protocols.manage"],
};

export function can(role: string, capability: Capability): boolean {
  return (table[role] ?? []).includes(capability);
}

const names: Record<string, string> = {
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
  return names[role] ?? role;
}
