/**
 * The one way Switchboard calls a provider's API for an org: the internal `call`
 * action (for other Convex functions) and the admin's test request both run `runCall`:
 *
 * 1. check the input and the connection; refuse any URL outside the provider's API
 *    base before anything is decrypted or sent;
 * 2. decrypt the credential just in time, refreshing first (single flight) when the
 *    token is dead or about to be;
 * 3. send with the provider's headers and the credential, a timeout, retries for
 *    what is safe to repeat, one refresh-and-resend on a refused credential;
 * 4. write one call-log row (redacted, cut to 2 KB) and the connection's counters.
 *
 * It answers any HTTP status as a result (like `fetch`); it throws a coded
 * `ConvexError` (with `correlationId`) only when there is no answer to give.
 */
import { ConvexError, v, type Infer } from "convex/values";
import { ErrorCode, isErrorData } from "../../lib/errors";
import { pathUnderBase, resolveCallUrl } from "../../lib/http";
import {
  logMessage,
  logPath,
  requestExcerpt,
  requestHeaderProblem,
  responseExcerpt,
  type CallOutcome,
} from "../../lib/pipeline";
import { callApiBase, type Provider } from "../../lib/providers";
import { redactText } from "../../lib/redact";
import { checkOutboundUrl } from "../../lib/ssrf";
import { internalAction } from "../functions";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { outboundUrlOptions, resolvedProvider } from "../shared/env";
import { newCorrelationId, writeLogRow } from "../shared/providerHttp";
import type { SafeSendResult } from "../shared/safeHttp";
import { decryptRowSecrets } from "../shared/secrets";
import { actorValidator, callMethodValidator } from "../shared/validators";
import { callFailure, credentialForCall, type CallFailure } from "./credentials";
import type { CallLogRow } from "./logs";
import {
  CALL_DEFAULT_ATTEMPTS,
  CALL_MAX_ATTEMPTS_ALLOWED,
  CALL_MAX_RESPONSE_BYTES,
  CALL_MAX_TIMEOUT_MS,
  CALL_TIMEOUT_MS,
  sendCall, type Answer, type CallTransport, type OutgoingCall, type SendTrace } from "./send";

export const callArgs = {
  orgId: v.id("organizations"),
  providerId: v.string(),
  method: callMethodValidator,
  /** Relative to the provider's API base (may carry `?query`). */
  path: v.string(),
  query: v.optional(v.record(v.string(), v.string())),
  /** Sends allowed in all, 1–5 (default 3); a POST is only ever re-sent with an `Idempotency-Key`. */
  maxAttempts: v.optional(v.number()),
  headers: v.optional(v.record(v.string(), v.string())),
  /** The request body as text (JSON for the test request). */
  body: v.optional(v.string()),
  actor: actorValidator,
  /** Ties the call to the caller's own trace (a workflow run); one is made when absent. */
  correlationId: v.optional(v.string()),
  timeoutMs: v.optional(v.number()),
};
export const callInputValidator = v.object(callArgs);
export type CallInput = Infer<typeof callInputValidator>;

export type CallResult = {
  status: number;
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  latencyMs: number;
  correlationId: string;
  attempts: number;
};

export type CallOptions = {
  /** Remove the connection's own secrets from the answer (it is shown in a browser). */
  redactAnswer?: boolean;
  /**
   * The connection row, when the caller has just read it (an action run checks its status
   * and scopes first): the call then does not read it again. Must be the org's row for
   * the provider.
   */
  connection?: Doc<"connections"> | null;
};

const CORRELATION_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's correlation id when it is a sane one, else a new one. */
export function correlationIdFor(requested: string | undefined): string {
  return requested !== undefined && CORRELATION_ID.test(requested) ? requested : newCorrelationId();
}

/** The internal action behind every provider call made for an org by other Convex functions. */
export const call = internalAction({
  args: callArgs,
  handler: async (ctx, args): Promise<CallResult> => runCall(ctx, args),
});

/** Runs a call and logs it; see the module comment. */
export async function runCall(ctx: ActionCtx, input: CallInput, options: CallOptions = {}): Promise<CallResult> {
  const correlationId = correlationIdFor(input.correlationId);
  const started = Date.now();
  const trace: SendTrace = { attempts: 0, secrets: new Set() };
  const context: { connectionId?: Doc<"connections">["_id"]; path: string } = { path: input.path };
  let result: Answer | CallFailure;
  try {
    result = await attemptCall(ctx, input, trace, context, correlationId, options.connection);
  } catch (error) {
    result = failureOfThrown(error, correlationId);
  }
  const latencyMs = Date.now() - started;
  const secrets = [...trace.secrets];
  await writeLogRow(ctx, logRow(input, context, trace, result, { correlationId, started, latencyMs }));
  if (!result.ok) {
    throw new ConvexError({
      code: result.code,
      message: `${redactText(result.message, secrets)} (reference ${correlationId})`,
      correlationId,
      outcome: result.outcome,
    });
  }
  const scrub = (text: string) => (options.redactAnswer ? redactText(text, secrets) : text);
  return {
    status: result.status,
    headers: Object.fromEntries(Object.entries(result.headers).map(([name, value]) => [name, scrub(value)])),
    body: scrub(result.body),
    bodyTruncated: result.bodyTruncated,
    latencyMs,
    correlationId,
    attempts: trace.attempts,
  };
}

