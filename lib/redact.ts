/**
 * Redaction for logs: call logs, webhook delivery logs, error reports. Every function
 * here errs towards hiding too much; a log line missing a request id is an
 * inconvenience, a log line holding a refresh token is an incident.
 */

/** What replaces a secret value. */
export const REDACTED = "[REDACTED]";
/** Nesting depth past which `redactJson` stops descending. */
const REDACT_JSON_MAX_DEPTH = 64;

// Matched anywhere in the name, once lowercased and stripped of `-`, `_`, `.` and spaces:
// "accessToken", "x-api-key", "client_secret", "Set-Cookie", "x-hub-signature-256".
const SECRET_SUBSTRINGS = [
  "token",
  "secret",
  "passw",
  "passphrase",
  "apikey",
  "signature",
  "authorization",
  "cookie",
  "credential",
  "privatekey",
  "accesskey",
  "sessionid",
  "jwt",
  "hmac",
  // Microsoft Graph's clientState: the shared secret every change notification carries.
  "clientstate",
];
// Matched as the last word of the name only, because they are common words:
// "key", "signing_key" and "x-auth" are secret, "keyId" and "authUrl" are not.
const SECRET_LAST_WORDS = new Set(["key", "keys", "sig", "auth", "pwd", "otp", "verifier", "assertion", "session"]);
// Matched as the whole (squashed) name only: an OAuth "code" is secret, "statusCode" is not.
const SECRET_NAMES = new Set(["code", "authcode", "pin"]);

function words(name: string): string[] {
  return name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g)?.map((word) => word.toLowerCase()) ?? [];
}

/**
 * True when a query parameter, header or JSON key name looks like it holds a secret.
 * @example isSecretName("refresh_token") // true
 * @example isSecretName("keyId") // false
 */
export function isSecretName(name: string): boolean {
  const squashed = name.toLowerCase().replace(/[-_.\s]/g, "");
  if (SECRET_NAMES.has(squashed) || SECRET_SUBSTRINGS.some((fragment) => squashed.includes(fragment))) return true;
  const last = words(name).at(-1);
  return last !== undefined && SECRET_LAST_WORDS.has(last);
}

/**
 * An `application/x-www-form-urlencoded` body (or bare query string) fit for a log:
 * values of secret-looking names become `[REDACTED]`, the rest is left byte for byte.
 * @example redactFormBody("grant_type=authorization_code&code=abc") // "grant_type=authorization_code&code=[REDACTED]"
 */
export function redactFormBody(params: string): string {
  return params
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      if (equals === -1) return pair;
      return isSecretName(decodeComponent(pair.slice(0, equals))) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
    })
    .join("&");
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/**
 * A URL fit for a log: values of secret-looking query and fragment parameters, and any
 * user:password, become `[REDACTED]`. Input that is not an absolute URL (a path, or
 * garbage) is redacted as text with the same rules, so it never passes through raw.
 * Secrets inside the path (Slack webhook URLs) are not detected; use `redactText`.
 * @example redactUrl("https://u:p@x.test/cb?code=abc&state=1") // "https://[REDACTED]@x.test/cb?code=[REDACTED]&state=1"
 */
export function redactUrl(url: string | URL): string {
  // A path ("/me?token=…") is never an absolute URL; skip the parse that would throw.
  if (typeof url === "string" && url.startsWith("/")) return redactUrlText(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactUrlText(String(url));
  }
  const hadUserinfo = parsed.username !== "" || parsed.password !== "";
  const search = redactFormBody(parsed.search.slice(1));
  const hash = redactFormBody(parsed.hash.slice(1));
  parsed.username = "";
  parsed.password = "";
  parsed.search = "";
  parsed.hash = "";
  // Rebuilt by hand: URL's setters would percent-encode the brackets of the marker.
  let href = parsed.href;
  if (hadUserinfo) href = href.replace("//", `//${REDACTED}@`);
  return href + (search ? `?${search}` : "") + (hash ? `#${hash}` : "");
}

