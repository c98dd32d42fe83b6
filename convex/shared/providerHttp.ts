/**
 * The Convex side of the one way out to providers: a `Transport` that sends with
 * `sendRequest` (lib/http: no redirects, time limit, size cap) and writes every
 * exchange to the call log with its correlation id and actor, so token exchanges,
 * refreshes, revocations, connect-time checks, Test clicks and keep-alive checks
 * show in the provider page's call list and counters like calls do. (The call
 * pipeline writes its own, richer row per call; it sends with `sendRequest` too.)
 * Helpers for actions; not a function module.
 */
import { logsBodies, sendRequest, type SendOptions, type SendResult, type Transport } from "../../lib/http";
import { exchangeLogEntry, safeResponseHeaders } from "../../lib/pipeline";
import type { Provider } from "../../lib/providers";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import type { CallLogRow } from "../calls/logs";
import type { Actor } from "./validators";

/** How long after a failed log write the row is written again, in the background. */
export const LOG_RETRY_DELAY_MS = 5_000;

/**
 * Writes a call log row without ever costing the caller its provider's answer: a
 * failed write is tried once more at once, then scheduled again in the background
 * (and said in the deployment's log with its correlation id). A POST the provider
 * already carried out must not look failed because our log was unavailable.
 */
export async function writeLogRow(ctx: ActionCtx, row: CallLogRow): Promise<void> {
  let failure: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await ctx.runMutation(internal.calls.logs.record, row);
      return;
    } catch (error) {
      failure = error;
    }
  }
  // The name only: a message could quote the row.
  const why = (failure as { name?: string } | null)?.name ?? "Error";
  console.error(`call log ${row.correlationId}: the write failed (${why}); it is retried in the background`);
  try {
    await ctx.scheduler.runAfter(LOG_RETRY_DELAY_MS, internal.calls.logs.record, row);
  } catch {
    console.error(`call log ${row.correlationId}: the background retry could not be scheduled; the row is lost`);
  }
}

/** Who a series of exchanges is for, and what to keep out of their log rows. */
export type ExchangeScope = {
  orgId: Id<"organizations">;
  provider: Pick<Provider, "id" | "authKind">;
  connectionId?: Id<"connections">;
  actor: Actor;
  /** Shared by every exchange of one flow (a connect, a refresh, a disconnect). */
  correlationId: string;
  /** Secret values (tokens, passwords, client secrets) redacted from whatever is logged. */
  secrets?: readonly string[];
  /** The connection's API base, so requests under it are logged relative to it like calls. */
  apiBase?: string | null;
};

/** A correlation id for a flow that did not get one from its caller. */
export function newCorrelationId(): string {
  return `call_${crypto.randomUUID()}`;
}

/** A transport that logs each exchange under `scope`. */
export function loggedTransport(ctx: ActionCtx, scope: ExchangeScope): Transport {
  return async (request, options?: SendOptions): Promise<SendResult> => {
    const started = Date.now();
    const result = await sendRequest(request, options);
    const latencyMs = Date.now() - started;
    const entry = exchangeLogEntry(
      {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.body,
        logBodies: logsBodies(request.purpose),
        urlIsSecret: scope.provider.authKind === "webhook_url",
        apiBase: scope.apiBase,
      },
      result.kind === "response" ? { ...result, headers: safeResponseHeaders(result.headers) } : result,
      [...(scope.secrets ?? [])],
    );
    await writeLogRow(ctx, {
      orgId: scope.orgId,
      connectionId: scope.connectionId,
      providerId: scope.provider.id,
      actor: scope.actor,
      purpose: request.purpose,
      method: request.method,
      path: entry.path,
      status: entry.status,
      outcome: entry.outcome,
      latencyMs,
      attempts: 1,
      correlationId: scope.correlationId,
      request: entry.request,
      response: entry.response,
      responseTruncated: entry.responseTruncated,
      errorMessage: entry.errorMessage,
      at: started,
    });
    return result;
  };
}
