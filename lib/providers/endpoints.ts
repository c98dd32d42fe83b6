import type { Provider } from "./schema";
import { readPath } from "./account";
import { hooksOf } from "./hooks";

export type EndpointOptions = {
  /** When set (e.g. from SWITCHBOARD_PROVIDER_SIMULATOR_URL), every provider host becomes `<base>/<providerId>`. */
  simulatorBaseUrl?: string;
};

const ORIGIN = /^https?:\/\/[^/?#]+/;

function normalizeBase(simulatorBaseUrl: string): string {
  if (!URL.canParse(simulatorBaseUrl)) throw new Error(`Invalid simulator base URL "${simulatorBaseUrl}"`);
  const url = new URL(simulatorBaseUrl);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`Invalid simulator base URL "${simulatorBaseUrl}": must be http(s)`);
  }
  if (url.search || url.hash) throw new Error(`Invalid simulator base URL "${simulatorBaseUrl}": no query or hash`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * Replaces the scheme and host of `url` with `<simulatorBaseUrl>/<providerId>`,
 * keeping path, query and any `{placeholder}` untouched.
 * @example rewriteUrlForSimulator("https://api.github.com/user?x=1", "github", "http://127.0.0.1:3400")
 * // "http://127.0.0.1:3400/github/user?x=1"
 */
export function rewriteUrlForSimulator(url: string, providerId: string, simulatorBaseUrl: string): string {
  if (!ORIGIN.test(url)) throw new Error(`Cannot rewrite "${url}": not an absolute http(s) URL`);
  return url.replace(ORIGIN, `${normalizeBase(simulatorBaseUrl)}/${providerId}`);
}

/**
 * The provider with every endpoint host pointed at the simulator when one is
 * configured; the provider itself otherwise. Pure: the catalog is not modified.
 * Human-facing links (docs, help) are left alone.
 */
export function resolveEndpoints<P extends Provider>(provider: P, options: EndpointOptions = {}): P {
  const base = options.simulatorBaseUrl?.trim();
  if (!base) return provider;
  const rewrite = (url: string) => rewriteUrlForSimulator(url, provider.id, base);
  const p: Provider = provider;
  switch (p.authKind) {
    case "oauth2":
      return {
        ...p,
        authorizeUrl: rewrite(p.authorizeUrl),
        tokenUrl: rewrite(p.tokenUrl),
        ...(p.revoke ? { revoke: { ...p.revoke, url: rewrite(p.revoke.url) } } : {}),
        ...(p.apiBaseUrl ? { apiBaseUrl: rewrite(p.apiBaseUrl) } : {}),
        // The simulator speaks as the provider's authorization server, under its own URL.
        ...(p.issuer ? { issuer: { ...p.issuer, value: rewrite(p.issuer.value) } } : {}),
      } as P;
    case "basic":
      return { ...p, ...(p.apiBaseUrl ? { apiBaseUrl: rewrite(p.apiBaseUrl) } : {}) } as P;
    case "api_key":
      return { ...p, apiBaseUrl: rewrite(p.apiBaseUrl) } as P;
    case "webhook_url":
      return {
        ...p,
        webhook: {
          ...p.webhook,
          ...(p.webhook.allowedUrlPrefixes ? { allowedUrlPrefixes: p.webhook.allowedUrlPrefixes.map(rewrite) } : {}),
        },
      } as P;
    default:
      return p satisfies never;
  }
}

/**
 * The API base for a connection: the fixed `apiBaseUrl`, or the value `apiBaseFrom`
 * names in the token response / credentials (plus `apiBasePath`). Null when the
 * value is missing or not an http(s) URL. Pass a provider already through
 * `resolveEndpoints` so fixed bases follow the simulator.
 */
export function resolveApiBaseUrl(
  provider: Provider,
  context: { tokenResponse?: unknown; credentials?: Record<string, string | undefined> } = {},
): string | null {
  if (provider.authKind === "webhook_url") return null;
  if (provider.apiBaseUrl) return provider.apiBaseUrl;
  const from = "apiBaseFrom" in provider ? provider.apiBaseFrom : undefined;
  if (!from) return null;
  const [source, ...rest] = from.split(".");
  const raw = readPath(source === "token_response" ? context.tokenResponse : context.credentials, rest.join("."));
  if (typeof raw !== "string" || !URL.canParse(raw)) return null;
  const url = new URL(raw);
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  // A base is an origin and a path: user info, a query or a fragment would ride on every call.
  if (url.username || url.password || url.search || url.hash) return null;
  const suffix = provider.authKind === "basic" ? (provider.apiBasePath ?? "") : "";
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${suffix}`;
}

/**
 * The API base of a connection: fixed in the catalog, or found at connect time
 * (Salesforce's `instance_url`, a WordPress site) and kept in `config.apiBaseUrl`.
 */
export function connectionApiBase(provider: Provider, config: Record<string, string>): string | null {
  if ("apiBaseUrl" in provider && provider.apiBaseUrl) return provider.apiBaseUrl;
  return config.apiBaseUrl ?? null;
}

/** The base API calls go under: the connection's base, moved by the provider's `apiBase` hook (Jira's site). */
export function callApiBase(provider: Provider, config: Record<string, string>): string | null {
  const base = connectionApiBase(provider, config);
  if (base === null) return null;
  const hook = hooksOf(provider).apiBase;
  return hook ? hook(base, config) : base;
}
