/**
 * Single flight for token refresh. An action that wants a fresh token calls
 * `acquire`; in that one transaction the row is read, the need is checked against
 * it (someone may have refreshed a moment ago) and, only if a refresh is still
 * needed and nobody holds the lease, the lease is taken. The holder refreshes and
 * ends with `complete` (new tokens, rotated refresh token included, stored in one
 * write) or `fail`. Everyone else waits and then finds the token fresh.
 */
import { v, type Infer } from "convex/values";
import {
  effectiveExpiry,
  maintenanceDue,
  REFRESH_LEASE_TTL_MS,
  refreshFailurePlan,
  type RefreshFailure,
  type RefreshFailurePlan,
} from "../../lib/refresh/plan";
import { decryptSecret } from "../../lib/vault";
import { isRefreshable, maintenanceInput, providerOfRow, replan } from "../connections/maintenance";
import {
  beginRefresh,
  isLive,
  refreshFailedForGood,
  refreshSucceeded,
  refreshWillRetry,
  releaseLease,
} from "../connections/transitions";
import { internalMutation } from "../functions";
import type { Doc } from "../_generated/dataModel";
import { keyRing } from "../shared/env";
import { bindingFor } from "../shared/secrets";
import { refreshFailureValidator } from "../shared/validators";

/**
 * Why a refresh is wanted, which is also how to tell that it is no longer needed:
 * - scheduled: the plan says it is due (a job, the sweep, keep-alive);
 * - expiring: a call decided at `decidedAt` that it needs a token valid until
 *   `validUntil` (a refresh made since then also answers it, however short the new token);
 * - rejected: the provider refused the access token whose ciphertext is `accessToken`.
 */
export const refreshNeedValidator = v.union(
  v.object({ kind: v.literal("scheduled") }),
  v.object({ kind: v.literal("expiring"), validUntil: v.number(), decidedAt: v.number() }),
  v.object({ kind: v.literal("rejected"), accessToken: v.string() }),
);
export type RefreshNeed = Infer<typeof refreshNeedValidator>;

/** What started a refresh, for the audit trail. */
export const refreshTriggerValidator = v.union(
  v.literal("expiring"),
  v.literal("retry"),
  v.literal("keep_alive"),
  v.literal("call"),
  v.literal("unauthorized"),
);
export type RefreshTrigger = Infer<typeof refreshTriggerValidator>;

/** True when the row already satisfies the need: a refresh now would be wasted. */
async function isSatisfied(row: Doc<"connections">, need: RefreshNeed, now: number): Promise<boolean> {
  switch (need.kind) {
    case "scheduled":
      return maintenanceDue(maintenanceInput(row, providerOfRow(row)), now).action !== "refresh";
    case "expiring": {
      if ((row.lastRefreshedAt ?? 0) >= need.decidedAt) return true;
      const expiry = effectiveExpiry(maintenanceInput(row, providerOfRow(row)));
      return expiry === null || expiry.at > need.validUntil;
    }
    case "rejected":
      return !(await holdsSameSecret(row, "accessToken", need.accessToken));
    default:
      return need satisfies never;
  }
}

export type AcquireResult =
  | { kind: "acquired"; row: Doc<"connections"> }
  | { kind: "fresh"; row: Doc<"connections"> }
  | { kind: "busy"; leaseExpiresAt: number }
  | { kind: "blocked"; row: Doc<"connections"> }
  | { kind: "unrefreshable"; row: Doc<"connections"> }
  | { kind: "gone" };

/** Takes the refresh lease if a refresh is still needed and nobody is making one. */
export const acquire = internalMutation({
  args: { connectionId: v.id("connections"), leaseId: v.string(), need: refreshNeedValidator },
  handler: async (ctx, { connectionId, leaseId, need }): Promise<AcquireResult> => {
    const now = Date.now();
    const row = await ctx.db.get(connectionId);
    if (!isLive(row)) return { kind: "gone" };
    const lease = row.refreshLease;
    if (lease && lease.id !== leaseId && lease.expiresAt > now) return { kind: "busy", leaseExpiresAt: lease.expiresAt };
    if (await isSatisfied(row, need, now)) {
      // A job that fired and found nothing to do still leaves a plan behind.
      if (need.kind === "scheduled") await replan(ctx, connectionId, now);
      return { kind: "fresh", row };
    }
    // An error only a person can fix (revoked, exhausted, unauthorized): no automatic refresh.
    if (row.status === "error") return { kind: "blocked", row };
    if (!isRefreshable(row, providerOfRow(row))) return { kind: "unrefreshable", row };
    await beginRefresh(ctx, row, { id: leaseId, expiresAt: now + REFRESH_LEASE_TTL_MS });
    return { kind: "acquired", row: (await ctx.db.get(connectionId))! };
  },
});

