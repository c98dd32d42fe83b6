/** Organization roles, weakest first. Defined once; Convex validators derive from it. */
export const ROLES = ["member", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

/** True when `role` is at least `minimum` (owner ≥ admin ≥ member). */
export function hasRole(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** What a viewer with `role` may do on the members page. */
export function memberPermissions(role: Role) {
  return {
    manageMembers: hasRole(role, "admin"),
    grantOwner: role === "owner",
  };
}
