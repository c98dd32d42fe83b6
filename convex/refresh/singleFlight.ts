/**
 * The action side of single-flight refresh: take the lease or wait for whoever has
 * it, refresh, store. Used by the scheduled job, the call pipeline (before a call
 * and after a 401) and keep-alive. Not a function module.
 */
import { refreshTokens } from "../../lib/oauth/client";
import { OAuthError } from "../../lib/oauth/errors";
import { REFRESH_LEASE_TTL_MS, type RefreshFailure } from "../../lib/refresh/plan";
import { connectionApiBase, type OAuth2Provider } from "../../lib/providers";
import { REFRESH_ACTOR } from "../connections/transitions";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { oauthClientFor } from "../shared/env";
import { loggedTransport, newCorrelationId } from "../shared/providerHttp";
import { decryptRowSecrets, encryptSecrets } from "../shared/secrets";
import type { AcquireResult, RefreshNeed, RefreshTrigger } from "./lease";

/** How long a caller waits for someone else's refresh: a whole lease, and then some. */
export const LEASE_WAIT_MAX_MS = REFRESH_LEASE_TTL_MS + 5_000;
const POLL_FIRST_MS = 25;
const POLL_MAX_MS = 500;

export type SingleFlightResult =
  /** This caller refreshed; `row` holds the new tokens. */
  | { kind: "refreshed"; row: Doc<"connections"> }
  /** Nothing to do (anymore): someone refreshed, or the need had passed. `waited` when this caller waited for it. */
  | { kind: "fresh"; row: Doc<"connections">; waited: boolean }
  /** The refresh failed; `statusReason` is set when the connection went to error. */
  | { kind: "failed"; failure: RefreshFailure; message: string; statusReason: string | null }
  /** Someone else is still refreshing after the whole wait (or the caller chose not to wait). */
  | { kind: "busy" }
  /** The connection is in error, or has nothing to refresh with. */
  | { kind: "blocked" | "unrefreshable"; row: Doc<"connections"> }
  | { kind: "gone" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes sure `need` is met by at most one refresh across all actions: takes the
 * lease and refreshes, or waits for the holder and uses its result.
 */
export async function refreshSingleFlight(
  ctx: ActionCtx,
  provider: OAuth2Provider,
  connectionId: Id<"connections">,
  need: RefreshNeed,
  trigger: RefreshTrigger,
  options: { wait?: boolean; correlationId?: string } = {},
): Promise<SingleFlightResult> {
  const leaseId = crypto.randomUUID();
  const deadline = Date.now() + LEASE_WAIT_MAX_MS;
  let delay = POLL_FIRST_MS;
  let waited = false;
  for (;;) {
    const lease: AcquireResult = await ctx.runMutation(internal.refresh.lease.acquire, { connectionId, leaseId, need });
    switch (lease.kind) {
      case "acquired":
        try {
          return await refreshUnderLease(ctx, provider, lease.row, leaseId, trigger, options.correlationId ?? newCorrelationId());
        } catch (error) {
          // Not a verdict on the grant (a misconfigured deployment, a bug): free the lease for the next try.
          await ctx.runMutation(internal.refresh.lease.release, { connectionId, leaseId });
          throw error;
        }
      case "fresh":
        return { kind: "fresh", row: lease.row, waited };
      case "busy":
        if (options.wait === false || Date.now() + delay > deadline) return { kind: "busy" };
        waited = true;
        // Polling, because an action cannot subscribe; the lease is short and the step grows.
        await sleep(Math.min(delay, Math.max(0, lease.leaseExpiresAt - Date.now()) + 1));
        delay = Math.min(POLL_MAX_MS, delay * 2);
        continue;
      case "blocked":
      case "unrefreshable":
        return { kind: lease.kind, row: lease.row };
      case "gone":
        return { kind: "gone" };
      default:
        return lease satisfies never;
    }
  }
}

/** The refresh itself, with the lease held: decrypt, ask the token endpoint, store. */
async function refreshUnderLease(
  ctx: ActionCtx,
  provider: OAuth2Provider,
  row: Doc<"connections">,
  leaseId: string,
  trigger: RefreshTrigger,
  correlationId: string,
): Promise<SingleFlightResult> {
  const fail = async (failure: RefreshFailure, message: string, retryAfterSeconds?: number): Promise<SingleFlightResult> => {
    const { statusReason } = await ctx.runMutation(internal.refresh.lease.fail, {
      connectionId: row._id,
      leaseId,
      failure,
      message,
      trigger,
      retryAfterSeconds,
    });
    return { kind: "failed", failure, message, statusReason };
  };

  const secrets = await decryptRowSecrets(row);
  if (!secrets?.refreshToken) {
    return fail("decrypt_failed", "The stored refresh token could not be decrypted. Reconnect to fix it.");
  }
  let client;
  try {
    client = oauthClientFor(provider);
  } catch {
    return fail("not_configured", `${provider.displayName} is not set up on this deployment (no OAuth client).`);
  }
  const send = loggedTransport(ctx, {
    orgId: row.orgId,
    provider,
    connectionId: row._id,
    actor: REFRESH_ACTOR,
    correlationId,
    secrets: [secrets.refreshToken, client.clientSecret],
    apiBase: connectionApiBase(provider, row.config),
  });
  let tokens;
  try {
    tokens = await refreshTokens(provider, client, secrets.refreshToken, send);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    // OAuthError messages name the provider and its error code, never a token.
    return fail(error.failure, error.message, error.retryAfterSeconds);
  }

  const rotated = tokens.refreshToken !== null && tokens.refreshToken !== secrets.refreshToken;
  const fresh = await encryptSecrets(row.orgId, row.providerId, {
    accessToken: tokens.accessToken,
    ...(rotated ? { refreshToken: tokens.refreshToken! } : {}),
  });
  const stored = await ctx.runMutation(internal.refresh.lease.complete, {
    connectionId: row._id,
    leaseId,
    spentRefreshToken: row.secrets.refreshToken!,
    // Unchanged fields keep their ciphertexts: a refresh answer without a refresh token keeps the old one.
    secrets: { ...row.secrets, ...fresh },
    accessTokenExpiresAt: tokens.expiresAt ?? undefined,
    scopes: tokens.scopes ?? undefined,
    trigger,
    rotated,
  });
  if (!stored.row) return { kind: "gone" };
  return stored.stored ? { kind: "refreshed", row: stored.row } : { kind: "fresh", row: stored.row, waited: true };
}
