/**
 * The public API's HTTP entry: every `/v1/…` request comes here (convex/http.ts), is
 * matched against the route table, authenticated by its API key (one mutation: the
 * key by hash and its rate limit), validated with the route's zod schemas, handled
 * (./handlers.ts), checked against the route's answer schema, and logged to the key's
 * usage. Every refusal is an RFC 9457 problem with a stable `code`.
 */
import type { z } from "zod";
import { bearerToken, hashApiKey, parseApiKey, rateLimitedHeaders, rateLimitHeaders, type RateLimitState } from "../../lib/api-keys";
import {
  fieldErrors,
  matchRoute,
  problem,
  PROBLEM_CONTENT_TYPE,
  ROUTES,
  type OperationId,
  type Problem,
  type RouteSpec,
} from "../../lib/public-api";
import { httpAction } from "../functions";
import { internal } from "../_generated/api";
import type { ActionCtx } from "../_generated/server";
import type { Authenticated, Refused } from "../apiKeys/auth";
import { keyActor } from "../apiKeys/model";
import { HANDLERS, type Caller, type HandlerInput } from "./handlers";

/** The longest user agent kept in the usage log. */
const USER_AGENT_MAX = 200;
/** Request bodies above this are refused before they are parsed. */
const BODY_MAX_BYTES = 256 * 1024;

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

function json(reply: Reply): Response {
  const problemBody = reply.status >= 400;
  return new Response(JSON.stringify(reply.body), {
    status: reply.status,
    headers: {
      "Content-Type": problemBody ? PROBLEM_CONTENT_TYPE : "application/json",
      "Cache-Control": "no-store",
      ...(reply.headers ?? {}),
    },
  });
}

function problemReply(body: Problem, headers?: Record<string, string>): Reply {
  return { status: body.status, body, ...(headers ? { headers } : {}) };
}

const UNAUTHENTICATED_DETAIL: Record<string, string> = {
  unauthenticated: "Send an API key: `Authorization: Bearer sbk_…`.",
  malformed_key: "That is not a Switchboard API key (they look like sbk_ and 38 letters and digits).",
  invalid_key_checksum: "The API key's checksum does not match: it was mistyped or cut short.",
  unknown_key: "No API key matches.",
  key_revoked: "This API key was revoked.",
  key_expired: "This API key has expired.",
  key_rotated: "This API key was rotated and its grace period is over; use its replacement.",
};

function unauthenticated(code: keyof typeof UNAUTHENTICATED_DETAIL & Problem["code"]): Reply {
  // RFC 6750 §3: a 401 names the scheme; `invalid_token` for a key that was presented.
  const challenge = code === "unauthenticated" ? `Bearer realm="switchboard"` : `Bearer realm="switchboard", error="invalid_token"`;
  return problemReply(problem(code, UNAUTHENTICATED_DETAIL[code]!), { "WWW-Authenticate": challenge });
}

/** The key's caller, or the refusal to answer. */
async function authenticate(
  ctx: ActionCtx,
  request: Request,
  spec: RouteSpec & { scope: NonNullable<RouteSpec["scope"]> },
): Promise<{ caller: Caller; rate: RateLimitState } | { refusal: Reply; keyed?: { keyId: Caller["keyId"]; orgId: Caller["orgId"] } }> {
  const token = bearerToken(request.headers.get("Authorization"));
  if (token === null) return { refusal: unauthenticated("unauthenticated") };
  const parsed = parseApiKey(token);
  if (!parsed.ok) return { refusal: unauthenticated(parsed.reason === "malformed" ? "malformed_key" : "invalid_key_checksum") };
  const result: Authenticated | Refused = await ctx.runMutation(internal.apiKeys.auth.authenticate, {
    keyHash: await hashApiKey(parsed.key),
    scope: spec.scope,
  });
  if (result.ok) {
    const caller: Caller = {
      keyId: result.keyId,
      orgId: result.orgId,
      providerIds: result.providerIds,
      actor: keyActor({ _id: result.keyId, name: result.name }),
    };
    return { caller, rate: result.rate };
  }
  const now = Date.now();
  switch (result.code) {
    case "insufficient_scope":
      return {
        refusal: problemReply(problem("insufficient_scope", `This API key does not have the scope ${result.scope}.`), {
          "WWW-Authenticate": `Bearer realm="switchboard", error="insufficient_scope", scope="${result.scope}"`,
        }),
        keyed: { keyId: result.keyId, orgId: result.orgId },
      };
    case "rate_limited":
      return {
        refusal: problemReply(
          problem("rate_limited", `This API key may make ${result.rate.limit} requests a minute; retry after the Retry-After seconds.`, { retryable: true }),
          rateLimitedHeaders(result.rate, result.retryAt, now),
        ),
        keyed: { keyId: result.keyId, orgId: result.orgId },
      };
    default:
      return { refusal: unauthenticated(result.code) };
  }
}

