/**
 * Loopback-only admin endpoints for tests and tooling:
 * - `POST /_sandbox/reset`: empty the database; subscribers receive the empty results.
 * - `GET  /_sandbox/export`: every table (system and auth tables too) as Convex JSON.
 * - `POST /_sandbox/run` `{ name: "orgs/access:check", args, identity? }`: run any
 *   function, internal ones included, optionally as a given `UserIdentity`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UserIdentity } from "convex/server";
import type { JSONValue } from "convex/values";
import type { Backend } from "./backend.mjs";
import { STATUS_CODE_UDF_FAILED } from "./http-api.mjs";
import { isLoopback, readBody, sendJson } from "./http-util.mjs";

type RunBody = { name?: string; args?: JSONValue; identity?: UserIdentity | null };

/** Handles `/_sandbox/*`; returns false for other paths. */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, backend: Backend): Promise<boolean> {
  const path = new URL(req.url ?? "/", "http://sandbox").pathname;
  if (!path.startsWith("/_sandbox/")) return false;
  if (!isLoopback(req)) {
    sendJson(res, 403, { code: "Forbidden", message: "Admin endpoints answer loopback callers only" });
    return true;
  }
  const route = `${req.method} ${path}`;
  switch (route) {
    case "POST /_sandbox/reset":
      backend.reset();
      sendJson(res, 200, { status: "success" });
      return true;
    case "GET /_sandbox/export":
      sendJson(res, 200, { tables: await backend.exportTables() });
      return true;
    case "POST /_sandbox/run": {
      let body: RunBody;
      try {
        body = JSON.parse((await readBody(req)).toString("utf8") || "{}") as RunBody;
      } catch {
        sendJson(res, 400, { code: "BadJsonBody", message: "The request body is not valid JSON" });
        return true;
      }
      if (typeof body.name !== "string") {
        sendJson(res, 400, { code: "BadRequest", message: 'Send { "name": "module/path:function", "args": {} }' });
        return true;
      }
      const outcome = await backend.call({
        kind: "any",
        udfPath: body.name,
        args: body.args ?? {},
        identity: body.identity ?? null,
        allowInternal: true,
      });
      if (outcome.success) sendJson(res, 200, { status: "success", value: outcome.value, logLines: outcome.logLines });
      else sendJson(res, STATUS_CODE_UDF_FAILED, { status: "error", ...outcome });
      return true;
    }
    default:
      sendJson(res, 404, { code: "NotFound", message: `No ${route} here` });
      return true;
  }
}
