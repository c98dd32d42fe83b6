/**
 * The deployment's site origin: every request runs the app's `convex/http.ts`
 * router (Convex Auth's OpenID configuration and JWKS routes, webhooks, …).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UserIdentity } from "convex/server";
import type { TokenVerifier } from "./auth.mjs";
import type { Backend } from "./backend.mjs";
import { bearerToken, readBody } from "./http-util.mjs";

export type SiteDeps = { backend: Backend; verifier: TokenVerifier; siteUrl: string; hasHttpRouter: boolean };

type HttpAction = ((...args: unknown[]) => unknown) & { _handler?: (ctx: unknown, request: Request) => Promise<Response> };
type Router = { getRoutes?: () => Array<[string, string, HttpAction]> };

/** The URL the request really came to; convex-test hands actions `https://some.convex.site/…`. */
const requestUrlStorage = new AsyncLocalStorage<string>();
const PATCHED = Symbol.for("convex-sandbox.requestUrl");
/** Connection-level headers that describe this hop, not the request the action sees. */
const HOP_BY_HOP_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "content-length"]);

/**
 * Makes the router's actions see the request's real URL (`http://127.0.0.1:<sitePort>/…`),
 * as on a deployment where `request.url` is the site URL. Patches each action once.
 */
export function patchRouterUrls(router: unknown): void {
  for (const [, , action] of (router as Router).getRoutes?.() ?? []) {
    const original = action._handler;
    if (!original || (action as unknown as Record<symbol, boolean>)[PATCHED]) continue;
    action._handler = async (ctx, request) => {
      const url = requestUrlStorage.getStore();
      if (!url) return await original(ctx, request);
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
      const body = hasBody ? await request.arrayBuffer() : undefined;
      return await original(ctx, new Request(url, { method: request.method, headers: request.headers, body }));
    };
    (action as unknown as Record<symbol, boolean>)[PATCHED] = true;
  }
}

/**
 * A valid bearer token becomes `ctx.auth`'s identity. Any other Authorization
 * header (a webhook's shared secret, say) is left for the action to read.
 */
async function identityOf(req: IncomingMessage, verifier: TokenVerifier): Promise<UserIdentity | null> {
  const token = bearerToken(req);
  if (!token || token.split(".").length !== 3) return null;
  try {
    return await verifier.verify(token);
  } catch {
    return null;
  }
}

export async function handleSiteRequest(req: IncomingMessage, res: ServerResponse, deps: SiteDeps): Promise<void> {
  if (!deps.hasHttpRouter) {
    res.writeHead(404, { "content-type": "text/plain" }).end("This app has no convex/http.ts");
    return;
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP_HEADERS.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const identity = await identityOf(req, deps.verifier);
  const response = await requestUrlStorage.run(`${deps.siteUrl}${req.url ?? "/"}`, () =>
    deps.backend.fetch(
      req.url ?? "/",
      { method, headers, ...(body && body.length > 0 ? { body: new Uint8Array(body) } : {}) },
      identity,
    ),
  );
  const responseHeaders: Record<string, string[]> = {};
  response.headers.forEach((value, name) => {
    (responseHeaders[name] ??= []).push(value);
  });
  res.writeHead(response.status, responseHeaders);
  res.end(Buffer.from(await response.arrayBuffer()));
}
