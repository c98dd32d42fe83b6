import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import { checkOrgName, sameOrgName } from "../../lib/org-name";
import { slugCandidate, slugify } from "../../lib/slug";
import { recordAudit, userActor } from "../audit/record";
import { getMembership, userMutation, userQuery } from "../functions";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";

/** How many "-n" suffixes we try before giving up on a slug. */
const SLUG_ATTEMPTS = 50;

/**
 * Creates an organization; the creator becomes its owner. A name the creator already
 * has among their organizations is refused with `DUPLICATE_NAME` unless
 * `confirmDuplicateName` says they mean it (two "Acme"s are easy to mix up).
 */
export const create = userMutation({
  args: { name: v.string(), confirmDuplicateName: v.optional(v.boolean()) },
  handler: async (ctx, { name, confirmDuplicateName }) => {
    const checked = checkOrgName(name);
    if (!checked.ok) throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: checked.message, field: "name" });
    if (!confirmDuplicateName) {
      const namesake = (await orgsOf(ctx, ctx.userId)).find(({ org }) => sameOrgName(org.name, checked.name));
      if (namesake) {
        throw new ConvexError({
          code: ErrorCode.DUPLICATE_NAME,
          message: `You already have an organization named ${namesake.org.name} (/o/${namesake.org.slug}).`,
          field: "name",
        });
      }
    }
    const slug = await freeSlug(ctx, slugify(checked.name));
    await claimSlug(ctx, slug);
    const orgId = await ctx.db.insert("organizations", { name: checked.name, slug, createdBy: ctx.userId });
    await ctx.db.insert("memberships", { orgId, userId: ctx.userId, role: "owner" });
    await recordAudit(ctx, orgId, userActor(ctx.userId), { action: "org.created", subject: slug });
    return { orgId, slug };
  },
});

async function freeSlug(ctx: MutationCtx, base: string): Promise<string> {
  for (let attempt = 1; attempt <= SLUG_ATTEMPTS; attempt++) {
    const candidate = slugCandidate(base, attempt);
    if (!(await currentHolder(ctx, candidate))) return candidate;
  }
  // Past 50 namesakes a random suffix is kinder than an error.
  return `${base}-${crypto.randomUUID().slice(0, 8)}`;
}

/** The organization whose slug this is now (deleted ones keep theirs until they are gone). */
export async function currentHolder(ctx: QueryCtx, slug: string): Promise<Doc<"organizations"> | null> {
  return await ctx.db
    .query("organizations")
    .withIndex("by_slug", (q) => q.eq("slug", slug))
    .unique();
}

/**
 * The organization a URL slug leads to: the one that has it now, else the one that
 * had it before (an old link).
 */
export async function orgBySlug(ctx: QueryCtx, slug: string): Promise<Doc<"organizations"> | null> {
  const current = await currentHolder(ctx, slug);
  if (current) return current;
  const previous = await ctx.db
    .query("previousSlugs")
    .withIndex("by_slug", (q) => q.eq("slug", slug))
    .first();
  return previous ? await ctx.db.get(previous.orgId) : null;
}

/**
 * Call before an organization takes `slug`: whoever had it before gives it up, so old
 * links to it lead to the new holder from now on.
 */
export async function claimSlug(ctx: MutationCtx, slug: string): Promise<void> {
  const previous = await ctx.db
    .query("previousSlugs")
    .withIndex("by_slug", (q) => q.eq("slug", slug))
    .take(10);
  for (const row of previous) await ctx.db.delete(row._id);
}

/** The user's memberships with their organizations, leaving out deleted ones. */
async function orgsOf(ctx: QueryCtx, userId: Id<"users">) {
  const memberships = await ctx.db
    .query("memberships")
    .withIndex("by_userId", (q) => q.eq("userId", userId))
    .collect();
  const found = await Promise.all(
    memberships.map(async (membership) => ({ membership, org: await ctx.db.get(membership.orgId) })),
  );
  return found.filter(
    (entry): entry is { membership: Doc<"memberships">; org: Doc<"organizations"> } =>
      entry.org !== null && entry.org.deletedAt === undefined,
  );
}

/** The organizations the signed-in user belongs to, with their role, by name. */
export const listMine = userQuery({
  args: {},
  handler: async (ctx) => {
    const orgs = await orgsOf(ctx, ctx.userId);
    return orgs
      .map(({ org, membership }) => ({ orgId: org._id, name: org.name, slug: org.slug, role: membership.role }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug));
  },
});

/**
 * The organization behind a URL slug with the viewer's role, or null when they are not
 * a member. An old slug answers with the organization and its current `slug` (the page
 * moves to it); `deleted` is true from the moment an owner deleted it.
 */
export const getBySlug = userQuery({
  args: { slug: v.string() },
  handler: async (ctx, { slug }) => {
    const org = await orgBySlug(ctx, slug);
    if (!org) return null;
    const membership = await getMembership(ctx, org._id, ctx.userId);
    if (!membership) return null;
    return {
      orgId: org._id,
      name: org.name,
      slug: org.slug,
      role: membership.role,
      deleted: org.deletedAt !== undefined,
    };
  },
});
