import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import { slugCandidate, slugify } from "../../lib/slug";
import { recordAudit, userActor } from "../audit/record";
import { getMembership, userMutation, userQuery } from "../functions";
import type { MutationCtx } from "../_generated/server";

/** Longest organization name we accept. */
const ORG_NAME_MAX_LENGTH = 80;
/** How many "-n" suffixes we try before giving up on a slug. */
const SLUG_ATTEMPTS = 50;

/** Creates an organization; the creator becomes its owner. */
export const create = userMutation({
  args: { name: v.string() },
  handler: async (ctx, { name }) => {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > ORG_NAME_MAX_LENGTH) {
      throw new ConvexError({
        code: ErrorCode.INVALID_INPUT,
        message: `Give the organization a name of 1 to ${ORG_NAME_MAX_LENGTH} characters.`,
      });
    }
    const slug = await freeSlug(ctx, slugify(trimmed));
    const orgId = await ctx.db.insert("organizations", { name: trimmed, slug, createdBy: ctx.userId });
    await ctx.db.insert("memberships", { orgId, userId: ctx.userId, role: "owner" });
    await recordAudit(ctx, orgId, userActor(ctx.userId), { action: "org.created", subject: slug });
    return { orgId, slug };
  },
});

async function freeSlug(ctx: MutationCtx, base: string): Promise<string> {
  for (let attempt = 1; attempt <= SLUG_ATTEMPTS; attempt++) {
    const candidate = slugCandidate(base, attempt);
    const taken = await ctx.db
      .query("organizations")
      .withIndex("by_slug", (q) => q.eq("slug", candidate))
      .first();
    if (!taken) return candidate;
  }
  // Past 50 namesakes a random suffix is kinder than an error.
  return `${base}-${crypto.randomUUID().slice(0, 8)}`;
}

/** The organizations the signed-in user belongs to, with their role, by name. */
export const listMine = userQuery({
  args: {},
  handler: async (ctx) => {
    const memberships = await ctx.db
      .query("memberships")
      .withIndex("by_userId", (q) => q.eq("userId", ctx.userId))
      .collect();
    const orgs = await Promise.all(
      memberships.map(async (m) => {
        const org = await ctx.db.get(m.orgId);
        return org && { orgId: org._id, name: org.name, slug: org.slug, role: m.role };
      }),
    );
    return orgs.filter((o) => o !== null).sort((a, b) => a.name.localeCompare(b.name));
  },
});

/** The organization behind a URL slug with the viewer's role, or null when they are not a member. */
export const getBySlug = userQuery({
  args: { slug: v.string() },
  handler: async (ctx, { slug }) => {
    const org = await ctx.db
      .query("organizations")
      .withIndex("by_slug", (q) => q.eq("slug", slug))
      .unique();
    if (!org) return null;
    const membership = await getMembership(ctx, org._id, ctx.userId);
    if (!membership) return null;
    return { orgId: org._id, name: org.name, slug: org.slug, role: membership.role };
  },
});
