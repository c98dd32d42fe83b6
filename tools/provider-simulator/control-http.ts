import { json, type SimRequest } from "./http-utils";
import type { RouteResult } from "./responses";
import type { SimulatorControl } from "./state";

export const CONTROL_PREFIX = "/_control/";

const READ_ONLY = new Set([
  "client",
  "tokenSettings",
  "account",
  "now",
  "requests",
  "requestCount",
  "issuedTokens",
  "revocations",
  "webhookDeliveries",
  "sentWebhooks",
  "sentMail",
  "apiKeyCredentials",
  "webhookUrl",
  "siteUrl",
  "latency",
]);

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}

/** GET args: `?args=<json array>`, or the query as one filter object (`?providerId=slack`). */
function getArgs(req: SimRequest): unknown[] {
  const raw = req.query.get("args");
  if (raw !== null) return JSON.parse(raw) as unknown[];
  if ([...req.query.keys()].length === 0) return [];
  const filter: Record<string, unknown> = Object.fromEntries(req.query);
  if (typeof filter.status === "string") filter.status = Number(filter.status);
  return [filter];
}

/** POST args: `{ "args": [...] }`, a bare array, or nothing. */
function postArgs(req: SimRequest): unknown[] {
  if (req.rawBody.trim() === "") return [];
  const body = req.bodyFormat === "json" ? req.json : JSON.parse(req.rawBody);
  if (Array.isArray(body)) return body;
  if (typeof body === "object" && body !== null && Array.isArray((body as { args?: unknown }).args)) {
    return (body as { args: unknown[] }).args;
  }
  throw new Error('Send { "args": [...] } as the JSON body');
}

/**
 * `/_control/<method>`: the in-process control API for other processes. POST calls any
 * method; GET only the read-only ones. Loopback callers only. A method that returns a
 * promise is answered when it settles.
 */
export async function handleControl(control: SimulatorControl, req: SimRequest): Promise<RouteResult> {
  const done = (status: number, body: unknown): RouteResult => ({
    providerId: null,
    endpoint: "control",
    response: json(status, body),
  });
  if (!isLoopbackAddress(req.remoteAddress))
    return done(403, { error: "The control API only answers loopback callers." });
  const name = req.path.slice(CONTROL_PREFIX.length);
  const method = Object.hasOwn(control, name) ? (control as Record<string, unknown>)[name] : undefined;
  if (typeof method !== "function") {
    return done(404, { error: "not_found", message: `No control method "${name}".`, methods: Object.keys(control) });
  }
  if (req.method !== "POST" && !(req.method === "GET" && READ_ONLY.has(name))) {
    return done(405, { error: "method_not_allowed", allowed: READ_ONLY.has(name) ? ["GET", "POST"] : ["POST"] });
  }
  try {
    const args = req.method === "GET" ? getArgs(req) : postArgs(req);
    // Methods that send (sendWebhook, webhookHandshake) answer once the receiver has.
    const result: unknown = await (method as (...a: unknown[]) => unknown).apply(control, args);
    return done(200, { result: result ?? null });
  } catch (error) {
    return done(400, { error: error instanceof Error ? error.message : String(error) });
  }
}
