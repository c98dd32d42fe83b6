/**
 * The one owner of a connection's state. Every change of status (connected,
 * refreshing, error with a reason, disconnected), of the refresh lease and of the
 * refresh history is made here, inside the caller's mutation, together with its
 * audit event and the re-plan of the connection's maintenance job. Function modules
 * (integrations/store, refresh/lease, refresh/state) only find the row and ask.
 * Helpers for mutations; not a function module.
 */
import { ConvexError } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import type { DisconnectRevocation } from "../../lib/oauth/revoke";
import { KEEP_ALIVE_RETRY_MS, type RefreshFailure } from "../../lib/refresh/plan";
import type { StatusReason } from "../../lib/integrations/status";
import { recordAudit, type AuditActor } from "../audit/record";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { emitWebhookEvent } from "../webhooks/outbound/emit";
import { replan, stopMaintenance } from "./maintenance";

type Row = Doc<"connections">;

/** The audit actor of everything the refresh machinery does on its own. */
export const REFRESH_ACTOR: AuditActor = { kind: "system", label: "Token refresh" };
/** The audit actor of keep-alive checks. */
export const KEEP_ALIVE_ACTOR: AuditActor = { kind: "system", label: "Keep-alive" };
/** The audit actor of revocations tried again after a disconnect. */
export const REVOCATION_ACTOR: AuditActor = { kind: "system", label: "Revocation retry" };

/** A fresh grant starts a new refresh history; so does a disconnect. */
const NO_REFRESH_HISTORY = {
  refreshLease: undefined,
  refreshFailures: undefined,
  refreshFailingSince: undefined,
  refreshRetryAt: undefined,
} as const;

/** A connection that is no longer in error. */
const HEALTHY = { status: "connected", statusReason: undefined, lastError: undefined } as const;

const subjectOf = (row: Row) => row.accountName ?? row.accountId;

/** What every connection.* webhook event says about the connection. */
const eventConnection = (row: Pick<Row, "providerId" | "accountName" | "accountId">) => ({
  providerId: row.providerId,
  accountName: row.accountName ?? row.accountId ?? null,
});

/** connection.error: the connection needs a person (reconnect, or a test that passes). */
async function emitConnectionError(ctx: MutationCtx, row: Row, reason: string, message: string | undefined) {
  await emitWebhookEvent(ctx, row.orgId, "connection.error", { ...eventConnection(row), reason, message: message ?? null });
}

/** True while the connection can be used or maintained (it exists and was not disconnected). */
export function isLive(row: Row | null): row is Row {
  return row !== null && row.status !== "disconnected";
}

export type NewGrant = {
  orgId: Id<"organizations">;
  providerId: string;
  userId: Id<"users">;
  secrets: Record<string, string>;
  config: Record<string, string>;
  scopes: string[];
  accountId: string;
  accountName?: string;
  accessTokenExpiresAt?: number;
  recordConsent: boolean;
};

/** connected: a new or replaced (in place) grant with freshly verified credentials. */
export async function connect(ctx: MutationCtx, existing: Row | null, grant: NewGrant): Promise<Id<"connections">> {
  // A connect that was under way when an owner deleted the organization must not leave
  // a grant behind the deletion's sweep.
  const org = await ctx.db.get(grant.orgId);
  if (!org || org.deletedAt !== undefined) {
    throw new ConvexError({ code: ErrorCode.FORBIDDEN, message: "This organization was deleted." });
  }
  const now = Date.now();
  const fields = {
    ...HEALTHY,
    ...NO_REFRESH_HISTORY,
    // A new grant: an old grant's pending revocation goes on, but no longer describes this connection.
    revocation: undefined,
    accountId: grant.accountId,
    accountName: grant.accountName,
    scopes: grant.scopes,
    secrets: grant.secrets,
    config: grant.config,
    accessTokenExpiresAt: grant.accessTokenExpiresAt,
    accessTokenIssuedAt: now,
    connectedAt: now,
    connectedBy: grant.userId,
    lastCheckedAt: now,
  };
  let connectionId: Id<"connections">;
  if (existing) {
    await ctx.db.patch(existing._id, fields);
    connectionId = existing._id;
  } else {
    connectionId = await ctx.db.insert("connections", { orgId: grant.orgId, providerId: grant.providerId, ...fields });
  }
  await replan(ctx, connectionId, now);
  if (grant.recordConsent) {
    await ctx.db.insert("consents", {
      orgId: grant.orgId,
      providerId: grant.providerId,
      connectionId,
      userId: grant.userId,
      scopes: grant.scopes,
      grantedAt: now,
    });
  }
  await recordAudit(ctx, grant.orgId, { kind: "user", id: grant.userId }, {
    action: isLive(existing) ? "integration.reconnected" : "integration.connected",
    providerId: grant.providerId,
    subject: grant.accountName ?? grant.accountId,
    details: { scopes: grant.scopes.join(" ") || null },
  });
  await emitWebhookEvent(ctx, grant.orgId, "connection.connected", eventConnection(grant));
  return connectionId;
}

