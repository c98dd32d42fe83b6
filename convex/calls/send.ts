/**
 * Sending one call: build the request (provider headers, caller headers, the
 * credential), fetch with a timeout and without following redirects, retry what is
 * safe to retry, and on a refused credential refresh once and send again. Helpers
 * for the pipeline action; not a function module.
 */
import { ErrorCode } from "../../lib/errors";
import {
  applyCredential,
  DEFAULT_RETRY_POLICY,
  isCredentialRefused,
  providerHeaders,
  retryDecision,
  sendRequest,
  type AttemptResult,
  type CallMethod,
  type HttpAnswer,
  type ProviderRequest,
  type SendOptions,
  type SendResult,
} from "../../lib/http";
import { outcomeOfStatus, requestExcerpt, safeResponseHeaders, type CallOutcome } from "../../lib/pipeline";
import type { OAuth2Provider, Provider } from "../../lib/providers";
import { internal } from "../_generated/api";
import type { ActionCtx } from "../_generated/server";
import { refreshSingleFlight } from "../refresh/singleFlight";
import type { Actor } from "../shared/validators";
import { callFailure, credentialRowAfter, decryptForCall, type CallFailure, type Credential } from "./credentials";

/** Per-attempt time limit unless the caller asks for less (or more, up to the maximum). */
export const CALL_TIMEOUT_MS = 30_000;
export const CALL_MAX_TIMEOUT_MS = 120_000;
/** Most bytes of an answer read; the rest is not read (the stream is cancelled) and the answer is flagged truncated. */
export const CALL_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Sends per call unless the caller asks otherwise, and the most it may ask for. */
export const CALL_DEFAULT_ATTEMPTS = DEFAULT_RETRY_POLICY.maxAttempts;
export const CALL_MAX_ATTEMPTS_ALLOWED = 5;

export type OutgoingCall = {
  url: URL;
  /** The path as logs show it (relative to the API base, before the credential is added). */
  logPath: string;
  method: CallMethod;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
  /** Sends allowed for a request that is safe to repeat (see retryDecision). */
  maxAttempts: number;
  actor: Actor;
  correlationId: string;
  /**
   * How the request goes out: `sendRequest` (fetch) unless given. Webhook providers, whose
   * URL an admin typed, send through the resolving SSRF-safe sender, which may refuse.
   */
  transport?: CallTransport;
};

/** A sender for the pipeline: `sendRequest`'s endings, or a refusal of the address before anything was sent. */
export type CallTransport = (
  request: ProviderRequest,
  options: SendOptions,
) => Promise<SendResult | { kind: "refused"; message: string }>;

export type Answer = {
  ok: true;
  status: number;
  outcome: CallOutcome;
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
};

