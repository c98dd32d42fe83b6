import type { OAuth2Provider } from "../providers/schema";
import type { OAuthClientCredentials } from "./client";
import { TOKEN_REQUEST_TIMEOUT_MS } from "./client";

export type RevokeResult =
  | { revoked: true }
  | { revoked: false; reason: "not_supported" | "no_token" | "failed"; status?: number };

/**
 * Revokes a grant at the provider as its catalog entry describes (RFC 7009 form,
 * Notion's JSON, GitHub's DELETE with the client id in the path, Slack's bearer call).
 * Never throws: disconnecting must go on even when the provider is down.
 */
export async function revokeGrant(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  tokens: { accessToken: string | null; refreshToken: string | null },
): Promise<RevokeResult> {
  const spec = provider.revoke;
  if (!spec) return { revoked: false, reason: "not_supported" };
  const token = spec.token === "refresh_token" ? (tokens.refreshToken ?? tokens.accessToken) : tokens.accessToken;
  if (!token) return { revoked: false, reason: "no_token" };

  const url = spec.url.replace("{client_id}", encodeURIComponent(client.clientId));
  const headers = new Headers({ Accept: "application/json", "User-Agent": "Switchboard/1.0" });
  for (const [name, value] of Object.entries(provider.defaultHeaders)) headers.set(name, value);
  const fields: Record<string, string> = { ...spec.extraParams };
  if (spec.clientAuth === "basic") {
    headers.set("Authorization", `Basic ${btoa(`${client.clientId}:${client.clientSecret}`)}`);
  } else if (spec.clientAuth === "body") {
    fields.client_id = client.clientId;
    fields.client_secret = client.clientSecret;
  }
  let body: string | undefined;
  if (spec.tokenIn === "bearer") {
    headers.set("Authorization", `Bearer ${token}`);
  } else {
    fields[spec.tokenField] = token;
  }
  if (spec.tokenIn === "json") {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(fields);
  } else if (Object.keys(fields).length > 0) {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(fields).toString();
  }
  try {
    const response = await fetch(url, {
      method: spec.method,
      headers,
      body,
      signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
    });
    // Slack answers 200 {ok:false} when the token was already dead: nothing left to revoke.
    await response.body?.cancel();
    return response.ok ? { revoked: true } : { revoked: false, reason: "failed", status: response.status };
  } catch {
    return { revoked: false, reason: "failed" };
  }
}