/**
 * A Test click found the credential working: connected again (a connection back from
 * error gets its refresh and keep-alive plan again), audited as a test.
 */
export async function recordTestPassed(ctx: MutationCtx, row: Row, actor: AuditActor, accountName: string | undefined) {
  const now = Date.now();
  await ctx.db.patch(row._id, { ...HEALTHY, lastCheckedAt: now, ...(accountName ? { accountName } : {}) });
  if (row.status === "error") await replan(ctx, row._id, now);
  await recordAudit(ctx, row.orgId, actor, { action: "integration.tested", providerId: row.providerId });
}

/**
 * A Test click failed. A refused or unreadable credential also breaks the connection
 * (through `markBroken`, with its guard); an outage only notes the error.
 */
export async function recordTestFailed(
  ctx: MutationCtx,
  row: Row,
  failure: { actor: AuditActor; reason: string; message: string; testedSecrets: Record<string, string> },
) {
  await ctx.db.patch(row._id, { lastCheckedAt: Date.now(), lastError: failure.message });
  await recordAudit(ctx, row.orgId, failure.actor, {
    action: "integration.test_failed",
    providerId: row.providerId,
    details: { reason: failure.reason, message: failure.message },
  });
  if (failure.reason === "unauthorized" || failure.reason === "decrypt_failed") {
    await markBroken(ctx, (await ctx.db.get(row._id))!, {
      reason: failure.reason,
      failedSecrets: failure.testedSecrets,
      actor: failure.actor,
      message: failure.message,
      source: "test",
    });
  }
}

/**
 * error(unauthorized | decrypt_failed): the provider refuses the stored credential,
 * or it cannot be decrypted. No more automatic work until a person reconnects or a
 * test passes. Only when the row still holds the very secrets that failed, so a slow
 * call cannot undo a refresh or reconnect made meanwhile; a connection already in
 * error keeps its first (often more specific) reason. True when the status changed.
 */
export async function markBroken(
  ctx: MutationCtx,
  row: Row,
  failure: {
    reason: Extract<StatusReason, "unauthorized" | "decrypt_failed">;
    failedSecrets: Record<string, string>;
    actor: AuditActor;
    message: string;
    source: "call" | "keep_alive" | "test" | "rotation";
  },
): Promise<boolean> {
  if (!isLive(row) || row.status === "error") return false;
  if (JSON.stringify(row.secrets) !== JSON.stringify(failure.failedSecrets)) return false;
  await ctx.db.patch(row._id, { status: "error", statusReason: failure.reason, lastError: failure.message });
  await stopMaintenance(ctx, row);
  await recordAudit(ctx, row.orgId, failure.actor, {
    action: failure.reason === "unauthorized" ? "integration.unauthorized" : "integration.decrypt_failed",
    providerId: row.providerId,
    subject: subjectOf(row),
    details: { source: failure.source, message: failure.message },
  });
  await emitConnectionError(ctx, row, failure.reason, failure.message);
  return true;
}

/** The audit actor of what a provider says by webhook (lib/inbound/events.ts). */
export const INBOUND_WEBHOOK_ACTOR: AuditActor = { kind: "system", label: "Inbound webhook" };

/**
 * error(provider_uninstalled | provider_revoked | provider_suspended | subscription_removed):
 * the provider itself said, in a verified webhook, that access ended. No more automatic
 * work until a person reconnects. A connection already in error keeps its first reason.
 * True when the status changed.
 */