async function readBody(request: Request, schema: z.ZodType): Promise<{ ok: true; value: unknown } | { ok: false; reply: Reply }> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    return { ok: false, reply: problemReply(problem("invalid_request", "Send the body as JSON, with Content-Type: application/json.")) };
  }
  const text = await request.text();
  if (new TextEncoder().encode(text).length > BODY_MAX_BYTES) {
    return { ok: false, reply: problemReply(problem("invalid_request", `A request body is at most ${BODY_MAX_BYTES / 1024} KB.`)) };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reply: problemReply(problem("invalid_request", "The body is not valid JSON.")) };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reply: problemReply(problem("invalid_request", "The body does not match the schema.", { errors: fieldErrors(parsed.error, "body") })) };
  }
  return { ok: true, value: parsed.data };
}

/** The route's parameters, query and body, validated; or the 400 that says what is wrong. */
async function readInput(request: Request, spec: RouteSpec, params: Record<string, string>, url: URL) {
  const out: { params?: unknown; query?: unknown; body?: unknown } = {};
  for (const [where, schema, raw] of [
    ["params", spec.params, params],
    ["query", spec.query, Object.fromEntries(url.searchParams)],
  ] as const) {
    if (!schema) continue;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      return { ok: false as const, reply: problemReply(problem("invalid_request", `The ${where === "params" ? "path" : "query"} is not valid.`, { errors: fieldErrors(parsed.error) })) };
    }
    out[where] = parsed.data;
  }
  if (spec.body) {
    const body = await readBody(request, spec.body);
    if (!body.ok) return body;
    out.body = body.value;
  }
  return { ok: true as const, input: out };
}

async function handle(ctx: ActionCtx, operationId: OperationId, input: HandlerInput<OperationId>, spec: RouteSpec): Promise<Reply> {
  const handler = HANDLERS[operationId] as (ctx: ActionCtx, input: HandlerInput<OperationId>) => ReturnType<(typeof HANDLERS)[OperationId]>;
  const answer = await handler(ctx, input);
  if ("problem" in answer) return problemReply(answer.problem);
  // The answer is checked against the schema the document publishes, so the two cannot disagree.
  const checked = spec.success.schema.safeParse(answer.body);
  if (!checked.success) {
    console.error(`public API: ${operationId} answered outside its schema: ${checked.error.message}`);
    return problemReply(problem("internal_error", "Something went wrong on our side."));
  }
  return { status: spec.success.status, body: checked.data };
}

function clientAddress(request: Request): string | undefined {
  const forwarded = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("X-Real-IP") || undefined;
}

export const dispatch = httpAction(async (ctx, request) => {
  const started = Date.now();
  const url = new URL(request.url);
  const match = matchRoute(request.method, url.pathname);
  if (match.kind === "not_found") return json(problemReply(problem("not_found", `There is no route ${url.pathname}.`)));
  if (match.kind === "method_not_allowed") {
    return json(problemReply(problem("method_not_allowed", `${url.pathname} answers ${match.allowed.join(", ")}.`), { Allow: match.allowed.join(", ") }));
  }
  const spec: RouteSpec = ROUTES[match.operationId];
  let caller: Caller | null = null;
  let rateHeaders: Record<string, string> = {};
  let reply: Reply;
  let keyed: { keyId: Caller["keyId"]; orgId: Caller["orgId"] } | undefined;
  if (spec.scope !== null) {
    const auth = await authenticate(ctx, request, { ...spec, scope: spec.scope });
    if ("refusal" in auth) {
      reply = auth.refusal;
      keyed = auth.keyed;
    } else {
      caller = auth.caller;
      keyed = caller;
      rateHeaders = rateLimitHeaders(auth.rate, Date.now());
    }
  }
  reply ??= await (async () => {
    const read = await readInput(request, spec, match.params, url);
    if (!read.ok) return read.reply;
    try {
      return await handle(ctx, match.operationId, { caller, headers: request.headers, ...read.input } as HandlerInput<OperationId>, spec);
    } catch (error) {
      console.error(`public API: ${match.operationId} failed: ${error instanceof Error ? error.message : String(error)}`);
      return problemReply(problem("internal_error", "Something went wrong on our side."));
    }
  })();
  if (keyed) {
    const userAgent = request.headers.get("User-Agent")?.slice(0, USER_AGENT_MAX);
    const ip = clientAddress(request);
    await ctx.runMutation(internal.apiKeys.usage.record, {
      orgId: keyed.orgId,
      keyId: keyed.keyId,
      at: started,
      method: request.method,
      route: spec.path,
      status: reply.status,
      latencyMs: Date.now() - started,
      ...(userAgent ? { userAgent } : {}),
      ...(ip ? { ip } : {}),
    });
  }
  return json({ ...reply, headers: { ...rateHeaders, ...(reply.headers ?? {}) } });
});
