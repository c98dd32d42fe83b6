/**
 * Which headers a caller may set on a provider call, and which of the provider's
 * answer headers go back to the caller. Both are allowlists or denylists of names,
 * never of values, so a secret cannot slip through by looking harmless.
 */
import { isSecretName, redactUrl } from "../redact";

/**
 * Request headers only the pipeline sets: credentials (the caller must not choose
 * where or how they are sent), and transport headers `fetch` owns.
 */
const RESERVED_REQUEST_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "host",
  "content-length",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
]);

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export type HeaderProblem = { name: string; reason: "invalid_name" | "invalid_value" | "reserved" };

/**
 * The first problem with caller-supplied request headers, or null. Secret-looking
 * names (`X-Api-Key`, `X-Auth-Token`) are reserved too: the connection's credential is
 * the only one a call may carry, and it is injected by the pipeline.
 * @example requestHeaderProblem({ Authorization: "Bearer x" }) // { name: "Authorization", reason: "reserved" }
 */
export function requestHeaderProblem(headers: Record<string, string>): HeaderProblem | null {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) return { name, reason: "invalid_name" };
    if (/[\r\n\0]/.test(value)) return { name, reason: "invalid_value" };
    const lower = name.toLowerCase();
    if (RESERVED_REQUEST_HEADERS.has(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-")) {
      return { name, reason: "reserved" };
    }
    if (isSecretName(name) && lower !== "idempotency-key") return { name, reason: "reserved" };
  }
  return null;
}

/** Answer headers worth showing: content, caching, paging, rate limits, request and resource ids. */
const SAFE_RESPONSE_HEADERS = new Set([
  "content-type",
  "content-length",
  "content-language",
  "content-encoding",
  "cache-control",
  "date",
  "etag",
  "expires",
  "last-modified",
  "link",
  "location",
  "retry-after",
  "vary",
  "www-authenticate",
  "request-id",
  "x-request-id",
  "x-correlation-id",
  // A created resource's id (LinkedIn's Rest.li), and WordPress's page count.
  "x-restli-id",
  "x-wp-totalpages",
]);
const SAFE_RESPONSE_PREFIXES = ["x-ratelimit-", "ratelimit", "x-rate-limit-"];

/**
 * The provider's answer headers a caller may see, names lower-cased. `Set-Cookie` and
 * anything secret-looking never pass; `Location` and `Link` have secret query
 * parameters redacted.
 * @example safeResponseHeaders(new Headers({ "content-type": "application/json", "set-cookie": "s=1" }))
 * // { "content-type": "application/json" }
 */
export function safeResponseHeaders(headers: Headers): Record<string, string> {
  const safe: Record<string, string> = {};
  // forEach rather than for…of: Convex's type environment has no DOM iterables.
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    const allowed =
      SAFE_RESPONSE_HEADERS.has(lower) ||
      SAFE_RESPONSE_PREFIXES.some((prefix) => lower.startsWith(prefix)) ||
      /^x-[a-z0-9-]*request-id$/.test(lower);
    if (!allowed || (isSecretName(lower) && lower !== "www-authenticate")) return;
    safe[lower] = lower === "location" ? redactUrl(value) : lower === "link" ? redactLinks(value) : value;
  });
  return safe;
}

/** `Link: <https://…?page=2&access_token=…>; rel="next"` with secret parameters redacted. */
function redactLinks(value: string): string {
  return value.replace(/<([^>]*)>/g, (_, url: string) => `<${redactUrl(url)}>`);
}