/**
 * A coded error from below (a misconfigured deployment, say) keeps its code; anything
 * else is a bug, not a provider problem. Either way the call is still logged, so its
 * correlation id finds something.
 */
function failureOfThrown(error: unknown, correlationId: string): CallFailure {
  const data = error instanceof ConvexError ? (error.data as unknown) : undefined;
  if (isErrorData(data)) return callFailure(data.code, "refused", data.message);
  // The name only: a message could quote a URL with its query.
  console.error(`call ${correlationId} failed unexpectedly: ${(error as Error | null)?.name ?? "Error"}`);
  return callFailure(ErrorCode.PROVIDER_UNAVAILABLE, "provider_unavailable", "The call failed unexpectedly.");
}

async function attemptCall(
  ctx: ActionCtx,
  input: CallInput,
  trace: SendTrace,
  context: { connectionId?: Doc<"connections">["_id"]; path: string },
  correlationId: string,
  known: Doc<"connections"> | null | undefined,
): Promise<Answer | CallFailure> {
  const provider = resolvedProvider(input.providerId);
  if (!provider) return callFailure(ErrorCode.NOT_FOUND, "refused", `There is no provider called "${input.providerId}".`);
  const invalid = inputProblem(provider, input);
  if (invalid) return invalid;
  if (known && (known.orgId !== input.orgId || known.providerId !== provider.id)) {
    throw new Error("runCall was given another org's or provider's connection");
  }
  const row: Doc<"connections"> | null =
    known !== undefined
      ? known
      : await ctx.runQuery(internal.integrations.store.getConnection, { orgId: input.orgId, providerId: provider.id });
  if (!row || row.status === "disconnected") {
    return callFailure(ErrorCode.NOT_CONNECTED, "not_connected", `${provider.displayName} is not connected.`);
  }
  context.connectionId = row._id;
  if (provider.authKind === "webhook_url") return attemptWebhookCall(ctx, provider, row, input, trace, context, correlationId);
  const target = targetUrl(provider, row, input);
  if (!target.ok) {
    // Nothing is sent, but the refused input may quote the credential: learn it, to redact it from the log.
    await rememberSecretsOf(row, trace);
    return target.failure;
  }
  context.path = target.logPath;
  const credential = await credentialForCall(ctx, provider, row, input.actor, correlationId);
  if (!credential.ok) return credential;
  trace.refresh = credential.refresh;
  return sendCall(ctx, provider, outgoing(input, target, correlationId), credential, trace);
}

function outgoing(input: CallInput, target: { url: URL; logPath: string }, correlationId: string): OutgoingCall {
  return {
    url: target.url,
    logPath: target.logPath,
    method: input.method,
    headers: input.headers ?? {},
    body: input.body,
    timeoutMs: Math.min(Math.max(1, input.timeoutMs ?? CALL_TIMEOUT_MS), CALL_MAX_TIMEOUT_MS),
    maxAttempts: Math.min(Math.max(1, Math.floor(input.maxAttempts ?? CALL_DEFAULT_ATTEMPTS)), CALL_MAX_ATTEMPTS_ALLOWED),
    actor: input.actor,
    correlationId,
  };
}

/**
 * A webhook provider's call goes to its stored URL, which is the credential: decrypted
 * first, checked as at connect time (the SSRF guard, the provider's URL prefixes), and
 * logged as its host only.
 */
async function attemptWebhookCall(
  ctx: ActionCtx,
  provider: Provider & { authKind: "webhook_url" },
  row: Doc<"connections">,
  input: CallInput,
  trace: SendTrace,
  context: { connectionId?: Doc<"connections">["_id"]; path: string },
  correlationId: string,
): Promise<Answer | CallFailure> {
  const credential = await credentialForCall(ctx, provider, row, input.actor, correlationId);
  if (!credential.ok) return credential;
  const stored = credential.secrets[provider.webhook.urlField] ?? row.config[provider.webhook.urlField] ?? "";
  const refused = (message: string) => callFailure(ErrorCode.UNSAFE_URL, "refused", message);
  if (!URL.canParse(stored)) return refused(`${provider.displayName} has no webhook URL for this connection.`);
  const url = new URL(stored);
  context.path = `${url.host} (webhook URL)`;
  const outbound = checkOutboundUrl(url, outboundUrlOptions());
  if (!outbound.ok) return refused(`The webhook URL of this connection is not allowed (${outbound.reason}).`);
  const prefixes = provider.webhook.allowedUrlPrefixes;
  if (prefixes && !prefixes.some((prefix) => stored.startsWith(prefix))) {
    return refused(`The webhook URL of this connection does not start with ${prefixes[0]}.`);
  }
  const call = { ...outgoing(input, { url, logPath: context.path }, correlationId), transport: safeTransport(ctx) };
  return sendCall(ctx, provider, call, credential, trace);
}