function redactUrlText(text: string): string {
  const withoutUserinfo = text.replace(/\/\/[^/?#@\s]*@/, `//${REDACTED}@`);
  const start = withoutUserinfo.search(/[?#]/);
  if (start === -1) return withoutUserinfo;
  return (
    withoutUserinfo.slice(0, start + 1) +
    withoutUserinfo
      .slice(start + 1)
      .split("#")
      .map(redactFormBody)
      .join("#")
  );
}

/** Headers as `fetch` takes them, or as a plain object of a log. */
export type HeadersLike = Headers | Iterable<readonly [string, string]> | Record<string, string | readonly string[] | undefined>;

/**
 * Headers fit for a log, as a plain object. Secret-looking headers (Authorization,
 * Cookie, Set-Cookie, X-Api-Key, anything with token, secret, key or signature in its
 * name) become `[REDACTED]`; Authorization keeps its scheme (`Bearer [REDACTED]`).
 * Repeated headers are joined with `, `.
 */
export function redactHeaders(headers: HeadersLike): Record<string, string> {
  const entries: [string, string][] = [];
  if (headers instanceof Headers || Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) entries.push([name, value]);
  } else {
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      for (const one of typeof value === "string" ? [value] : value) entries.push([name, one]);
    }
  }
  const result: Record<string, string> = {};
  for (const [name, value] of entries) {
    const shown = redactHeaderValue(name, value);
    result[name] = name in result ? `${result[name]}, ${shown}` : shown;
  }
  return result;
}

function redactHeaderValue(name: string, value: string): string {
  if (!isSecretName(name)) return value;
  const scheme = /^(?:proxy-)?authorization$/i.test(name) ? /^([A-Za-z][\w-]*) +\S/.exec(value) : null;
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

/**
 * A deep copy of a JSON-like value with the values of secret-looking keys replaced by
 * `[REDACTED]` (whole values, objects included) and URLs inside strings passed through
 * `redactUrl`. Sees what `JSON.stringify` would see (`toJSON` is honoured); cycles become
 * `"[Circular]"`, nesting past 64 levels `"[Too deep]"`.
 * @example redactJson({ access_token: "x", user: { name: "Ada" } }) // { access_token: "[REDACTED]", user: { name: "Ada" } }
 */
export function redactJson(value: unknown): unknown {
  return redactJsonAt(value, 0, new WeakSet());
}

function redactJsonAt(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  if (typeof value === "string") return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? redactUrl(value) : value;
  if (typeof value !== "object" || value === null) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return redactJsonAt((value as { toJSON: () => unknown }).toJSON(), depth, ancestors);
  }
  if (ancestors.has(value)) return "[Circular]";
  if (depth >= REDACT_JSON_MAX_DEPTH) return "[Too deep]";
  ancestors.add(value);
  const copy = Array.isArray(value)
    ? value.map((item) => redactJsonAt(item, depth + 1, ancestors))
    : Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          isSecretName(key) ? REDACTED : redactJsonAt(item, depth + 1, ancestors),
        ]),
      );
  ancestors.delete(value);
  return copy;
}

/**
 * `text` with every occurrence of each known secret replaced by `[REDACTED]`, including
 * its URL-encoded and JSON-escaped spellings. Longer secrets go first, so a secret that
 * contains another is hidden whole. Empty strings are ignored.
 * @example redactText("token=abc123", ["abc123"]) // "token=[REDACTED]"
 */
export function redactText(text: string, secrets: readonly string[]): string {
  const { pattern } = secretMatcher(secrets);
  if (pattern === null) return text;
  // One pass over the text, so a marker already written is never matched again.
  pattern.lastIndex = 0;
  return text.replace(pattern, REDACTED);
}

/**
 * Every spelling `redactText` looks for: each secret as is, URL-encoded and
 * JSON-escaped, longest first, without empty ones or repeats.
 */
export function secretSpellings(secrets: readonly string[]): string[] {
  const spellings = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    spellings.add(secret);
    spellings.add(encodeURIComponent(secret));
    spellings.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...spellings].sort((a, b) => b.length - a.length);
}

/** What `redactText` matches: one global pattern of every spelling (null when there is none), and the longest spelling's length. */
export type SecretMatcher = { pattern: RegExp | null; longest: number };

// Per secrets array: a call redacts its path, request, answer and message with the
// same list. Keyed weakly by the array itself, so nothing outlives the caller's list.
const matchers = new WeakMap<readonly string[], SecretMatcher>();

/** The matcher of a list of secrets, built once per list. Reset `lastIndex` before `exec`. */
export function secretMatcher(secrets: readonly string[]): SecretMatcher {
  let matcher = matchers.get(secrets);
  if (!matcher) {
    const spellings = secretSpellings(secrets);
    matcher = {
      pattern: spellings.length === 0 ? null : new RegExp(spellings.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g"),
      longest: spellings[0]?.length ?? 0,
    };
    matchers.set(secrets, matcher);
  }
  return matcher;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * `text` cut to at most `maxBytes` bytes of UTF-8, marker included, never inside a
 * character, ending with `…[truncated N bytes]` (N = bytes of `text` left out).
 * When even the marker does not fit, the text is cut without one.
 * @example truncate("a".repeat(100), 40) // "aaaaaaaaaaaaaaaa…[truncated 84 bytes]" (39 bytes)
 */
export function truncate(text: string, maxBytes: number): string {
  if (!Number.isInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError("truncate: maxBytes must be a non-negative integer.");
  }
  // A UTF-16 unit is at most 3 bytes of UTF-8: short text fits without being encoded.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = utf8.encode(text);
  if (bytes.length <= maxBytes) return text;
  // Size the marker for the largest N it could show; a smaller N only leaves slack.
  const markerBytes = utf8.encode(truncationMarker(bytes.length)).length;
  const withMarker = maxBytes >= markerBytes;
  const keep = utf8Boundary(bytes, withMarker ? maxBytes - markerBytes : maxBytes);
  const kept = utf8Decoder.decode(bytes.subarray(0, keep));
  return withMarker ? kept + truncationMarker(bytes.length - keep) : kept;
}

function truncationMarker(droppedBytes: number): string {
  return `…[truncated ${droppedBytes} bytes]`;
}

/** The largest index ≤ `limit` that does not fall inside a UTF-8 sequence. */
function utf8Boundary(bytes: Uint8Array, limit: number): number {
  let index = limit;
  while (index > 0 && (bytes[index] & 0b1100_0000) === 0b1000_0000) index--;
  return index;
}
