/**
 * Deleting an organization (owners only, after typing its name). In order:
 *
 * 1. `begin` marks it deleted: from that moment nobody can use it (the org builders
 *    refuse it) and every open page says it was deleted.
 * 2. Every live connection is revoked at its provider the way Disconnect does it; a
 *    revocation that fails for now becomes a pending revocation, retried as usual.
 * 3. `sweep` deletes its data a bounded batch at a time, rescheduling itself, and
 *    the organization row last.
 *
 * `ORG_DATA` says what happens to every table with an `orgId`; the type checker and
 * a test fail when a table is added without saying. Pending revocations are the one
 * thing left: they hold the ciphertexts they still need, and delete themselves
 * when they settle.
 */
import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import { deletionConfirmed } from "../../lib/org-name";
import { RATE_LIMIT_NAME } from "../apiKeys/auth";
import { cancelPendingJob } from "../connections/maintenance";
import { disconnect, isLive } from "../connections/transitions";
import { internalMutation, internalQuery, orgAction } from "../functions";
import { revokeAndDisconnect } from "../integrations/connections";
import { internal } from "../_generated/api";
import type { Doc, Id, TableNames } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { resolvedProvider } from "../shared/env";

/** Documents one sweep mutation deletes, well inside Convex's per-mutation limits. */
export const DELETION_BATCH_SIZE = 200;
/**
 * When a sweep starts even if the action that revokes the connections died first:
 * later than any run of that action (each revocation has its own timeout).
 */
export const DELETION_BACKSTOP_MS = 15 * 60_000;

type OrgId = Id<"organizations">;
/** The tables whose rows belong to one organization. */
export type OrgTable = { [T in TableNames]: Doc<T> extends { orgId: OrgId } ? T : never }[TableNames];

type Deleted<T extends OrgTable> = {
  /** Up to `n` of the organization's rows, read through an index that starts with `orgId`. */
  batch: (ctx: MutationCtx, orgId: OrgId, n: number) => Promise<Doc<T>[]>;
  /** What to stop before a row goes (its scheduled jobs). */
  before?: (ctx: MutationCtx, row: Doc<T>) => Promise<void>;
};
type Kept = { kept: string };

/** Every org-owned table and what deleting the organization does with it, in sweep order. */
export const ORG_DATA: { [T in OrgTable]: Deleted<T> | Kept } = {
  // Inbound events before workflow runs (processing one could start a run), then their endpoints.
  inboundEvents: {
    batch: (ctx, orgId, n) => ctx.db.query("inboundEvents").withIndex("by_orgId_and_receivedAt", (q) => q.eq("orgId", orgId)).take(n),
    before: (ctx, event) => cancelPendingJob(ctx, event.jobId),
  },
  // Secrets are vault ciphertexts on the row. A subscription registered at a provider is
  // deleted there when its connection is revoked and disconnected, which comes first.
  inboundEndpoints: {
    batch: (ctx, orgId, n) => ctx.db.query("inboundEndpoints").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
    before: (ctx, endpoint) => cancelPendingJob(ctx, endpoint.subscription?.renewJobId),
  },
  workflowRuns: {
    batch: (ctx, orgId, n) => ctx.db.query("workflowRuns").withIndex("by_orgId_and_workflowId", (q) => q.eq("orgId", orgId)).take(n),
    before: (ctx, run) => cancelPendingJob(ctx, run.jobId),
  },
  workflows: {
    batch: (ctx, orgId, n) => ctx.db.query("workflows").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
    before: (ctx, workflow) => cancelPendingJob(ctx, workflow.scheduleJobId),
  },
  actionResults: {
    batch: (ctx, orgId, n) =>
      ctx.db.query("actionResults").withIndex("by_orgId_and_idempotencyKey", (q) => q.eq("orgId", orgId)).take(n),
  },
  oauthStates: {
    batch: (ctx, orgId, n) => ctx.db.query("oauthStates").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
  },
  consents: {
    batch: (ctx, orgId, n) => ctx.db.query("consents").withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", orgId)).take(n),
  },
  callLogs: {
    batch: (ctx, orgId, n) => ctx.db.query("callLogs").withIndex("by_orgId_and_at", (q) => q.eq("orgId", orgId)).take(n),
  },
  callCounters: {
    batch: (ctx, orgId, n) => ctx.db.query("callCounters").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
  },
  connections: {
    batch: (ctx, orgId, n) =>
      ctx.db.query("connections").withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", orgId)).take(n),
    before: handOverUnrevokedGrant,
  },
  pendingRevocations: {
    kept: "A grant not yet revoked at its provider: retried with its ciphertexts, then deleted when it settles.",
  },
  // Attempts and pending deliveries first, so no delivery starts after its endpoint is gone.
  webhookAttempts: {
    batch: (ctx, orgId, n) => ctx.db.query("webhookAttempts").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
  },
  webhookMessages: {
    batch: (ctx, orgId, n) => ctx.db.query("webhookMessages").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
    before: (ctx, message) => cancelPendingJob(ctx, message.jobId),
  },
  webhookSubscriptions: {
    batch: (ctx, orgId, n) =>
      ctx.db.query("webhookSubscriptions").withIndex("by_orgId_and_filterKey", (q) => q.eq("orgId", orgId)).take(n),
  },
  // Its signing secrets are vault ciphertexts on the row: they go with it.
  webhookEndpoints: {
    batch: (ctx, orgId, n) => ctx.db.query("webhookEndpoints").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
  },
  apiKeyRequests: {
    batch: (ctx, orgId, n) => ctx.db.query("apiKeyRequests").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
  },
  apiKeyUsageDays: {
    batch: (ctx, orgId, n) => ctx.db.query("apiKeyUsageDays").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
  },
  // Only hashes are stored; the key's rate-limit row (keyed by its id) goes with it.
  apiKeys: {
    batch: (ctx, orgId, n) => ctx.db.query("apiKeys").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
    before: async (ctx, key) => {
      const limit = await ctx.db
        .query("rateLimits")
        .withIndex("name", (q) => q.eq("name", RATE_LIMIT_NAME).eq("key", key._id))
        .unique();
      if (limit) await ctx.db.delete(limit._id);
    },
  },
  auditEvents: {
    batch: (ctx, orgId, n) => ctx.db.query("auditEvents").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
  },
  previousSlugs: {
    batch: (ctx, orgId, n) => ctx.db.query("previousSlugs").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(n),
  },
  // Last, so members keep seeing "deleted" (not "not found") until the end.
  memberships: {
    batch: (ctx, orgId, n) =>
      ctx.db.query("memberships").withIndex("by_orgId_and_userId", (q) => q.eq("orgId", orgId)).take(n),
  },
};

