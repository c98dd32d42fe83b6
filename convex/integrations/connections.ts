import { ConvexError, v } from "convex/values";
import { runTestRequest, type TestOutcome } from "../../lib/connect/provider-request";
import { ErrorCode } from "../../lib/errors";
import { catalog } from "../../lib/providers";
import { revokeGrant } from "../../lib/oauth/revoke";
import { callTotals } from "../../lib/pipeline";
import { orgAction, orgQuery } from "../functions";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { oauthClientFor, providerOrThrow, simulatorBaseUrl } from "./env";
import { decryptSecrets } from "./secrets";

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
      simulated: simulatorBaseUrl() !== undefined,
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
 * The fields of a connection anyone in the org may see. Call counts are the hourly
 * counters as of this query's run (a query is re-run when the row changes, not as
 * time passes, so a quiet connection's counts can lag by the hours since its last call).
 */
export function publicConnection(row: Doc<"connections"> | undefined) {
  if (!row) return null;
  const now = Date.now();
  const { calls, errors } = callTotals(row.callBuckets ?? [], now);
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
  handler: async (ctx, { providerId }): Promise<{ ok: boolean; message: string; accountName: string | null }> => {
    const provider = providerOrThrow(providerId);
    const row = await liveConnection(ctx, ctx.org._id, provider.id);
    const secrets = await decryptSecrets(ctx.org._id, provider.id, row.secrets).catch(() => null);
    const outcome: TestOutcome = secrets
      ? await runTestRequest(provider, { secrets, config: row.config })
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
      ok: outcome.ok,
      ...(outcome.ok
        ? { accountName: outcome.account.name ?? undefined }
        : { reason: outcome.reason, message: outcome.message }),
    });
    return outcome.ok
      ? { ok: true, message: `${provider.displayName} answered as expected.`, accountName: outcome.account.name }
      : { ok: false, message: outcome.message, accountName: null };
  },
});

/**
 * Disconnects: revokes the grant at the provider where it can (never blocking on
 * it), then deletes every ciphertext. The audit trail and consents stay.
 */
export const disconnect = orgAction({
  role: "admin",
  args: { providerId: v.string() },
  handler: async (ctx, { providerId }): Promise<{ revokedAtProvider: boolean }> => {
    const provider = providerOrThrow(providerId);
    const row = await liveConnection(ctx, ctx.org._id, provider.id);
    let revoked = "not_applicable";
    if (provider.authKind === "oauth2") {
      const secrets = await decryptSecrets(ctx.org._id, provider.id, row.secrets).catch(() => null);
      if (secrets) {
        let client = null;
        try {
          client = oauthClientFor(provider);
        } catch {
          revoked = "not_configured";
        }
        if (client) {
          const result = await revokeGrant(provider, client, {
            accessToken: secrets.accessToken ?? null,
            refreshToken: secrets.refreshToken ?? null,
          });
          revoked = result.revoked ? "revoked" : result.reason;
        }
      } else {
        revoked = "undecryptable";
      }
    }
    await ctx.runMutation(internal.integrations.store.markDisconnected, {
      orgId: ctx.org._id,
      providerId: provider.id,
      userId: ctx.userId,
      revoked,
    });
    return { revokedAtProvider: revoked === "revoked" };
  },
});
