/**
 * Convex's HTTP API as `ConvexHttpClient` speaks it: `POST /api/query|mutation|action|function`
 * with `{ path, format: "convex_encoded_json", args }`; 200 `{status: "success", value, logLines}`
 * or 560 `{status: "error", errorMessage, errorData?, logLines}`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UserIdentity } from "convex/server";
import type { JSONValue } from "convex/values";
import { AuthenticationError, type TokenVerifier } from "./auth.mjs";
import type { Backend } from "./backend.mjs";
import { encodeTs } from "./sync-protocol.mjs";
import type { FunctionKind } from "./modules.mjs";
import { readBody, sendJson } from "./http-util.mjs";

/** The status a function failure gets, so clients can tell it from a transport error. */
export const STATUS_CODE_UDF_FAILED = 560;

const KIND_BY_ENDPOINT: Record<string, FunctionKind | "any"> = {
  "/api/query": "query",
  "/api/query_at_ts": "query",
  "/api/mutation": "mutation",
  "/api/action": "action",
  "/api/function": "any",
};

export const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "Content-Type, Authorization, Convex-Client",
};

export type HttpApiDeps = { backend: Backend; verifier: TokenVerifier; adminKey: string };

type Caller = { identity: UserIdentity | null; admin: boolean };

async function callerOf(req: IncomingMessage, deps: HttpApiDeps): Promise<Caller> {
  const header = req.headers.authorization ?? "";
  const [scheme, value] = [header.split(" ")[0]!, header.slice(header.indexOf(" ") + 1).trim()];
  if (!header) return { identity: null, admin: false };
  if (/^Convex$/i.test(scheme)) {
    if (value !== deps.adminKey) throw new AuthenticationError("The provided admin key was invalid for this instance");
    return { identity: null, admin: true };
  }
  if (/^Bearer$/i.test(scheme)) return { identity: await deps.verifier.verify(value), admin: false };
  throw new AuthenticationError("Authorization header must be `Bearer <token>` or `Convex <admin key>`");
}

/** Handles `/api/*` requests; returns false for paths it does not serve. */
export async function handleHttpApi(req: IncomingMessage, res: ServerResponse, deps: HttpApiDeps): Promise<boolean> {
  const path = new URL(req.url ?? "/", "http://sandbox").pathname;
  if (!path.startsWith("/api/")) return false;
  if (req.method === "OPTIONS") {
    res.writeHead(204, CORS_HEADERS).end();
    return true;
  }
  if (path === "/api/query_ts" && req.method === "POST") {
    sendJson(res, 200, { ts: encodeTs(deps.backend.clock.now()) }, CORS_HEADERS);
    return true;
  }
  const kind = KIND_BY_ENDPOINT[path];
  if (!kind || req.method !== "POST") {
    sendJson(res, 404, { code: "NotFound", message: `No ${req.method} ${path} here` }, CORS_HEADERS);
    return true;
  }

  let caller: Caller;
  try {
    caller = await callerOf(req, deps);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    sendJson(res, 401, { code: "Unauthenticated", message: error.message }, CORS_HEADERS);
    return true;
  }

  let body: { path?: string; args?: JSONValue };
  try {
    body = JSON.parse((await readBody(req)).toString("utf8")) as typeof body;
  } catch {
    sendJson(res, 400, { code: "BadJsonBody", message: "The request body is not valid JSON" }, CORS_HEADERS);
    return true;
  }
  if (typeof body.path !== "string") {
    sendJson(res, 400, { code: "BadRequest", message: "The body needs a `path`" }, CORS_HEADERS);
    return true;
  }

  const outcome = await deps.backend.call({
    kind,
    udfPath: body.path,
    args: body.args ?? {},
    identity: caller.identity,
    allowInternal: caller.admin,
  });
  if (outcome.success) {
    sendJson(res, 200, { status: "success", value: outcome.value, logLines: outcome.logLines }, CORS_HEADERS);
  } else {
    const { errorMessage, errorData, logLines } = outcome;
    sendJson(
      res,
      STATUS_CODE_UDF_FAILED,
      { status: "error", errorMessage, ...(errorData !== undefined ? { errorData } : {}), logLines },
      CORS_HEADERS,
    );
  }
  return true;
}
