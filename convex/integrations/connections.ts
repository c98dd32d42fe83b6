import { ConvexError, v } from "convex/values";
import { runTestRequest, type TestOutcome } from "../../lib/connect/verify";
import { ErrorCode } from "../../lib/errors";
import { catalog, connectionApiBase, type OAuth2Provider, type Provider } from "../../lib/providers";
import { revocationRetryPlan, revokeGrant, type DisconnectRevocation } from "../../lib/oauth/revoke";
import { callTotals } from "../../lib/pipeline";
import { orgAction, orgQuery } from "../functions";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { oauthClientFor, providersSimulated, providerOrThrow } from "../shared/env";
import { loggedTransport, newCorrelationId } from "../shared/providerHttp";
import { decryptRowSecrets } from "../shared/secrets";
import { removeSubscriptionsOf } from "../webhooks/inbound/subscriptions";

/**
 * Every provider of the catalog with this org's connection status. Sanitised:
 * no ciphertext, token or secret field leaves this query.
 */
export const list = orgQuery({
  role: "member",
  args: {},
  handler: async (ctx) => {
    const rows = await ctx.db
      .query("connections")
      .withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", ctx.org._id))
      .collect();
    const byProvider = new Map(rows.map((row) => [row.providerId, row]));
    return {
      simulated: providersSimulated(),
      providers: catalog.map((provider) => ({
        id: provider.id,
        displayName: provider.displayName,
        description: provider.description,
        category: provider.category,
        logo: provider.logo,
        authKind: provider.authKind,
        connection: publicConnection(byProvider.get(provider.id)),
      })),
    };
  },
});

/**
 * The fields of a connection anyone in the org may see. Call counts are the summary
 * of the connection's counters (convex/calls/counters.ts: at most a minute behind the
 * calls, and written at most once a minute, so a busy connection does not re-run
 * this query on every call), windowed with this query's clock (a query is re-run
 * when the row changes, not as time passes, so a quiet connection's counts can lag
 * by the hours since its last summary).
 */
export function publicConnection(row: Doc<"connections"> | undefined) {
  if (!row) return null;
  const now = Date.now();
  const { calls, errors } = callTotals(row.callSummary?.buckets ?? row.callBuckets ?? [], now);
  // A refresh whose holder died leaves "refreshing" behind until its lease is retaken; it is not refreshing.
  const refreshing = row.status === "refreshing" && (row.refreshLease?.expiresAt ?? 0) > now;
  return {
    status: row.status === "refreshing" && !refreshing ? ("connected" as const) : row.status,
    statusReason: row.statusReason ?? null,
    lastError: row.lastError ?? null,
    accountId: row.accountId ?? null,
    accountName: row.accountName ?? null,
    scopes: row.scopes,
    connectedAt: row.connectedAt,
    lastCheckedAt: row.lastCheckedAt ?? null,
    accessTokenExpiresAt: row.accessTokenExpiresAt ?? null,
    lastRefreshedAt: row.lastRefreshedAt ?? null,
    nextRefreshAt: row.nextRefreshAt ?? null,
    calls24h: calls,
    errors24h: errors,
    lastUsedAt: row.lastUsedAt ?? null,
    revocation: row.revocation ?? null,
  };
}

async function liveConnection(ctx: ActionCtx, orgId: Doc<"organizations">["_id"], providerId: string) {
  const row: Doc<"connections"> | null = await ctx.runQuery(internal.integrations.store.getConnection, {
    orgId,
    providerId,
  });
  if (!row || row.status === "disconnected") {
    throw new ConvexError({ code: ErrorCode.NOT_CONNECTED, message: "This provider is not connected." });
  }
  return row;
}

