/**
 * What the OAuth callback route answers: a redirect back into the app, or for the
 * popup flow a tiny page that tells its opener and closes. Pure, so it is tested
 * without Next.
 */
import { safeRelativePath } from "../safe-redirect";

export type CallbackOutcome =
  | { ok: true; providerId: string }
  | { ok: false; providerId: string; code: string };

/** The message the popup posts to its opener. */
export type OAuthPopupMessage = { type: "switchboard:oauth" } & CallbackOutcome;

/** `returnTo` with `?connected=<provider>` or `?error=<code>&provider=<provider>` added. */
export function returnUrl(returnTo: string, outcome: CallbackOutcome): string {
  const url = new URL(safeRelativePath(returnTo, "/orgs"), "http://app.invalid");
  url.searchParams.delete("connected");
  url.searchParams.delete("error");
  if (outcome.ok) {
    url.searchParams.set("connected", outcome.providerId);
  } else {
    url.searchParams.set("error", outcome.code);
    url.searchParams.set("provider", outcome.providerId);
  }
  return url.pathname + url.search + url.hash;
}

/**
 * The popup page. It posts to the opener's exact origin (never "*"), then closes;
 * with no opener (a blocked or detached popup) it navigates to `fallbackPath`.
 */
export function popupPage(origin: string, outcome: CallbackOutcome, fallbackPath: string): string {
  const message: OAuthPopupMessage = { type: "switchboard:oauth", ...outcome };
  const data = scriptJson({ origin, message, fallback: safeRelativePath(fallbackPath, "/orgs") });
  const text = outcome.ok ? "Connected. You can close this window." : "Not connected. You can close this window.";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard</title>
<meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;padding:2rem"><p>${text}</p>
<script>
(function () {
  var d = ${data};
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage(d.message, d.origin);
    window.close();
  } else {
    window.location.replace(d.fallback);
  }
})();
</script></body></html>`;
}

/** JSON safe to place inside a <script>: no "</script>", no HTML comment openers, no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
