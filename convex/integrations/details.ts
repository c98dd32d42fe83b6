import { v } from "convex/values";
import { orgQuery } from "../functions";
import { providerOrThrow } from "../shared/env";
import { publicConnection } from "./connections";
import { findConnection } from "./store";

/** How many consent records the provider page shows. */
const CONSENTS_SHOWN = 10;

/**
 * One provider for its page: the connection (sanitised, as in the list), its hourly
 * call counts over the last week (for the chart; the list leaves them out, as its cards
 * show only the 24-hour totals) and who granted which scopes when. Unknown providers
 * are NOT_FOUND.
 */
export const get = orgQuery({
  role: "member",
  args: { providerId: v.string() },
  handler: async (ctx, { providerId }) => {
    const provider = providerOrThrow(providerId);
    const row = await findConnection(ctx, ctx.org._id, provider.id);
    const consents = await ctx.db
      .query("consents")
      .withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", ctx.org._id).eq("providerId", provider.id))
      .order("desc")
      .take(CONSENTS_SHOWN);
    return {
      provider: {
        id: provider.id,
        displayName: provider.displayName,
        description: provider.description,
        logo: provider.logo,
        authKind: provider.authKind,
        docsUrl: provider.docsUrl ?? null,
      },
      connection: publicConnection(row ?? undefined),
      callHours: (row?.callSummary?.buckets ?? row?.callBuckets ?? []).map((b) => ({ hourStart: b.hourStart, calls: b.calls, errors: b.errors })),
      consents: await Promise.all(
        consents.map(async (c) => ({
          grantedAt: c.grantedAt,
          scopes: c.scopes,
          grantedBy: (await ctx.db.get(c.userId))?.email ?? "a former member",
        })),
      ),
    };
  },
});
