import { paginationOptsValidator } from "convex/server";
import { v } from "convex/values";
import { actorKindLabel } from "../../lib/integrations/activity";
import { orgQuery } from "../functions";
import type { Doc } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";

/** The organization's audit trail, newest first, optionally for one provider. */
export const list = orgQuery({
  role: "member",
  args: { paginationOpts: paginationOptsValidator, providerId: v.optional(v.string()) },
  handler: async (ctx, { paginationOpts, providerId }) => {
    const query =
      providerId === undefined
        ? ctx.db.query("auditEvents").withIndex("by_orgId", (q) => q.eq("orgId", ctx.org._id))
        : ctx.db
            .query("auditEvents")
            .withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", ctx.org._id).eq("providerId", providerId));
    const page = await query.order("desc").paginate(paginationOpts);
    const emails = new Map<string, string>();
    return {
      ...page,
      page: await Promise.all(page.page.map((event) => present(ctx, event, emails))),
    };
  },
});

async function present(ctx: QueryCtx, event: Doc<"auditEvents">, emails: Map<string, string>) {
  return {
    id: event._id,
    at: event._creationTime,
    action: event.action,
    providerId: event.providerId ?? null,
    subject: event.subject ?? null,
    details: event.details ?? {},
    actor: await actorLabel(ctx, event.actor, emails),
  };
}

async function actorLabel(ctx: QueryCtx, actor: Doc<"auditEvents">["actor"], emails: Map<string, string>) {
  const named = actorKindLabel(actor);
  if (named !== null) return named;
  const id = actor.id ?? "";
  if (!emails.has(id)) {
    const userId = ctx.db.normalizeId("users", id);
    const user = userId ? await ctx.db.get(userId) : null;
    emails.set(id, user?.email ?? "a former member");
  }
  return emails.get(id)!;
}
