/**
 * The credential a call sends: decrypted just in time, refreshed first (through the
 * single flight) when the token is dead or about to be. Helpers for the pipeline
 * action; not a function module.
 */
import { ErrorCode } from "../../lib/errors";
import type { CallOutcome } from "../../lib/pipeline";
import type { OAuth2Provider, Provider } from "../../lib/providers";
import { callRefreshDecision } from "../../lib/refresh/plan";
import { maintenanceInput } from "../connections/maintenance";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { refreshSingleFlight, type SingleFlightResult } from "../refresh/singleFlight";
import { decryptRowSecrets } from "../shared/secrets";
import type { Actor } from "../shared/validators";

/** A failure that ends a call before (or instead of) a provider's answer. */
export type CallFailure = { ok: false; code: ErrorCode; outcome: CallOutcome; message: string };

export type Credential = {
  ok: true;
  row: Doc<"connections">;
  secrets: Record<string, string>;
  /** Set when this call refreshed the token, or waited for someone else's refresh. */
  refresh?: "refreshed" | "waited";
};

export function callFailure(code: ErrorCode, outcome: CallOutcome, message: string): CallFailure {
  return { ok: false, code, outcome, message };
}

/** How a single-flight refresh reads to a call: the row to use, or why there is none. */
export function credentialRowAfter(
  result: SingleFlightResult,
  provider: Provider,
  mustRefresh: boolean,
): { row: Doc<"connections"> | null; refresh?: Credential["refresh"]; failure?: CallFailure } {
  switch (result.kind) {
    case "refreshed":
      return { row: result.row, refresh: "refreshed" };
    case "fresh":
      return { row: result.row, refresh: result.waited ? "waited" : undefined };
    case "blocked":
    case "unrefreshable":
      // Send what we have: the provider's answer says more than a guess would.
      return { row: result.row };
    case "gone":
      return { row: null, failure: callFailure(ErrorCode.NOT_CONNECTED, "not_connected", "This provider is not connected.") };
    case "failed":
      if (result.statusReason) {
        return {
          row: null,
          failure: callFailure(ErrorCode.RECONNECT_REQUIRED, "credential_error", `${provider.displayName}: ${result.message}`),
        };
      }
      return mustRefresh ? { row: null, failure: unavailable(provider, result.message) } : { row: null };
    case "busy":
      return mustRefresh
        ? { row: null, failure: unavailable(provider, "Another token refresh is still running.") }
        : { row: null };
    default:
      return result satisfies never;
  }
}

function unavailable(provider: Provider, detail: string): CallFailure {
  return callFailure(
    ErrorCode.PROVIDER_UNAVAILABLE,
    "provider_unavailable",
    `${provider.displayName}'s token could not be refreshed, so the call was not sent. ${detail}`,
  );
}

/**
 * The connection's secrets for this call, refreshing first when the token is dead
 * or nearly so. A connection in error is not refreshed (only a person can fix it).
 */
export async function credentialForCall(
  ctx: ActionCtx,
  provider: Provider,
  row: Doc<"connections">,
  actor: Actor,
  correlationId: string,
): Promise<Credential | CallFailure> {
  let current = row;
  let refresh: Credential["refresh"];
  if (provider.authKind === "oauth2" && row.status !== "error") {
    const now = Date.now();
    const decision = callRefreshDecision(maintenanceInput(row, provider), now);
    if (decision.should) {
      const result = await refreshSingleFlight(
        ctx,
        provider as OAuth2Provider,
        row._id,
        { kind: "expiring", validUntil: now + decision.thresholdMs, decidedAt: now },
        "call",
        { correlationId },
      );
      const after = credentialRowAfter(result, provider, decision.reason === "expired");
      if (after.failure) return after.failure;
      current = after.row ?? row;
      refresh = after.refresh;
    }
  }
  return decryptForCall(ctx, provider, current, actor, refresh);
}

/** Decrypts the row's secrets; an unreadable credential is the connection's fault and is marked so. */
export async function decryptForCall(
  ctx: ActionCtx,
  provider: Provider,
  row: Doc<"connections">,
  actor: Actor,
  refresh?: Credential["refresh"],
): Promise<Credential | CallFailure> {
  const secrets = await decryptRowSecrets(row);
  if (secrets) return { ok: true, row, secrets, refresh };
  const message = "The stored credential could not be decrypted. Reconnect to fix it.";
  await ctx.runMutation(internal.refresh.state.markBroken, {
    connectionId: row._id,
    reason: "decrypt_failed",
    failedSecrets: row.secrets,
    actor,
    message,
    source: "call",
  });
  return callFailure(ErrorCode.RECONNECT_REQUIRED, "credential_error", `${provider.displayName}: ${message}`);
}
