/**
 * The deployment's site origin: every request runs the app's `convex/http.ts`
 * router (Convex Auth's OpenID configuration and JWKS routes, webhooks, …).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UserIdentity } from "convex/server";
import type { TokenVerifier } from "./auth.mjs";
import type { Backend } from "./backend.mjs";
import { bearerToken, readBody } from "./http-util.mjs";

export type SiteDeps = { backend: Backend; verifier: TokenVerifier; hasHttpRouter: boolean };

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
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const response = await deps.backend.fetch(
    req.url ?? "/",
    { method, headers, ...(body && body.length > 0 ? { body: new Uint8Array(body) } : {}) },
    await identityOf(req, deps.verifier),
  );
  const responseHeaders: Record<string, string[]> = {};
  response.headers.forEach((value, name) => {
    (responseHeaders[name] ??= []).push(value);
  });
  res.writeHead(response.status, responseHeaders);
  res.end(Buffer.from(await response.arrayBuffer()));
}
