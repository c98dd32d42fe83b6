/**
 * The call pipeline's URL guard: a caller names a path relative to the provider's
 * API base, and the credential may only ever travel to a URL under that base.
 *
 * The guard works on the URL after parsing, not on the input string alone: whatever
 * the input looked like (an absolute URL, `//host`, `@host`, `..` or `%2e%2e`
 * segments, backslashes), the result must have the base's scheme, host and port,
 * no user info, and a path inside the base's path. Inputs that only a lenient
 * parser or server would read as traversal are refused too, so logs never show a
 * path that "worked" by accident.
 */

/** Why a call URL is refused. */
export type CallUrlRejection =
  | "not_relative"
  | "traversal"
  | "invalid_characters"
  | "outside_base"
  | "invalid_base"
  | "too_long";

export type CallUrlCheck = { ok: true; url: URL } | { ok: false; reason: CallUrlRejection; message: string };

/** Longest path (with its query) a caller may send. */
export const MAX_CALL_PATH_LENGTH = 2048;

const MESSAGES: Record<CallUrlRejection, string> = {
  not_relative: "The path must start with a single / and be relative to the provider's API (no scheme, host or //).",
  traversal: "The path may not contain . or .. segments, in any spelling.",
  invalid_characters: "The path may not contain backslashes, spaces, control characters or a #fragment.",
  outside_base: "The URL would leave the provider's API base, so it was not sent.",
  invalid_base: "This connection has no valid API address.",
  too_long: `The path is longer than ${MAX_CALL_PATH_LENGTH} characters.`,
};

function refuse(reason: CallUrlRejection): CallUrlCheck {
  return { ok: false, reason, message: MESSAGES[reason] };
}

/** Percent-decodes once; undefined when the text is not valid percent-encoding. */
function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** True when a raw path segment is, or decodes to something containing, a dot segment. */
function isDotSegment(segment: string): boolean {
  const decoded = decodeOnce(segment) ?? segment;
  // `..%2f..` decodes to `../..`: a server that decodes before routing would climb.
  return decoded.split(/[/\\]/).some((part) => part === "." || part === "..");
}

/**
 * The URL for `path` (relative to `apiBase`, may carry `?query`) plus `query`
 * parameters, or why it is refused. Nothing is fetched.
 * @example resolveCallUrl("https://api.github.com", "/repos/a/b/issues", { state: "open" })
 * // { ok: true, url: URL("https://api.github.com/repos/a/b/issues?state=open") }
 * @example resolveCallUrl("https://api.github.com", "https://evil.test/x") // { ok: false, reason: "not_relative", … }
 */
export function resolveCallUrl(apiBase: string, path: string, query: Record<string, string> = {}): CallUrlCheck {
  let base: URL;
  try {
    base = new URL(apiBase);
  } catch {
    return refuse("invalid_base");
  }
  if (base.search || base.hash || base.username || base.password) return refuse("invalid_base");
  if (path.length > MAX_CALL_PATH_LENGTH) return refuse("too_long");
  if (!path.startsWith("/") || path.startsWith("//")) return refuse("not_relative");
  // Control characters and whitespace are refused outright; a fragment never reaches a server.
  if (/[\\\s#\u0000-\u001f\u007f]/.test(path) || /%5c/i.test(path)) return refuse("invalid_characters");
  const [rawPathname, rawQuery] = splitOnce(path, "?");
  if (rawPathname.split("/").some(isDotSegment)) return refuse("traversal");

  const basePath = base.pathname.replace(/\/+$/, "");
  let url: URL;
  try {
    // Built from the base's origin, never by parsing `path` alone: `@host` or `:port`
    // inside `path` stay path characters.
    url = new URL(`${base.origin}${basePath}${rawPathname}`);
  } catch {
    return refuse("invalid_characters");
  }
  for (const [name, value] of new URLSearchParams(rawQuery)) url.searchParams.append(name, value);
  for (const [name, value] of Object.entries(query)) url.searchParams.append(name, value);

  // The joined path always starts with the base's path and a slash unless the join went wrong.
  const inside = url.pathname.startsWith(`${basePath}/`);
  if (url.origin !== base.origin || url.username || url.password || !inside) return refuse("outside_base");
  return { ok: true, url };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

/**
 * The part of `url` after the API base: what a call log shows as the path.
 * @example pathUnderBase(new URL("https://x.test/api/v1/me?a=1"), "https://x.test/api") // "/v1/me?a=1"
 */
export function pathUnderBase(url: URL, apiBase: string): string {
  const basePath = new URL(apiBase).pathname.replace(/\/+$/, "");
  const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
  return `${path || "/"}${url.search}`;
}