export async function markEndedByProvider(
  ctx: MutationCtx,
  row: Row,
  ending: { reason: Extract<StatusReason, "provider_uninstalled" | "provider_revoked" | "provider_suspended" | "subscription_removed">; said: string },
): Promise<boolean> {
  if (!isLive(row) || row.status === "error") return false;
  await ctx.db.patch(row._id, { status: "error", statusReason: ending.reason, lastError: ending.said });
  await stopMaintenance(ctx, row);
  await recordAudit(ctx, row.orgId, INBOUND_WEBHOOK_ACTOR, {
    action: "integration.ended_by_provider",
    providerId: row.providerId,
    subject: subjectOf(row),
    details: { reason: ending.reason, message: ending.said },
  });
  await emitConnectionError(ctx, row, ending.reason, ending.said);
  return true;
}

/**
 * What a keep-alive test found, unless it was a refusal (that is `markBroken`):
 * success is the credential's sign of life; an outage is tried again later and
 * changes nothing else.
 */
export async function recordKeepAlive(ctx: MutationCtx, row: Row, result: { ok: true } | { ok: false; message: string }) {
  if (!isLive(row) || row.status === "error") return;
  const now = Date.now();
  if (result.ok) await ctx.db.patch(row._id, { lastCheckedAt: now, lastError: undefined, refreshRetryAt: undefined });
  else await ctx.db.patch(row._id, { lastError: result.message, refreshRetryAt: now + KEEP_ALIVE_RETRY_MS });
  await replan(ctx, row._id, now);
}

/** refreshing: one action holds the refresh lease until `expiresAt`. */
export async function beginRefresh(ctx: MutationCtx, row: Row, lease: { id: string; expiresAt: number }) {
  await ctx.db.patch(row._id, { refreshLease: lease, status: "refreshing" });
}

/** Gives the lease back without a verdict; a row left refreshing reads connected again. */
export async function releaseLease(ctx: MutationCtx, row: Row, leaseId: string) {
  if (row.refreshLease?.id !== leaseId) return;
  await ctx.db.patch(row._id, {
    refreshLease: undefined,
    ...(row.status === "refreshing" ? { status: "connected" as const } : {}),
  });
}

/** connected, with the refresh's tokens stored in one write, before anyone uses them. */
export async function refreshSucceeded(
  ctx: MutationCtx,
  row: Row,
  result: {
    secrets: Record<string, string>;
    accessTokenExpiresAt: number | undefined;
    scopes: string[] | undefined;
    trigger: string;
    rotated: boolean;
  },
) {
  const now = Date.now();
  await ctx.db.patch(row._id, {
    ...HEALTHY,
    ...NO_REFRESH_HISTORY,
    secrets: result.secrets,
    accessTokenExpiresAt: result.accessTokenExpiresAt,
    accessTokenIssuedAt: now,
    lastRefreshedAt: now,
    ...(result.scopes ? { scopes: result.scopes } : {}),
  });
  await replan(ctx, row._id, now);
  await recordAudit(ctx, row.orgId, REFRESH_ACTOR, {
    action: "integration.refreshed",
    providerId: row.providerId,
    subject: subjectOf(row),
    details: { trigger: result.trigger, rotated: result.rotated, expiresAt: result.accessTokenExpiresAt ?? null },
  });
}

type RefreshFailureDetails = { trigger: string; failure: RefreshFailure; message: string };

/** connected, with a failed refresh to try again at `retryAt` (the lease is released). */
export async function refreshWillRetry(
  ctx: MutationCtx,
  row: Row,
  retry: { retryAt: number; failures: number; failingSince: number },
  details: RefreshFailureDetails,
) {
  await ctx.db.patch(row._id, {
    status: "connected",
    lastError: details.message,
    refreshLease: undefined,
    refreshFailures: retry.failures,
    refreshFailingSince: retry.failingSince,
    refreshRetryAt: retry.retryAt,
  });
  await replan(ctx, row._id, Date.now());
  await auditRefreshFailure(ctx, row, { ...details, outcome: "will_retry", attempt: retry.failures, retryAt: retry.retryAt });
}

