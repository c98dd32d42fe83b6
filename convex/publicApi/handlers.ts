/**
 * One handler per operation of the route table (lib/public-api/routes.ts); the type
 * requires one for every route. Each gets the key's caller and the validated input, and
 * answers its success body or a problem. Connection limits of the key apply here: a
 * key limited to some connections neither sees nor uses the others.
 */
import type { z } from "zod";
import { getAction, type ActionErrorCode } from "../../lib/actions";
import { getProvider } from "../../lib/providers";
import {
  openApiDocument,
  pageOf,
  problem,
  type OperationId,
  type Problem,
  type ProblemCode,
  ROUTES,
} from "../../lib/public-api";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { IDEMPOTENCY_KEY } from "../providerActions/idempotency";
import type { ActionResult } from "../providerActions/validators";
import type { Actor } from "../shared/validators";
import { badCursor, iso, isoOrNull } from "./answers";
import { EVENT_HANDLERS } from "./eventHandlers";
import { WEBHOOK_ENDPOINT_HANDLERS } from "./webhookEndpointHandlers";

/** Who is calling: the key that authenticated. */
export type Caller = {
  keyId: Id<"apiKeys">;
  orgId: Id<"organizations">;
  /** Providers the key may use; null = all. */
  providerIds: string[] | null;
  actor: Actor;
};

type Routes = typeof ROUTES;
type Field<K extends OperationId, F extends string> = Routes[K] extends Record<F, infer S> ? (S extends z.ZodType ? z.output<S> : never) : undefined;

export type HandlerInput<K extends OperationId> = {
  caller: Routes[K]["scope"] extends null ? null : Caller;
  params: Field<K, "params">;
  query: Field<K, "query">;
  body: Field<K, "body">;
  headers: Headers;
};
export type Answer<K extends OperationId> = { body: z.input<Routes[K]["success"]["schema"]> } | { problem: Problem };
export type Handler<K extends OperationId> = (ctx: ActionCtx, input: HandlerInput<K>) => Promise<Answer<K>>;


function allows(caller: Caller, providerId: string): boolean {
  return caller.providerIds === null || caller.providerIds.includes(providerId);
}

function notAllowed(providerId: string): { problem: Problem } {
  return { problem: problem("connection_not_allowed", `This key is not allowed to use the ${providerId} connection.`) };
}


type ConnectionRow = {
  providerId: string;
  status: "connected" | "refreshing" | "error" | "disconnected";
  statusReason: string | null;
  accountName: string | null;
  scopes: string[];
  connectedAt: number;
  lastUsedAt: number | null;
};

function presentConnection(row: ConnectionRow) {
  return {
    provider_id: row.providerId,
    display_name: getProvider(row.providerId)?.displayName ?? row.providerId,
    status: row.status,
    status_reason: row.statusReason,
    account_name: row.accountName,
    scopes: row.scopes,
    connected_at: iso(row.connectedAt),
    last_used_at: isoOrNull(row.lastUsedAt),
  };
}

type RunRow = {
  id: string;
  workflowId: string;
  workflowName: string;
  status: "queued" | "running" | "retrying" | "succeeded" | "failed" | "cancelled";
  triggerKind: string;
  createdAt: number;
  finishedAt: number | null;
  providerIds: string[];
  steps: Array<{
    key: string;
    name: string;
    actionId: string;
    status: "pending" | "running" | "succeeded" | "failed" | "cancelled";
    attempts: number;
    output: unknown;
    error: { code: string; message: string } | null;
    correlationId: string | null;
  }>;
};

function presentRun(run: RunRow) {
  return {
    id: run.id,
    workflow_id: run.workflowId,
    workflow_name: run.workflowName,
    status: run.status,
    trigger_kind: run.triggerKind,
    created_at: iso(run.createdAt),
    finished_at: isoOrNull(run.finishedAt),
    steps: run.steps.map((step) => ({
      key: step.key,
      name: step.name,
      action_id: step.actionId,
      status: step.status,
      attempts: step.attempts,
      output: step.output,
      error: step.error,
      correlation_id: step.correlationId,
    })),
  };
}

/** A failed action as a problem: the step contract's codes, the provider's rate limit told apart from the key's. */
function actionProblem(result: Extract<ActionResult, { ok: false }>): Problem {
  const codes: Record<ActionErrorCode, ProblemCode> = {
    invalid_input: "invalid_input",
    not_connected: "not_connected",
    missing_scope: "missing_scope",
    auth_revoked: "auth_revoked",
    rate_limited: "provider_rate_limited",
    provider_error: "provider_error",
    timeout: "timeout",
  };
  return problem(codes[result.error.code], result.error.message, {
    correlation_id: result.correlationId,
    retryable: result.error.retryable,
    ...(result.error.fields ? { errors: result.error.fields } : {}),
  });
}

