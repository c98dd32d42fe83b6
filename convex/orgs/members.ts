import { paginationOptsValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import { normalizeEmail } from "../../lib/passwords";
import { recordAudit, userActor } from "../audit/record";
import { orgMutation, orgQuery } from "../functions";
import { roleValidator } from "../shared/validators";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";

/** The most members one page returns, whatever the client asks for: each costs a user read. */
export const MEMBERS_PAGE_MAX = 200;

/**
 * Members of the organization with their email and name, a page at a time (an
 * organization can have more members than one query may read). In role order,
 * owners first, then members, then admins; newest first within a role.
 */
export const list = orgQuery({
  role: "member",
  args: { paginationOpts: paginationOptsValidator },
  handler: async (ctx, { paginationOpts }) => {
    const result = await ctx.db
      .query("memberships")
      .withIndex("by_orgId_and_role", (q) => q.eq("orgId", ctx.org._id))
      .order("desc")
      .paginate({ ...paginationOpts, numItems: Math.min(paginationOpts.numItems, MEMBERS_PAGE_MAX) });
    const page = await Promise.all(
      result.page.map(async (m) => {
        const user = await ctx.db.get(m.userId);
        return {
          membershipId: m._id,
          userId: m.userId,
          email: user?.email ?? "",
          name: user?.name ?? null,
          role: m.role,
          isViewer: m.userId === ctx.userId,
        };
      }),
    );
    return { ...result, page };
  },
});

/**
 * Whether the viewer may leave: anyone but the last owner. The page asks this
 * rather than counting owners in the rows it has loaded, which are one page.
 */
export const canLeave = orgQuery({
  role: "member",
  args: {},
  handler: async (ctx) => ctx.membership.role !== "owner" || (await hasAnotherOwner(ctx, ctx.org._id)),
});

/** Adds an existing account to the organization. Only owners may add owners. */
export const add = orgMutation({
  role: "admin",
  args: { email: v.string(), role: roleValidator },
  handler: async (ctx, { email, role }) => {
    if (role === "owner") requireOwner(ctx.membership, "Only owners can make someone an owner.");
    const normalized = normalizeEmail(email);
    if (!normalized) {
      throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: "Enter a valid email address." });
    }
    const user = await ctx.db
      .query("users")
      .withIndex("email", (q) => q.eq("email", normalized))
      .first();
    if (!user) {
      throw new ConvexError({
        code: ErrorCode.USER_NOT_FOUND,
        message: `No account uses ${normalized}. Ask them to sign up first.`,
      });
    }
    const existing = await ctx.db
      .query("memberships")
      .withIndex("by_orgId_and_userId", (q) => q.eq("orgId", ctx.org._id).eq("userId", user._id))
      .unique();
    if (existing) {
      throw new ConvexError({ code: ErrorCode.ALREADY_MEMBER, message: `${normalized} is already a member.` });
    }
    const membershipId = await ctx.db.insert("memberships", { orgId: ctx.org._id, userId: user._id, role });
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "member.added",
      subject: normalized,
      details: { role },
    });
    return membershipId;
  },
});

/** Changes a member's role. Only owners grant or take away the owner role; the last owner stays. */
export const changeRole = orgMutation({
  role: "admin",
  args: { membershipId: v.id("memberships"), role: roleValidator },
  handler: async (ctx, { membershipId, role }) => {
    const target = await membershipInOrg(ctx, ctx.org._id, membershipId);
    if (target.role === role) return null;
    if (role === "owner") requireOwner(ctx.membership, "Only owners can make someone an owner.");
    if (target.role === "owner") {
      requireOwner(ctx.membership, "Only owners can change an owner's role.");
      await requireAnotherOwner(ctx, ctx.org._id, "The last owner cannot be demoted. Make someone else an owner first.");
    }
    await ctx.db.patch(target._id, { role });
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "member.role_changed",
      subject: await emailOf(ctx, target.userId),
      details: { from: target.role, to: role },
    });
    return null;
  },
});

/** Removes a member. Only owners remove owners; the last owner stays. */
export const remove = orgMutation({
  role: "admin",
  args: { membershipId: v.id("memberships") },
  handler: async (ctx, { membershipId }) => {
    const target = await membershipInOrg(ctx, ctx.org._id, membershipId);
    if (target.role === "owner") {
      requireOwner(ctx.membership, "Only owners can remove an owner.");
      await requireAnotherOwner(ctx, ctx.org._id, "The last owner cannot be removed. Make someone else an owner first.");
    }
    await ctx.db.delete(target._id);
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "member.removed",
      subject: await emailOf(ctx, target.userId),
    });
    return null;
  },
});

/** The viewer leaves the organization, unless they are its last owner. */
export const leave = orgMutation({
  role: "member",
  args: {},
  handler: async (ctx) => {
    if (ctx.membership.role === "owner") {
      await requireAnotherOwner(ctx, ctx.org._id, "The last owner cannot leave. Make someone else an owner first.");
    }
    await ctx.db.delete(ctx.membership._id);
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "member.left",
      subject: await emailOf(ctx, ctx.userId),
    });
    return null;
  },
});

function requireOwner(membership: Doc<"memberships">, message: string) {
  if (membership.role !== "owner") throw new ConvexError({ code: ErrorCode.FORBIDDEN, message });
}

async function membershipInOrg(ctx: MutationCtx, orgId: Id<"organizations">, membershipId: Id<"memberships">) {
  const target = await ctx.db.get(membershipId);
  if (!target || target.orgId !== orgId) {
    throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "That member is not in this organization." });
  }
  return target;
}

/**
 * Whether the organization has a second owner besides the one at hand: two owners
 * or more. Reads at most two memberships, however many members there are.
 */
async function hasAnotherOwner(ctx: QueryCtx, orgId: Id<"organizations">): Promise<boolean> {
  const owners = await ctx.db
    .query("memberships")
    .withIndex("by_orgId_and_role", (q) => q.eq("orgId", orgId).eq("role", "owner"))
    .take(2);
  return owners.length === 2;
}

async function requireAnotherOwner(ctx: MutationCtx, orgId: Id<"organizations">, message: string) {
  if (!(await hasAnotherOwner(ctx, orgId))) throw new ConvexError({ code: ErrorCode.LAST_OWNER, message });
}

async function emailOf(ctx: MutationCtx, userId: Id<"users">): Promise<string> {
  return (await ctx.db.get(userId))?.email ?? "unknown";
}