/** error(refresh_revoked | refresh_exhausted | decrypt_failed): no automatic refresh until a person reconnects. */
export async function refreshFailedForGood(
  ctx: MutationCtx,
  row: Row,
  statusReason: Extract<StatusReason, "refresh_revoked" | "refresh_exhausted" | "decrypt_failed">,
  details: RefreshFailureDetails,
) {
  await ctx.db.patch(row._id, { status: "error", statusReason, lastError: details.message, refreshRetryAt: undefined });
  await stopMaintenance(ctx, row);
  await auditRefreshFailure(ctx, row, { ...details, outcome: statusReason });
  await emitConnectionError(ctx, row, statusReason, details.message);
}

async function auditRefreshFailure(ctx: MutationCtx, row: Row, details: Record<string, string | number | boolean | null>) {
  await recordAudit(ctx, row.orgId, REFRESH_ACTOR, {
    action: "integration.refresh_failed",
    providerId: row.providerId,
    subject: subjectOf(row),
    details,
  });
}

/**
 * disconnected: every ciphertext leaves the row, automatic work stops; the row stays
 * for its history. When the revocation failed in a way worth retrying (`pending`), the
 * grant's ciphertexts move to a pending revocation, tried again from `retryAt`.
 */
export async function disconnect(
  ctx: MutationCtx,
  row: Row,
  by: { userId: Id<"users">; revocation: DisconnectRevocation; retryAt?: number; revocationError?: string },
) {
  const pending = by.revocation === "pending";
  await ctx.db.patch(row._id, {
    ...NO_REFRESH_HISTORY,
    status: "disconnected",
    statusReason: undefined,
    lastError: undefined,
    secrets: {},
    accessTokenExpiresAt: undefined,
    revocation: pending ? "pending" : undefined,
  });
  await stopMaintenance(ctx, row);
  if (pending) {
    const now = Date.now();
    const revocationId = await ctx.db.insert("pendingRevocations", {
      orgId: row.orgId,
      providerId: row.providerId,
      connectionId: row._id,
      secrets: row.secrets,
      requestedBy: by.userId,
      attempts: 1,
      firstFailedAt: now,
      nextAttemptAt: by.retryAt ?? now,
      lastError: by.revocationError,
    });
    const jobId = await ctx.scheduler.runAt(by.retryAt ?? now, internal.connections.revocations.retry, { revocationId });
    await ctx.db.patch(revocationId, { jobId });
  }
  await recordAudit(ctx, row.orgId, { kind: "user", id: by.userId }, {
    action: "integration.disconnected",
    providerId: row.providerId,
    subject: subjectOf(row),
    details: { revokedAtProvider: by.revocation },
  });
  await emitWebhookEvent(ctx, row.orgId, "connection.disconnected", eventConnection(row));
  if (by.revocation === "failed") {
    await emitWebhookEvent(ctx, row.orgId, "connection.revocation_failed", {
      ...eventConnection(row),
      message: by.revocationError ?? "The provider did not revoke the grant.",
    });
  }
}

/**
 * A pending revocation ended: revoked at last, or given up. The connection's
 * `revocation` mark follows, unless it was reconnected meanwhile (a new grant).
 */
export async function revocationSettled(
  ctx: MutationCtx,
  pending: Doc<"pendingRevocations">,
  outcome: { revoked: true } | { revoked: false; message: string },
) {
  await ctx.db.delete(pending._id);
  const row = await ctx.db.get(pending.connectionId);
  if (row?.status === "disconnected" && row.revocation === "pending") {
    await ctx.db.patch(row._id, { revocation: outcome.revoked ? undefined : "failed" });
  }
  // A deleted organization keeps no audit trail; its grant was still worth revoking.
  const org = await ctx.db.get(pending.orgId);
  if (!org || org.deletedAt !== undefined) return;
  await recordAudit(ctx, pending.orgId, REVOCATION_ACTOR, {
    action: outcome.revoked ? "integration.revoked" : "integration.revocation_failed",
    providerId: pending.providerId,
    subject: row ? subjectOf(row) : undefined,
    details: { attempts: pending.attempts, ...(outcome.revoked ? {} : { message: outcome.message }) },
  });
  if (!outcome.revoked) {
    await emitWebhookEvent(ctx, pending.orgId, "connection.revocation_failed", {
      providerId: pending.providerId,
      accountName: row ? (row.accountName ?? row.accountId ?? null) : null,
      message: outcome.message,
    });
  }
}
