/** Organization roles, weakest first. Defined once; Convex validators mirror it. */
export const ROLES = ["member", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

/** True when `role` is at least `minimum` (owner ≥ admin ≥ member). */
export function hasRole(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** The roles a viewer may hand out: owners any, admins admin or member, members none. */
export function assignableRoles(viewer: Role): Role[] {
  if (viewer === "owner") return ["owner", "admin", "member"];
  if (viewer === "admin") return ["admin", "member"];
  return [];
}

/**
 * What the viewer may do to one member row, mirroring the server's rules
 * (the server checks again; this only decides which buttons to show).
 */
export function memberRowActions(viewer: Role, target: { role: Role; isViewer: boolean }) {
  const manages = hasRole(viewer, "admin") && !target.isViewer;
  const touchesOwner = target.role === "owner";
  const allowed = manages && (!touchesOwner || viewer === "owner");
  return {
    changeRole: allowed ? assignableRoles(viewer) : [],
    remove: allowed,
  };
}

/** A role with its article, for sentences: "an owner", "an admin", "a member". */
export function roleWithArticle(role: Role): string {
  return `${role === "member" ? "a" : "an"} ${role}`;
}
