/**
 * The builders every Convex module uses. Modules import from here, never from
 * `_generated/server`, so no public function can skip the sign-in and org checks.
 *
 * - `publicQuery`: no check at all (only for things anonymous visitors may see).
 * - `userQuery` / `userMutation` / `userAction`: a signed-in user; `ctx.userId`.
 * - `orgQuery` / `orgMutation` / `orgAction`: take `orgId`, check the membership and
 *   a minimum role given as `role`; `ctx.org`, `ctx.membership`.
 *
 * @example
 * export const remove = orgMutation({
 *   role: "admin",
 *   args: { membershipId: v.id("memberships") },
 *   handler: async (ctx, { membershipId }) => { ... },
 * });
 */
import { getAuthUserId } from "@convex-dev/auth/server";
import { customAction, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../lib/errors";
import { hasRole, type Role } from "../lib/roles";
import { internal } from "./_generated/api";
import type { Doc, Id } from "./_generated/dataModel";
import {
  action,
  httpAction,
  internalAction,
  internalMutation,
  internalQuery,
  mutation,
  query,
  type ActionCtx,
  type QueryCtx,
} from "./_generated/server";

export { internalAction, internalMutation, internalQuery };
/** HTTP routes authenticate their own callers: the public API checks API keys (convex/publicApi/router.ts). */
export { httpAction };
export const publicQuery = query;

/** Throws `UNAUTHENTICATED` unless a user is signed in. */
export async function requireUserId(ctx: Pick<QueryCtx, "auth"> | ActionCtx): Promise<Id<"users">> {
  const userId = await getAuthUserId(ctx);
  if (userId === null) {
    throw new ConvexError({ code: ErrorCode.UNAUTHENTICATED, message: "Sign in to continue." });
  }
  return userId;
}

/** The user's membership in `orgId`, or null. */
export async function getMembership(ctx: QueryCtx, orgId: Id<"organizations">, userId: Id<"users">) {
  return await ctx.db
    .query("memberships")
    .withIndex("by_orgId_and_userId", (q) => q.eq("orgId", orgId).eq("userId", userId))
    .unique();
}

/**
 * The org and the user's membership, or a `ConvexError`: `FORBIDDEN` for a
 * non-member, a deleted org (nobody may use it while its data is being deleted) or a
 * role below `minimum`. A missing org answers like a foreign one, so ids of other
 * tenants' orgs cannot be probed.
 */
export async function getMembershipOrThrow(
  ctx: QueryCtx,
  orgId: Id<"organizations">,
  userId: Id<"users">,
  minimum: Role,
): Promise<{ org: Doc<"organizations">; membership: Doc<"memberships"> }> {
  const membership = await getMembership(ctx, orgId, userId);
  const org = membership ? await ctx.db.get(orgId) : null;
  if (!membership || !org) {
    throw new ConvexError({ code: ErrorCode.FORBIDDEN, message: "You are not a member of this organization." });
  }
  if (org.deletedAt !== undefined) {
    throw new ConvexError({ code: ErrorCode.FORBIDDEN, message: `${org.name} was deleted.` });
  }
  if (!hasRole(membership.role, minimum)) {
    throw new ConvexError({
      code: ErrorCode.FORBIDDEN,
      message: minimum === "owner" ? "Only owners can do this." : "Only owners and admins can do this.",
    });
  }
  return { org, membership };
}

export const userQuery = customQuery(query, {
  args: {},
  input: async (ctx) => ({ ctx: { userId: await requireUserId(ctx) }, args: {} }),
});

export const userMutation = customMutation(mutation, {
  args: {},
  input: async (ctx) => ({ ctx: { userId: await requireUserId(ctx) }, args: {} }),
});

export const userAction = customAction(action, {
  args: {},
  input: async (ctx) => ({ ctx: { userId: await requireUserId(ctx) }, args: {} }),
});

type OrgAccess = { org: Doc<"organizations">; membership: Doc<"memberships"> };
type OrgInput = {
  ctx: OrgAccess & { userId: Id<"users"> };
  args: { orgId: Id<"organizations"> };
};

const orgArgs = { orgId: v.id("organizations") };

export const orgQuery = customQuery(query, {
  args: orgArgs,
  input: async (ctx, { orgId }, { role }: { role: Role }) => {
    const userId = await requireUserId(ctx);
    const { org, membership } = await getMembershipOrThrow(ctx, orgId, userId, role);
    return { ctx: { userId, org, membership }, args: { orgId } };
  },
});

export const orgMutation = customMutation(mutation, {
  args: orgArgs,
  input: async (ctx, { orgId }, { role }: { role: Role }) => {
    const userId = await requireUserId(ctx);
    const { org, membership } = await getMembershipOrThrow(ctx, orgId, userId, role);
    return { ctx: { userId, org, membership }, args: { orgId } };
  },
});

/** Actions cannot read the database, so the membership check runs as an internal query. */
export const orgAction = customAction(action, {
  args: orgArgs,
  // Annotated: the api type includes this module, so inference would be circular.
  input: async (ctx, { orgId }, { role }: { role: Role }): Promise<OrgInput> => {
    const userId = await requireUserId(ctx);
    const { org, membership }: OrgAccess = await ctx.runQuery(internal.orgs.access.check, { orgId, userId, role });
    return { ctx: { userId, org, membership }, args: { orgId } };
  },
});