/** What the log needs to know about the sending, whatever the ending. */
export type SendTrace = {
  attempts: number;
  refresh?: "refreshed" | "waited";
  /** The last request as sent, redacted; set once a request was built. */
  request?: string;
  /** Every secret value the call held, for redaction by value. */
  secrets: Set<string>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function buildRequest(provider: Provider, call: OutgoingCall, credential: Credential) {
  const url = new URL(call.url);
  const headers = providerHeaders(provider, call.headers);
  if (call.body !== undefined && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  // Last, so nothing the caller set can replace or redirect the credential.
  applyCredential(provider, { secrets: credential.secrets, config: credential.row.config }, url, headers);
  return { url, headers };
}

function attemptResult(attempt: SendResult): AttemptResult {
  return attempt.kind === "response"
    ? { kind: "response", status: attempt.status, retryAfterSeconds: attempt.retryAfterSeconds }
    : { kind: attempt.kind };
}

function rememberSecrets(trace: SendTrace, secrets: Record<string, string>) {
  for (const value of Object.values(secrets)) if (value) trace.secrets.add(value);
}

/**
 * Sends the call: retries idempotent requests on 429/502/503/504 (honouring a capped
 * `Retry-After`) and network errors; on a refused credential, refreshes once where
 * the provider supports it and sends again, else marks the connection unauthorized.
 */
export async function sendCall(
  ctx: ActionCtx,
  provider: Provider,
  call: OutgoingCall,
  firstCredential: Credential,
  trace: SendTrace,
): Promise<Answer | CallFailure> {
  let credential = firstCredential;
  let retriedAfterRefusal = false;
  let attempt = 0;
  rememberSecrets(trace, credential.secrets);
  for (;;) {
    attempt += 1;
    trace.attempts += 1;
    const { url, headers } = buildRequest(provider, call, credential);
    trace.request = requestExcerpt(
      { method: call.method, path: call.logPath, headers, body: call.body ?? null },
      [...trace.secrets],
    );
    const sent = await (call.transport ?? sendRequest)(
      { purpose: "call", method: call.method, url, headers, body: call.body },
      { timeoutMs: call.timeoutMs, maxResponseBytes: CALL_MAX_RESPONSE_BYTES },
    );
    if (sent.kind === "refused") return callFailure(ErrorCode.UNSAFE_URL, "refused", sent.message);

    if (sent.kind === "response" && isCredentialRefused(provider, sent.status, sent.body)) {
      const next: AfterRefusal = retriedAfterRefusal
        ? { kind: "cannot_refresh" }
        : await refreshAfterRefusal(ctx, provider, credential, call);
      switch (next.kind) {
        case "resend":
          credential = next.credential;
          trace.refresh = next.credential.refresh ?? trace.refresh;
          rememberSecrets(trace, credential.secrets);
          retriedAfterRefusal = true;
          attempt -= 1; // the resend after a refresh is not a retry of the same request
          continue;
        case "dead":
          return next.failure;
        case "try_later":
          // The refresh itself hit an outage: the credential is not proven dead, so nothing is marked.
          return answerOf(sent, "unauthorized");
        case "cannot_refresh":
          await markUnauthorized(ctx, provider, credential, call.actor);
          return answerOf(sent, "unauthorized");
        default:
          return next satisfies never;
      }
    }

    const decision = retryDecision(
      { method: call.method, headers: call.headers, attempt, result: attemptResult(sent) },
      { ...DEFAULT_RETRY_POLICY, maxAttempts: call.maxAttempts },
    );
    if (decision.retry) {
      await sleep(decision.delayMs);
      continue;
    }
    return finalAnswer(provider, call, sent);
  }
}

/** The call's result once no retry is left: the provider's answer, or why there is none. */
function finalAnswer(provider: Provider, call: OutgoingCall, sent: SendResult): Answer | CallFailure {
  switch (sent.kind) {
    case "response":
      return answerOf(sent, outcomeOfStatus(sent.status));
    case "timeout":
      return callFailure(
        ErrorCode.PROVIDER_UNAVAILABLE,
        "timeout",
        `${provider.displayName} did not answer within ${call.timeoutMs / 1000} s.`,
      );
    case "network_error":
      return callFailure(ErrorCode.PROVIDER_UNAVAILABLE, "network_error", `${provider.displayName} could not be reached.`);
    default:
      return sent satisfies never;
  }
}

function answerOf(sent: HttpAnswer, outcome: CallOutcome): Answer {
  return {
    ok: true,
    status: sent.status,
    outcome,
    headers: safeResponseHeaders(sent.headers),
    body: sent.body,
    bodyTruncated: sent.bodyTruncated,
  };
}

type AfterRefusal =
  | { kind: "resend"; credential: Credential }
  | { kind: "dead"; failure: CallFailure }
  | { kind: "try_later" }
  | { kind: "cannot_refresh" };

/**
 * After a refused credential: one single-flight refresh (joined by every call that
 * was refused the same token), then the new credential to send again with.
 */
async function refreshAfterRefusal(
  ctx: ActionCtx,
  provider: Provider,
  credential: Credential,
  call: OutgoingCall,
): Promise<AfterRefusal> {
  const { row } = credential;
  if (provider.authKind !== "oauth2" || !provider.refresh.supported || !row.secrets.refreshToken) {
    return { kind: "cannot_refresh" };
  }
  if (row.status === "error" || !row.secrets.accessToken) return { kind: "cannot_refresh" };
  const result = await refreshSingleFlight(
    ctx,
    provider as OAuth2Provider,
    row._id,
    { kind: "rejected", accessToken: row.secrets.accessToken },
    "unauthorized",
    { correlationId: call.correlationId },
  );
  const after = credentialRowAfter(result, provider, true);
  if (after.failure) {
    return after.failure.code === ErrorCode.RECONNECT_REQUIRED ? { kind: "dead", failure: after.failure } : { kind: "try_later" };
  }
  if (!after.row || after.row.secrets.accessToken === row.secrets.accessToken) return { kind: "cannot_refresh" };
  const next = await decryptForCall(ctx, provider, after.row, call.actor, after.refresh);
  return next.ok ? { kind: "resend", credential: next } : { kind: "dead", failure: next };
}

async function markUnauthorized(ctx: ActionCtx, provider: Provider, credential: Credential, actor: Actor) {
  await ctx.runMutation(internal.refresh.state.markBroken, {
    connectionId: credential.row._id,
    reason: "unauthorized",
    failedSecrets: credential.row.secrets,
    actor,
    message: `${provider.displayName} refused the stored credential.`,
    source: "call",
  });
}
