/**
 * Revocations tried again after a disconnect whose revocation got no answer, a 429 or
 * a 5xx (RFC 7009 §2.2.1: assume the token still exists). The job backs off
 * (lib/oauth/revoke.ts `revocationRetryPlan`) for up to three days, then gives up;
 * both endings are audited and shown on the disconnected card.
 */
import { v } from "convex/values";
import { revocationRetryPlan, revokeGrant } from "../../lib/oauth/revoke";
import { connectionApiBase } from "../../lib/providers";
import { internalAction, internalMutation, internalQuery } from "../functions";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import { oauthClientFor, resolvedProvider } from "../shared/env";
import { loggedTransport, newCorrelationId } from "../shared/providerHttp";
import { decryptRowSecrets } from "../shared/secrets";
import { REVOCATION_ACTOR, revocationSettled } from "./transitions";

export const get = internalQuery({
  args: { revocationId: v.id("pendingRevocations") },
  handler: async (ctx, { revocationId }): Promise<Doc<"pendingRevocations"> | null> => ctx.db.get(revocationId),
});

/** Records one more failed attempt: tries again later, or gives up once the plan says so. */
export const failedAgain = internalMutation({
  args: { revocationId: v.id("pendingRevocations"), message: v.string(), retryAfterSeconds: v.optional(v.number()) },
  handler: async (ctx, { revocationId, message, retryAfterSeconds }) => {
    const pending = await ctx.db.get(revocationId);
    if (!pending) return null;
    const attempts = pending.attempts + 1;
    const plan = revocationRetryPlan({ attempts, firstFailedAt: pending.firstFailedAt, retryAfterSeconds }, Date.now());
    if (!plan.retry) {
      await revocationSettled(ctx, { ...pending, attempts }, { revoked: false, message });
      return null;
    }
    const jobId = await ctx.scheduler.runAt(plan.at, internal.connections.revocations.retry, { revocationId });
    await ctx.db.patch(revocationId, { attempts, nextAttemptAt: plan.at, lastError: message, jobId });
    return null;
  },
});

/** Ends a pending revocation: revoked, or given up (with why). */
export const settle = internalMutation({
  args: { revocationId: v.id("pendingRevocations"), revoked: v.boolean(), message: v.optional(v.string()) },
  handler: async (ctx, { revocationId, revoked, message }) => {
    const pending = await ctx.db.get(revocationId);
    if (!pending) return null;
    await revocationSettled(ctx, pending, revoked ? { revoked: true } : { revoked: false, message: message ?? "" });
    return null;
  },
});

/** One more attempt at a pending revocation. */
export const retry = internalAction({
  args: { revocationId: v.id("pendingRevocations") },
  handler: async (ctx, { revocationId }): Promise<"revoked" | "retry" | "given_up" | "gone"> => {
    const pending = await ctx.runQuery(internal.connections.revocations.get, { revocationId });
    if (!pending) return "gone";
    const giveUp = async (message: string) => {
      await ctx.runMutation(internal.connections.revocations.settle, { revocationId, revoked: false, message });
      return "given_up" as const;
    };
    const provider = resolvedProvider(pending.providerId);
    if (provider?.authKind !== "oauth2") return giveUp("The provider is no longer in the catalog.");
    const secrets = await decryptRowSecrets(pending);
    if (!secrets) return giveUp("The stored token could not be decrypted.");
    let client;
    try {
      client = oauthClientFor(provider);
    } catch {
      return giveUp(`${provider.displayName} is not set up on this deployment (no OAuth client).`);
    }
    const send = loggedTransport(ctx, {
      orgId: pending.orgId,
      provider,
      connectionId: pending.connectionId,
      actor: REVOCATION_ACTOR,
      correlationId: newCorrelationId(),
      secrets: [...Object.values(secrets), client.clientSecret],
      apiBase: connectionApiBase(provider, {}),
    });
    const tokens = { accessToken: secrets.accessToken ?? null, refreshToken: secrets.refreshToken ?? null };
    const result = await revokeGrant(provider, client, tokens, send);
    if (result.result === "revoked") {
      await ctx.runMutation(internal.connections.revocations.settle, { revocationId, revoked: true });
      return "revoked";
    }
    const why = `${provider.displayName} did not revoke the grant${result.status ? ` (HTTP ${result.status})` : " (no answer)"}.`;
    if (result.result !== "failed" || !result.retryable) return giveUp(why);
    await ctx.runMutation(internal.connections.revocations.failedAgain, {
      revocationId,
      message: why,
      retryAfterSeconds: result.retryAfterSeconds,
    });
    return "retry";
  },
});