/** Runs the provider's test request with the stored credential and records the outcome. */
export const test = orgAction({
  role: "admin",
  args: { providerId: v.string() },
  handler: async (
    ctx,
    { providerId },
  ): Promise<{ ok: boolean; message: string; accountName: string | null; correlationId: string }> => {
    const provider = providerOrThrow(providerId);
    const row = await liveConnection(ctx, ctx.org._id, provider.id);
    const secrets = await decryptRowSecrets(row);
    const correlationId = newCorrelationId();
    const send = loggedTransport(ctx, {
      orgId: ctx.org._id,
      provider,
      connectionId: row._id,
      actor: { kind: "user", id: ctx.userId },
      correlationId,
      secrets: Object.values(secrets ?? {}),
      apiBase: connectionApiBase(provider, row.config),
    });
    const outcome: TestOutcome = secrets
      ? await runTestRequest(provider, { secrets, config: row.config }, "test", send)
      : {
          ok: false,
          reason: "decrypt_failed",
          status: null,
          message: "The stored credential could not be decrypted. Reconnect to fix it.",
        };
    await ctx.runMutation(internal.integrations.store.recordTest, {
      orgId: ctx.org._id,
      providerId: provider.id,
      userId: ctx.userId,
      testedSecrets: row.secrets,
      result: outcome.ok
        ? { ok: true, accountName: outcome.account.name ?? undefined }
        : { ok: false, reason: outcome.reason, message: outcome.message },
    });
    return outcome.ok
      ? { ok: true, message: `${provider.displayName} answered as expected.`, accountName: outcome.account.name, correlationId }
      : { ok: false, message: outcome.message, accountName: null, correlationId };
  },
});

/**
 * Disconnects: revokes the grant at the provider where it can (never blocking on
 * it), then deletes every ciphertext. The audit trail and consents stay.
 */
export const disconnect = orgAction({
  role: "admin",
  args: { providerId: v.string() },
  handler: async (ctx, { providerId }): Promise<DisconnectOutcome> => {
    const provider = providerOrThrow(providerId);
    const row = await liveConnection(ctx, ctx.org._id, provider.id);
    return await revokeAndDisconnect(ctx, ctx.userId, provider, row);
  },
});

export type DisconnectOutcome = { revokedAtProvider: boolean; revocationPending: boolean };

/**
 * The one way a connection is disconnected (the Disconnect button, deleting its
 * organization): its webhook subscriptions are deleted at the provider while the
 * credential still works, then the grant is revoked, then it is marked disconnected; a
 * revocation worth retrying moves to a pending revocation.
 */
export async function revokeAndDisconnect(
  ctx: ActionCtx,
  userId: Id<"users">,
  provider: Provider,
  row: Doc<"connections">,
): Promise<DisconnectOutcome> {
  await removeSubscriptionsOf(ctx, row, { kind: "user", id: userId });
  const outcome: RevocationOutcome =
    provider.authKind === "oauth2" ? await revokeAtProvider(ctx, userId, provider, row) : { revocation: "not_applicable" };
  await ctx.runMutation(internal.integrations.store.markDisconnected, {
    orgId: row.orgId,
    providerId: row.providerId,
    userId,
    ...outcome,
  });
  return { revokedAtProvider: outcome.revocation === "revoked", revocationPending: outcome.revocation === "pending" };
}

type RevocationOutcome = { revocation: DisconnectRevocation; retryAt?: number; revocationError?: string };

/**
 * Revokes the connection's grant at the provider (logged like any request); never
 * throws for the provider's sake. A failure worth retrying comes back `pending`, with
 * when to try again.
 */
async function revokeAtProvider(
  ctx: ActionCtx,
  userId: Id<"users">,
  provider: OAuth2Provider,
  row: Doc<"connections">,
): Promise<RevocationOutcome> {
  const secrets = await decryptRowSecrets(row);
  if (!secrets) return { revocation: "undecryptable" };
  let client;
  try {
    client = oauthClientFor(provider);
  } catch {
    return { revocation: "not_configured" };
  }
  const send = loggedTransport(ctx, {
    orgId: row.orgId,
    provider,
    connectionId: row._id,
    actor: { kind: "user", id: userId },
    correlationId: newCorrelationId(),
    secrets: [...Object.values(secrets), client.clientSecret],
    apiBase: connectionApiBase(provider, row.config),
  });
  const tokens = { accessToken: secrets.accessToken ?? null, refreshToken: secrets.refreshToken ?? null };
  const result = await revokeGrant(provider, client, tokens, send);
  if (result.result !== "failed" || !result.retryable) return { revocation: result.result };
  const now = Date.now();
  const plan = revocationRetryPlan({ attempts: 1, firstFailedAt: now, retryAfterSeconds: result.retryAfterSeconds }, now);
  return {
    revocation: "pending",
    retryAt: plan.retry ? plan.at : now,
    revocationError: `${provider.displayName} did not revoke the grant${result.status ? ` (HTTP ${result.status})` : " (no answer)"}.`,
  };
}