export const HANDLERS: { [K in OperationId]: Handler<K> } = {
  listConnections: async (ctx, { caller, query }) => {
    const rows: ConnectionRow[] = await ctx.runQuery(internal.publicApi.data.connections, { orgId: caller.orgId });
    const page = pageOf(rows.filter((row) => allows(caller, row.providerId)).map(presentConnection), query.limit, query.cursor);
    return page ? { body: page } : badCursor();
  },

  getConnection: async (ctx, { caller, params }) => {
    if (!allows(caller, params.providerId)) return notAllowed(params.providerId);
    const row: ConnectionRow | null = await ctx.runQuery(internal.publicApi.data.connection, { orgId: caller.orgId, providerId: params.providerId });
    return row ? { body: presentConnection(row) } : { problem: problem("not_found", `There is no ${params.providerId} connection.`) };
  },

  listActions: async (ctx, { caller, query }) => {
    const actions: Array<{
      id: string;
      providerId: string;
      title: string;
      description: string;
      effect: string;
      scopes: ReadonlyArray<string | readonly string[]>;
      inputSchemaJson: string;
      outputSchemaJson: string;
      blockedBy: { kind: "not_connected" | "missing_scope"; scope?: string } | null;
    }> = await ctx.runQuery(internal.publicApi.data.actions, { orgId: caller.orgId });
    const shown = actions
      .filter((action) => allows(caller, action.providerId))
      .map((action) => ({
        id: action.id,
        provider_id: action.providerId,
        title: action.title,
        description: action.description,
        effect: action.effect,
        scopes: action.scopes.map((need) => (typeof need === "string" ? need : [...need])),
        input_schema: JSON.parse(action.inputSchemaJson) as Record<string, unknown>,
        output_schema: JSON.parse(action.outputSchemaJson) as Record<string, unknown>,
        blocked_by: action.blockedBy,
      }));
    const page = pageOf(shown, query.limit, query.cursor);
    return page ? { body: page } : badCursor();
  },

  runAction: async (ctx, { caller, params, body, headers }) => {
    const action = getAction(params.actionId);
    if (!action) return { problem: problem("not_found", `There is no action called "${params.actionId}".`) };
    if (!allows(caller, action.providerId)) return notAllowed(action.providerId);
    const idempotencyKey = headers.get("Idempotency-Key") ?? undefined;
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      const message = "An Idempotency-Key is 1 to 255 printable ASCII characters without spaces.";
      return { problem: problem("invalid_request", message, { errors: { "Idempotency-Key": message } }) };
    }
    const result: ActionResult = await ctx.runAction(internal.providerActions.run.run, {
      orgId: caller.orgId,
      actionId: action.id,
      input: body.input,
      actor: caller.actor,
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    });
    if (action.effect !== "read") {
      await ctx.runMutation(internal.publicApi.data.recordActionRun, {
        orgId: caller.orgId,
        actor: caller.actor,
        actionId: action.id,
        correlationId: result.correlationId,
        ok: result.ok,
      });
    }
    if (!result.ok) return { problem: actionProblem(result) };
    return { body: { action_id: action.id, output: result.output, correlation_id: result.correlationId } };
  },

  startWorkflowRun: async (ctx, { caller, params, body }) => {
    const started:
      | { ok: true; run: RunRow }
      | { ok: false; code: "not_found" | "connection_not_allowed" | "conflict" | "invalid_request"; message: string } = await ctx.runMutation(
      internal.publicApi.data.startRun,
      {
        orgId: caller.orgId,
        workflowId: params.workflowId,
        ...(body.input !== undefined ? { input: body.input } : {}),
        actor: caller.actor,
        allowedProviderIds: caller.providerIds,
      },
    );
    return started.ok ? { body: presentRun(started.run) } : { problem: problem(started.code, started.message) };
  },

  getWorkflowRun: async (ctx, { caller, params }) => {
    const run: RunRow | null = await ctx.runQuery(internal.publicApi.data.run, { orgId: caller.orgId, runId: params.runId });
    if (!run) return { problem: problem("not_found", "There is no such workflow run.") };
    const outside = run.providerIds.find((providerId) => !allows(caller, providerId));
    return outside ? notAllowed(outside) : { body: presentRun(run) };
  },

  getCalls: async (ctx, { caller, params }) => {
    const rows: Array<{
      providerId: string;
      method: string;
      path: string;
      status: number | null;
      outcome: string;
      latencyMs: number;
      attempts: number;
      errorCode: string | null;
      errorMessage: string | null;
      at: number;
    }> = await ctx.runQuery(internal.publicApi.data.calls, { orgId: caller.orgId, correlationId: params.correlationId });
    // Calls to connections the key may not use are not shown: as if they were not there.
    const shown = rows.filter((row) => allows(caller, row.providerId));
    if (shown.length === 0) return { problem: problem("not_found", "No call has this correlation id.") };
    return {
      body: {
        correlation_id: params.correlationId,
        calls: shown.map((row) => ({
          provider_id: row.providerId,
          method: row.method,
          path: row.path,
          status: row.status,
          outcome: row.outcome,
          latency_ms: row.latencyMs,
          attempts: row.attempts,
          error_code: row.errorCode,
          error_message: row.errorMessage,
          at: iso(row.at),
        })),
      },
    };
  },

  ...EVENT_HANDLERS,

  ...WEBHOOK_ENDPOINT_HANDLERS,

  getOpenApiDocument: async () => ({ body: openApiDocument() }),
};
