/**
 * The step contract: `internal.providerActions.run.run` runs one provider action for an org.
 * (Not `convex/actions/`: Convex reserves that folder for Node.js-only files.)
 *
 *   const result = await ctx.runAction(internal.providerActions.run.run, {
 *     orgId, actionId: "slack.post_message", input: { channel, text }, actor,
 *   });
 *   if (result.ok) result.output.ts; else result.error.code; // closed set, lib/actions/errors.ts
 *
 * In order: the action and its input (`invalid_input` with per-field messages), the
 * idempotency key, the connection (`not_connected`, `auth_revoked`), the scopes it was
 * granted (`missing_scope`, before anything leaves), then one request through the call
 * pipeline (credential, refresh, retries, the call log) and the answer mapped to the
 * output schema or a typed error. It never throws for a provider's failure.
 */
import { ConvexError } from "convex/values";
import {
  actionAnswer,
  buildRequest,
  canonicalJson,
  encodeActionBody,
  getAction,
  missingScope,
  parseInput,
  readAnswer,
  type ActionError,
  type AnyAction,
} from "../../lib/actions";
import { ErrorCode, isErrorData } from "../../lib/errors";
import { sha256Hex } from "../../lib/hash";
import { internalAction } from "../functions";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { correlationIdFor, runCall, type CallResult } from "../calls/pipeline";
import { resolvedProvider } from "../shared/env";
import { emitWebhookEvent } from "../webhooks/outbound/emit";
import { IDEMPOTENCY_KEY } from "./idempotency";
import { actionResultValidator, runActionArgs, type ActionResult, type RunActionArgs } from "./validators";

export const run = internalAction({
  args: runActionArgs,
  returns: actionResultValidator,
  handler: async (ctx, args): Promise<ActionResult> => runAction(ctx, args),
});

/** How often, and how long, a run waits for an earlier run with the same idempotency key. */
const WAIT_POLL_MS = 250;
const WAIT_MAX_MS = 60_000;

/** Runs an action (see the module comment); the Try-it form and the API call this too. */
export async function runAction(ctx: ActionCtx, args: RunActionArgs): Promise<ActionResult> {
  const result = await runActionOnce(ctx, args);
  const action = getAction(args.actionId);
  if (action && !result.replayed) await emitActionEvent(ctx, args, action, result.result);
  return result.result;
}

/** action.succeeded or action.failed, scheduled: the webhook fan-out never slows or fails the action. */
async function emitActionEvent(ctx: ActionCtx, args: RunActionArgs, action: AnyAction, result: ActionResult) {
  const identity = { actionId: action.id, providerId: action.providerId, correlationId: result.correlationId };
  if (result.ok) await emitWebhookEvent(ctx, args.orgId, "action.succeeded", identity);
  else {
    const { code, message, retryable } = result.error;
    await emitWebhookEvent(ctx, args.orgId, "action.failed", { ...identity, code, message, retryable });
  }
}

