/**
 * What every request Switchboard sends to a provider looks like before it leaves:
 * the one place default headers are set. Builders in `lib/` (token requests,
 * revocation, test requests, calls) return a `ProviderRequest`; only `send.ts`
 * puts one on the wire.
 */
import type { Provider } from "../providers/schema";

/** The product's User-Agent; a provider's catalog headers may replace it (Reddit's format). */
export const USER_AGENT = "Switchboard/1.0";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Why a request is made. The call log shows it, and it decides what the log may keep:
 * token endpoint traffic (`token`, `refresh`, `revoke`) is logged without bodies or headers.
 */
export const REQUEST_PURPOSES = ["call", "test", "verify", "keep_alive", "token", "refresh", "revoke"] as const;
export type RequestPurpose = (typeof REQUEST_PURPOSES)[number];

/** Purposes whose requests and answers carry grants, codes or client secrets in their bodies. */
const TOKEN_ENDPOINT_PURPOSES: ReadonlySet<RequestPurpose> = new Set(["token", "refresh", "revoke"]);

/** True when a log may keep this purpose's bodies (redacted); false for token endpoint traffic. */
export function logsBodies(purpose: RequestPurpose): boolean {
  return !TOKEN_ENDPOINT_PURPOSES.has(purpose);
}

export type ProviderRequest = {
  purpose: RequestPurpose;
  method: HttpMethod;
  url: URL;
  headers: Headers;
  body?: string;
};

/**
 * The headers every request to this provider starts from: JSON wanted, our
 * User-Agent, then the catalog's `defaultHeaders` (which may replace either).
 */
export function providerHeaders(provider: Pick<Provider, "defaultHeaders">, extra: Record<string, string> = {}): Headers {
  const headers = new Headers({ Accept: "application/json", "User-Agent": USER_AGENT });
  for (const [name, value] of Object.entries(provider.defaultHeaders)) headers.set(name, value);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return headers;
}

export type BodyFormat = "json" | "form";

/** A body and its Content-Type: JSON, or `application/x-www-form-urlencoded` fields. */
export function encodeBody(format: BodyFormat, fields: Record<string, string>): { contentType: string; body: string } {
  return format === "json"
    ? { contentType: "application/json", body: JSON.stringify(fields) }
    : { contentType: "application/x-www-form-urlencoded", body: new URLSearchParams(fields).toString() };
}