/**
 * A connection still holding a grant when the sweep reaches it (the revoking action
 * died): it becomes a pending revocation, so the grant is still revoked, by the retries.
 */
async function handOverUnrevokedGrant(ctx: MutationCtx, row: Doc<"connections">) {
  await cancelPendingJob(ctx, row.refreshJobId);
  if (!isLive(row) || Object.keys(row.secrets).length === 0) return;
  const org = await ctx.db.get(row.orgId);
  const userId = org?.deletedBy ?? org?.createdBy;
  if (!userId) return;
  await disconnect(ctx, row, {
    userId,
    revocation: "pending",
    revocationError: "Not revoked before its organization was deleted.",
  });
}

/**
 * Deletes the organization: `confirmName` must be its name, typed. Revokes every
 * connection at its provider first (as Disconnect does), then starts the sweep.
 */
export const remove = orgAction({
  role: "owner",
  args: { confirmName: v.string() },
  handler: async (ctx, { confirmName }): Promise<{ connections: number; revocationsPending: number }> => {
    if (!deletionConfirmed(confirmName, ctx.org.name)) {
      throw new ConvexError({
        code: ErrorCode.INVALID_INPUT,
        message: `Type the organization's name, ${ctx.org.name}, to delete it.`,
        field: "confirmName",
      });
    }
    const orgId = ctx.org._id;
    await ctx.runMutation(internal.orgs.deletion.begin, { orgId, userId: ctx.userId });
    const rows: Doc<"connections">[] = await ctx.runQuery(internal.orgs.deletion.liveConnections, { orgId });
    let revocationsPending = 0;
    for (const row of rows) {
      const provider = resolvedProvider(row.providerId);
      // A provider gone from the catalog cannot be called; the sweep hands its grant to the retries.
      if (!provider) continue;
      const outcome = await revokeAndDisconnect(ctx, ctx.userId, provider, row);
      if (outcome.revocationPending) revocationsPending++;
    }
    await ctx.runMutation(internal.orgs.deletion.sweep, { orgId });
    return { connections: rows.length, revocationsPending };
  },
});

/** Marks the organization deleted (once) and schedules the backstop sweep. */
export const begin = internalMutation({
  args: { orgId: v.id("organizations"), userId: v.id("users") },
  handler: async (ctx, { orgId, userId }) => {
    const org = await ctx.db.get(orgId);
    if (!org || org.deletedAt !== undefined) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "This organization is already being deleted." });
    }
    await ctx.db.patch(orgId, { deletedAt: Date.now(), deletedBy: userId });
    await ctx.scheduler.runAfter(DELETION_BACKSTOP_MS, internal.orgs.deletion.sweep, { orgId });
    return null;
  },
});

/** The organization's connections that still hold a grant (one per provider at most). */
export const liveConnections = internalQuery({
  args: { orgId: v.id("organizations") },
  handler: async (ctx, { orgId }) => {
    const rows = await ctx.db
      .query("connections")
      .withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", orgId))
      .take(DELETION_BATCH_SIZE);
    return rows.filter(isLive);
  },
});

/**
 * Deletes one batch of a deleted organization's rows (the first table in `ORG_DATA`
 * order that has any) and schedules the next; with nothing left, deletes the
 * organization itself. Safe to run twice: a second chain finds less, then nothing.
 */
export const sweep = internalMutation({
  args: { orgId: v.id("organizations") },
  handler: async (ctx, { orgId }): Promise<"more" | "done"> => {
    const org = await ctx.db.get(orgId);
    if (!org) return "done";
    if (org.deletedAt === undefined) throw new Error("sweep called for an organization that was not deleted");
    for (const table of Object.keys(ORG_DATA) as OrgTable[]) {
      if (await sweepBatch(ctx, orgId, ORG_DATA[table] as Deleted<OrgTable> | Kept)) {
        await ctx.scheduler.runAfter(0, internal.orgs.deletion.sweep, { orgId });
        return "more";
      }
    }
    await ctx.db.delete(orgId);
    return "done";
  },
});

/** Deletes up to one batch of a table's rows; true when there were any. */
async function sweepBatch(ctx: MutationCtx, orgId: OrgId, plan: Deleted<OrgTable> | Kept): Promise<boolean> {
  if ("kept" in plan) return false;
  const rows = await plan.batch(ctx, orgId, DELETION_BATCH_SIZE);
  for (const row of rows) {
    await plan.before?.(ctx, row);
    await ctx.db.delete(row._id);
  }
  return rows.length > 0;
}