/** The run's result; `replayed` when it is an earlier run's, given again for its idempotency key. */
async function runActionOnce(ctx: ActionCtx, args: RunActionArgs): Promise<{ result: ActionResult; replayed: boolean }> {
  const fresh = (result: ActionResult) => ({ result, replayed: false });
  const correlationId = correlationIdFor(args.correlationId);
  const failed = (error: ActionError): ActionResult => ({ ok: false, error, correlationId });
  const action = getAction(args.actionId);
  if (!action) return fresh(failed(inputError(`There is no action called "${args.actionId}".`)));
  const parsed = parseInput(action, args.input);
  if (!parsed.ok) return fresh(failed(parsed.error));
  if (args.idempotencyKey === undefined) return fresh(await execute(ctx, action, parsed.input, args, correlationId));

  const key = args.idempotencyKey;
  if (!IDEMPOTENCY_KEY.test(key)) {
    return fresh(failed(inputError("An idempotency key is 1 to 255 printable ASCII characters without spaces.")));
  }
  const inputHash = await sha256Hex(`${action.id}\n${canonicalJson(parsed.input)}`);
  const started = Date.now();
  for (;;) {
    const claim = await ctx.runMutation(internal.providerActions.idempotency.claim, {
      orgId: args.orgId,
      idempotencyKey: key,
      actionId: action.id,
      inputHash,
      correlationId,
    });
    if (claim.kind === "done") return { result: claim.result, replayed: true };
    if (claim.kind === "mismatch") {
      return fresh(failed(inputError("This idempotency key was already used with another action or input; use a new key.")));
    }
    if (claim.kind === "claimed") break;
    if (Date.now() - started > WAIT_MAX_MS) {
      return fresh(failed({ code: "timeout", message: "An earlier run with this idempotency key is still in progress.", retryable: true }));
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
  let result: ActionResult;
  try {
    result = await execute(ctx, action, parsed.input, args, correlationId);
  } catch (error) {
    await ctx.runMutation(internal.providerActions.idempotency.release, { orgId: args.orgId, idempotencyKey: key, correlationId });
    throw error;
  }
  await ctx.runMutation(internal.providerActions.idempotency.complete, {
    orgId: args.orgId,
    idempotencyKey: key,
    correlationId,
    result,
  });
  return fresh(result);
}

function inputError(message: string): ActionError {
  return { code: "invalid_input", message, retryable: false };
}

async function execute(
  ctx: ActionCtx,
  action: AnyAction,
  input: unknown,
  args: RunActionArgs,
  correlationId: string,
): Promise<ActionResult> {
  const failed = (error: ActionError): ActionResult => ({ ok: false, error, correlationId });
  const provider = resolvedProvider(action.providerId);
  if (!provider) return failed({ code: "provider_error", message: `${action.providerId} is not offered here.`, retryable: false });
  const row: Doc<"connections"> | null = await ctx.runQuery(internal.integrations.store.getConnection, {
    orgId: args.orgId,
    providerId: provider.id,
  });
  if (!row || row.status === "disconnected") {
    return failed({ code: "not_connected", message: `${provider.displayName} is not connected.`, retryable: false });
  }
  if (row.status === "error" && row.statusReason) {
    return failed({
      code: "auth_revoked",
      message: `${provider.displayName} needs to be reconnected${row.lastError ? `: ${row.lastError}` : "."}`,
      retryable: false,
    });
  }
  const scope = missingScope(action.scopes, row.scopes);
  if (scope) {
    return failed({
      code: "missing_scope",
      message: `${provider.displayName} was connected without the scope ${scope}; reconnect it and grant ${scope}.`,
      retryable: false,
    });
  }
  const built = buildRequest(action, input, {
    config: row.config,
    accountId: row.accountId,
    scopes: row.scopes,
    correlationId,
  });
  if (!built.ok) return failed(built.error);
  const { request } = built;
  const body = encodeActionBody(request.body);
  const headers = { ...(request.headers ?? {}) };
  if (body && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
    headers["Content-Type"] = body.contentType;
  }
  let answer: CallResult;
  try {
    answer = await runCall(ctx, {
      orgId: args.orgId,
      providerId: provider.id,
      method: request.method,
      path: request.path,
      ...(request.query ? { query: request.query } : {}),
      headers,
      ...(body ? { body: body.text } : {}),
      ...(request.maxAttempts !== undefined ? { maxAttempts: request.maxAttempts } : {}),
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
      actor: args.actor,
      correlationId,
    }, { connection: row });
  } catch (error) {
    return failed(errorOfCall(error, provider.displayName));
  }
  const read = readAnswer(action, input, actionAnswer(answer.status, answer.headers, answer.body), provider.displayName);
  return read.ok ? { ok: true, output: read.output, correlationId } : failed(read.error);
}

/** The pipeline's coded error (no answer was given) as the step contract's error. */
function errorOfCall(error: unknown, providerName: string): ActionError {
  const data = error instanceof ConvexError ? (error.data as unknown) : undefined;
  if (!isErrorData(data)) throw error;
  const outcome = (data as { outcome?: string }).outcome;
  switch (data.code) {
    case ErrorCode.NOT_CONNECTED:
      return { code: "not_connected", message: data.message, retryable: false };
    case ErrorCode.RECONNECT_REQUIRED:
      return { code: "auth_revoked", message: data.message, retryable: false };
    case ErrorCode.INVALID_INPUT:
      return { code: "invalid_input", message: data.message, retryable: false };
    case ErrorCode.PROVIDER_UNAVAILABLE:
      return outcome === "timeout"
        ? { code: "timeout", message: data.message, retryable: true }
        : { code: "provider_error", message: data.message, retryable: true };
    default:
      return { code: "provider_error", message: `${providerName}: ${data.message}`, retryable: false };
  }
}
