/**
 * Organization settings an owner changes: the name and the slug (the `/o/<slug>`
 * address). A changed slug keeps the old one in `previousSlugs`, so old links and
 * bookmarks still lead here (the page moves to the new address).
 */
import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import { checkOrgName } from "../../lib/org-name";
import { checkSlug } from "../../lib/slug";
import { recordAudit, userActor } from "../audit/record";
import { orgMutation } from "../functions";
import { claimSlug, currentHolder } from "./organizations";

/** Renames the organization; the slug stays (change it separately). */
export const rename = orgMutation({
  role: "owner",
  args: { name: v.string() },
  handler: async (ctx, { name }) => {
    const checked = checkOrgName(name);
    if (!checked.ok) throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: checked.message, field: "name" });
    const from = ctx.org.name;
    if (checked.name === from) return { name: from };
    await ctx.db.patch(ctx.org._id, { name: checked.name });
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "org.renamed",
      subject: checked.name,
      details: { from, to: checked.name },
    });
    return { name: checked.name };
  },
});

/**
 * Moves the organization to a new slug. The old one is kept for redirects until some
 * organization (this one again, or another) takes it: the current holder of a slug
 * always wins over an old link.
 */
export const changeSlug = orgMutation({
  role: "owner",
  args: { slug: v.string() },
  handler: async (ctx, args) => {
    const checked = checkSlug(args.slug);
    if (!checked.ok) throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: checked.message, field: "slug" });
    const from = ctx.org.slug;
    const slug = checked.slug;
    if (slug === from) return { slug };
    if (await currentHolder(ctx, slug)) {
      throw new ConvexError({
        code: ErrorCode.CONFLICT,
        message: `The address /o/${slug} is taken. Choose another.`,
        field: "slug",
      });
    }
    await claimSlug(ctx, slug);
    await ctx.db.insert("previousSlugs", { orgId: ctx.org._id, slug: from });
    await ctx.db.patch(ctx.org._id, { slug });
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "org.slug_changed",
      subject: slug,
      details: { from, to: slug },
    });
    return { slug };
  },
});