/**
 * Stores a refresh's tokens: the new access token and, when the provider rotated it,
 * the new refresh token, in one write and before anyone uses them. Only if the row
 * still holds the refresh token that was spent (possibly re-encrypted by a key
 * rotation); otherwise a newer grant (a reconnect, or a holder that took over an
 * expired lease) is already there and wins.
 */
export const complete = internalMutation({
  args: {
    connectionId: v.id("connections"),
    leaseId: v.string(),
    spentRefreshToken: v.string(),
    secrets: v.record(v.string(), v.string()),
    accessTokenExpiresAt: v.optional(v.number()),
    scopes: v.optional(v.array(v.string())),
    trigger: refreshTriggerValidator,
    rotated: v.boolean(),
  },
  handler: async (ctx, args): Promise<{ stored: boolean; row: Doc<"connections"> | null }> => {
    const row = await ctx.db.get(args.connectionId);
    if (!isLive(row)) return { stored: false, row: null };
    if (!(await holdsSameSecret(row, "refreshToken", args.spentRefreshToken))) {
      await releaseLease(ctx, row, args.leaseId);
      return { stored: false, row: await ctx.db.get(args.connectionId) };
    }
    await refreshSucceeded(ctx, row, {
      secrets: args.secrets,
      accessTokenExpiresAt: args.accessTokenExpiresAt,
      scopes: args.scopes,
      trigger: args.trigger,
      rotated: args.rotated,
    });
    return { stored: true, row: await ctx.db.get(row._id) };
  },
});

/**
 * True when the row's `field` holds the same secret as `ciphertext`. Compared as
 * ciphertexts first; a key rotation may have re-encrypted the field meanwhile (new
 * key, new IV), so a mismatch is settled by decrypting both here, in the mutation.
 */
async function holdsSameSecret(row: Doc<"connections">, field: string, ciphertext: string): Promise<boolean> {
  const stored = row.secrets[field];
  if (stored === undefined) return false;
  if (stored === ciphertext) return true;
  try {
    const binding = bindingFor(row.orgId, row.providerId, field);
    const [a, b] = await Promise.all([decryptSecret(keyRing(), stored, binding), decryptSecret(keyRing(), ciphertext, binding)]);
    return a === b;
  } catch {
    return false;
  }
}

/** The plan for a failure; our own misconfiguration backs off like an outage (it is not the grant's fault). */
function planFor(row: Doc<"connections">, failure: RefreshFailure, retryAfterSeconds: number | undefined, now: number) {
  if (failure === "decrypt_failed") return { kind: "decrypt_failed" as const };
  const oauthFailure = failure === "not_configured" ? "invalid_client" : failure;
  return refreshFailurePlan(
    {
      failure: oauthFailure,
      retryAfterSeconds,
      failingSince: row.refreshFailingSince,
      failures: row.refreshFailures,
    },
    now,
  );
}

/**
 * Records a failed refresh and releases the lease: `error/refresh_revoked` for a
 * dead grant, `error/refresh_exhausted` after days of failures (both stop automatic
 * refresh), else a retry with backoff. Audited either way.
 */
export const fail = internalMutation({
  args: {
    connectionId: v.id("connections"),
    leaseId: v.string(),
    failure: refreshFailureValidator,
    retryAfterSeconds: v.optional(v.number()),
    message: v.string(),
    trigger: refreshTriggerValidator,
  },
  handler: async (ctx, args): Promise<{ statusReason: string | null; retryAt: number | null }> => {
    const now = Date.now();
    const row = await ctx.db.get(args.connectionId);
    // A holder that lost its lease (it ran past the TTL) leaves the row to the new holder.
    if (!isLive(row) || row.refreshLease?.id !== args.leaseId) return { statusReason: null, retryAt: null };
    const plan = planFor(row, args.failure, args.retryAfterSeconds, now);
    const details = { trigger: args.trigger, failure: args.failure, message: args.message };
    if (plan.kind === "retry") {
      await refreshWillRetry(ctx, row, plan, details);
      return { statusReason: null, retryAt: plan.retryAt };
    }
    const statusReason = reasonOf(plan);
    await refreshFailedForGood(ctx, row, statusReason, details);
    return { statusReason, retryAt: null };
  },
});

function reasonOf(plan: Exclude<RefreshFailurePlan, { kind: "retry" }> | { kind: "decrypt_failed" }) {
  switch (plan.kind) {
    case "revoked":
      return "refresh_revoked" as const;
    case "exhausted":
      return "refresh_exhausted" as const;
    case "decrypt_failed":
      return "decrypt_failed" as const;
    default:
      return plan satisfies never;
  }
}

/** Gives a lease back without a verdict (the holder found nothing it could do). */
export const release = internalMutation({
  args: { connectionId: v.id("connections"), leaseId: v.string() },
  handler: async (ctx, { connectionId, leaseId }) => {
    const row = await ctx.db.get(connectionId);
    if (row) await releaseLease(ctx, row, leaseId);
    return null;
  },
});
