/**
 * Where a `?next=` or `returnTo` may send someone: a path of this app, never
 * another site.
 *
 * Checking the text of a candidate is not enough: browsers (and URL parsers on the
 * way, like Next's router or a proxy) rewrite it first. `/..//evil.example`,
 * `/.//evil.example` and `/%2e%2e//evil.example` all become `//evil.example`, which
 * a browser reads as another host; a backslash is a slash; tabs and newlines are
 * dropped; `%2f` turns into `/` once something decodes it. So a candidate is
 * resolved the way a browser does, and what it becomes is checked again, as is
 * every decoding of it someone might still do.
 */

/** Stands in for this app's origin while resolving; nothing ever goes there. */
const PLACEHOLDER_ORIGIN = "https://placeholder.invalid";
const MAX_LENGTH = 2048;
/** How many layers of percent-encoding are unwrapped; a path still encoded deeper is refused. */
const MAX_DECODES = 3;
/** C0 and C1 controls and DEL: the URL parser drops tabs and newlines, no app path has the rest. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Characters that are, or that Unicode compatibility folding turns into, a slash,
 * backslash, dot or percent sign (`／`, `＼`, `．`, `％`, `‥`, …), and the lookalike
 * slashes (`∕`, `⁄`, `⧸`). App paths are ASCII; in a path these only appear in
 * attempts. (The URL parser percent-encodes them, so they are looked for once decoded.)
 */
const SLASH_OR_DOT_LIKE = /[\u2024\u2025\u2044\u2215\u2216\u29f5\u29f8\u29f9\ufe52\ufe68\uff05\uff0e\uff0f\uff3c]/;

/**
 * `candidate` as the path it resolves to ("/o/acme/settings?tab=1#top") if it is a
 * path inside this app, otherwise `fallback`. The result starts with exactly one
 * `/`, stays on this origin after any further resolving or decoding, and passing
 * it through again returns it unchanged.
 */
export function safeRelativePath(candidate: string | null | undefined, fallback: string): string {
  if (typeof candidate !== "string" || candidate.length === 0 || candidate.length > MAX_LENGTH) return fallback;
  const normalized = normalize(candidate);
  if (normalized === null || normalized.length > MAX_LENGTH) return fallback;
  // Whoever gets it next resolves it again: that must change nothing.
  if (normalize(normalized) !== normalized) return fallback;
  return normalized;
}

/** The resolved pathname, search and hash, or null when any reading of `candidate` leaves the app. */
function normalize(candidate: string): string | null {
  const url = resolveInApp(candidate);
  if (!url) return null;
  // Something downstream may decode the path once more (or twice): every such
  // reading must stay in the app too.
  let layer = url.pathname;
  for (let round = 0; ; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return null;
    }
    if (decoded === layer) break;
    if (round === MAX_DECODES || SLASH_OR_DOT_LIKE.test(decoded)) return null;
    if (!resolveInApp(decoded) || !resolveInApp(foldCompatibility(decoded))) return null;
    layer = decoded;
  }
  return url.pathname + url.search + url.hash;
}

/** `path` resolved against this app, or null unless it is a single-slash path that stays on the origin. */
function resolveInApp(path: string): URL | null {
  if (CONTROL.test(path)) return null;
  // Exactly one leading slash: "//host" and "/\host" name another host.
  if (path[0] !== "/" || path[1] === "/" || path[1] === "\\") return null;
  let url: URL;
  try {
    url = new URL(path, PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return null;
  // Dot segments can collapse "/../" into a leading "//" (backslashes are already slashes here).
  if (url.pathname.startsWith("//")) return null;
  return url;
}

/** NFKC, where the runtime has it ("／" becomes "/"); the pattern above covers runtimes without. */
function foldCompatibility(text: string): string {
  try {
    return text.normalize("NFKC");
  } catch {
    return text;
  }
}