/**
 * The transport of webhook providers: the Node sender that resolves the host, checks
 * every address and connects to the one it checked (convex/shared/safeHttp.ts), the
 * same one outbound webhooks use. A string check alone cannot stop a name that
 * resolves to a private address.
 */
function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => (record[name] = value));
  return record;
}

function safeTransport(ctx: ActionCtx): CallTransport {
  return async (request, options) => {
    const sent: SafeSendResult = await ctx.runAction(internal.shared.safeHttp.send, {
      url: request.url.href,
      method: request.method,
      headers: headerRecord(request.headers),
      ...(request.body !== undefined ? { body: request.body } : {}),
      timeoutMs: options.timeoutMs ?? CALL_TIMEOUT_MS,
      maxResponseBytes: options.maxResponseBytes ?? CALL_MAX_RESPONSE_BYTES,
    });
    const { ending } = sent;
    if (ending.kind === "response") {
      return {
        kind: "response",
        status: ending.status,
        headers: new Headers(sent.headers),
        body: sent.body,
        bodyTruncated: sent.bodyTruncated,
        retryAfterSeconds: ending.retryAfterSeconds,
      };
    }
    return ending.kind === "network_error" ? { kind: "network_error" } : ending;
  };
}

async function rememberSecretsOf(row: Doc<"connections">, trace: SendTrace) {
  const secrets = (await decryptRowSecrets(row)) ?? {};
  for (const value of Object.values(secrets)) if (value) trace.secrets.add(value);
}

/** What is wrong with the request itself, before any connection is read. */
function inputProblem(provider: Provider, input: CallInput): CallFailure | null {
  if (provider.authKind === "webhook_url" && (input.path !== "" || Object.keys(input.query ?? {}).length > 0)) {
    return callFailure(
      ErrorCode.INVALID_INPUT,
      "refused",
      `${provider.displayName} is a webhook: a call goes to its stored URL, with no path or query of its own.`,
    );
  }
  const header = requestHeaderProblem(input.headers ?? {});
  if (header) {
    const why = header.reason === "reserved" ? "is set by Switchboard and cannot be overridden" : "is not a valid header";
    return callFailure(ErrorCode.INVALID_INPUT, "refused", `The header "${header.name}" ${why}.`);
  }
  if (input.body !== undefined && (input.method === "GET" || input.method === "HEAD")) {
    return callFailure(ErrorCode.INVALID_INPUT, "refused", `A ${input.method} request cannot have a body.`);
  }
  return null;
}

type Target = { ok: true; url: URL; logPath: string } | { ok: false; failure: CallFailure };

/**
 * The URL the call goes to, refused unless it lies under the connection's API base
 * and passes the SSRF guard (a base found at connect time, like Salesforce's
 * instance URL, is checked again here).
 */
function targetUrl(provider: Provider, row: Doc<"connections">, input: CallInput): Target {
  const base = callApiBase(provider, row.config);
  const refused = (message: string): Target => ({
    ok: false,
    failure: callFailure(ErrorCode.UNSAFE_URL, "refused", message),
  });
  if (!base) return refused(`${provider.displayName} has no API address for this connection.`);
  const resolved = resolveCallUrl(base, input.path, input.query ?? {});
  if (!resolved.ok) return refused(resolved.message);
  const outbound = checkOutboundUrl(resolved.url, outboundUrlOptions());
  if (!outbound.ok) return refused(`The API address of this connection is not allowed (${outbound.reason}).`);
  return { ok: true, url: resolved.url, logPath: pathUnderBase(resolved.url, base) };
}

function logRow(
  input: CallInput,
  context: { connectionId?: Doc<"connections">["_id"]; path: string },
  trace: SendTrace,
  result: Answer | CallFailure,
  timing: { correlationId: string; started: number; latencyMs: number },
): CallLogRow {
  const secrets = [...trace.secrets];
  const outcome: CallOutcome = result.outcome;
  return {
    orgId: input.orgId,
    connectionId: context.connectionId,
    providerId: input.providerId.slice(0, 64),
    actor: input.actor,
    purpose: "call",
    method: input.method,
    path: logPath(context.path, secrets),
    status: result.ok ? result.status : null,
    outcome,
    latencyMs: timing.latencyMs,
    attempts: trace.attempts,
    refresh: trace.refresh,
    correlationId: timing.correlationId,
    // A call refused before sending logs what the caller asked for, redacted the same way.
    request:
      trace.request ??
      requestExcerpt({ method: input.method, path: input.path, headers: input.headers ?? {}, body: input.body ?? null }, secrets),
    response: result.ok ? responseExcerpt({ status: result.status, headers: result.headers, body: result.body }, secrets) : undefined,
    responseTruncated: result.ok && result.bodyTruncated ? true : undefined,
    errorCode: result.ok ? undefined : result.code,
    errorMessage: result.ok ? undefined : logMessage(result.message, secrets),
    at: timing.started,
  };
}
