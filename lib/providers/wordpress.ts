// WordPress's quirk: no OAuth; the user brings a site URL and an application password, which must never travel over plain http.
import type { ProviderHooks } from "./hooks";
import { isLoopbackHost } from "./urls";

/** WordPress's guide to application passwords, linked from the connect form. */
export const WORDPRESS_APP_PASSWORDS_GUIDE_URL =
  "https://make.wordpress.org/core/2020/11/05/application-passwords-integration-guide/";

export type SiteUrlCheck = { ok: true; siteUrl: string } | { ok: false; reason: string };

/**
 * Normalises a WordPress site URL (no trailing slash, no query) and refuses
 * anything but https, except http on loopback for local sites and the simulator.
 * @example checkWordPressSiteUrl("https://blog.example.com/") // { ok: true, siteUrl: "https://blog.example.com" }
 */
export function checkWordPressSiteUrl(raw: string): SiteUrlCheck {
  const trimmed = raw.trim();
  if (!URL.canParse(trimmed)) return { ok: false, reason: "Enter the full site address, starting with https://." };
  const url = new URL(trimmed);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: "The site address must start with https://." };
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    return { ok: false, reason: "Application passwords need HTTPS; use the https:// address of the site." };
  }
  if (url.username || url.password) return { ok: false, reason: "Leave the username and password out of the address." };
  if (url.search || url.hash) return { ok: false, reason: "Leave the query string out of the address." };
  const path = url.pathname.replace(/\/+$/, "").replace(/\/wp-json$/, "");
  return { ok: true, siteUrl: `${url.origin}${path}` };
}

/** WordPress shows application passwords in groups of four; it ignores the spaces. */
export function normalizeApplicationPassword(password: string): string {
  return password.replace(/\s+/g, "");
}

export const wordpressHooks: ProviderHooks = {
  credentialField(field, value) {
    if (field.type === "password") return { ok: true, value: normalizeApplicationPassword(value) };
    if (field.type !== "url") return { ok: true, value };
    const site = checkWordPressSiteUrl(value);
    return site.ok ? { ok: true, value: site.siteUrl } : { ok: false, message: site.reason };
  },
};
