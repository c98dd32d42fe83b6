import { catalog, rewriteUrlForSimulator, type Provider, type RevokeSpec } from "../../lib/providers/index";
import type { SimRequest } from "./http-utils";
import type { EndpointKind } from "./state";

/** Where each provider lives on the simulator, derived from the catalog (new entries are covered automatically). */
export type ProviderRoutes = {
  provider: Provider;
  /** `/<providerId>` */
  prefix: string;
  authorizePath?: string;
  tokenPath?: string;
  revoke?: { spec: RevokeSpec; pattern: RegExp };
  /** Path under which the provider's API is served; absent for webhook providers. */
  apiBasePath?: string;
  testPath?: string;
  /** Webhook providers: deliveries must land under one of these paths. */
  webhookPaths?: string[];
};

const PLACEHOLDER_BASE = "http://simulator.invalid";

/** The path (without query) a catalog URL has once rewritten onto the simulator. */
function simulatorPath(url: string, providerId: string): string {
  return rewriteUrlForSimulator(url, providerId, PLACEHOLDER_BASE).slice(PLACEHOLDER_BASE.length).split("?")[0]!;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `/github/applications/{client_id}/token` → a regex capturing the client id. */
function pathPattern(path: string): RegExp {
  const parts = path.split("{client_id}").map(escapeRegExp);
  return new RegExp(`^${parts.join("(?<clientId>[^/]+)")}$`);
}

function routesFor(provider: Provider): ProviderRoutes {
  const prefix = `/${provider.id}`;
  const path = (url: string) => simulatorPath(url, provider.id);
  const testPathOf = (base: string, test: { path: string }) =>
    `${base}${test.path.split("?")[0]}`.replace(/\/\/+/g, "/");
  switch (provider.authKind) {
    case "oauth2": {
      // Bases that arrive at runtime (Salesforce's instance_url) are served at the prefix.
      const apiBasePath = provider.apiBaseUrl ? path(provider.apiBaseUrl) : prefix;
      return {
        provider,
        prefix,
        authorizePath: path(provider.authorizeUrl),
        tokenPath: path(provider.tokenUrl),
        ...(provider.revoke
          ? { revoke: { spec: provider.revoke, pattern: pathPattern(path(provider.revoke.url)) } }
          : {}),
        apiBasePath,
        testPath: testPathOf(apiBasePath, provider.test),
      };
    }
    case "basic": {
      // A site URL typed by the user is `<simulator>/<id>`; the API sits under apiBasePath.
      const apiBasePath = provider.apiBaseUrl ? path(provider.apiBaseUrl) : `${prefix}${provider.apiBasePath ?? ""}`;
      return { provider, prefix, apiBasePath, testPath: testPathOf(apiBasePath, provider.test) };
    }
    case "api_key": {
      const apiBasePath = path(provider.apiBaseUrl);
      return { provider, prefix, apiBasePath, testPath: testPathOf(apiBasePath, provider.test) };
    }
    case "webhook_url":
      return {
        provider,
        prefix,
        webhookPaths: provider.webhook.allowedUrlPrefixes?.map(path) ?? [`${prefix}/`],
      };
    default:
      return provider satisfies never;
  }
}

export const providerRoutes: ReadonlyMap<string, ProviderRoutes> = new Map(
  catalog.map((provider) => [provider.id, routesFor(provider)]),
);

/** True when `path` is `base` itself or below it. */
export function isUnder(path: string, base: string): boolean {
  const trimmed = base.replace(/\/+$/, "");
  return path === trimmed || path.startsWith(`${trimmed}/`);
}

/** Whether a path is an incoming-webhook URL of a webhook provider (something below a prefix). */
export function isWebhookPath(routes: ProviderRoutes, path: string): boolean {
  return (routes.webhookPaths ?? []).some(
    (base) => isUnder(path, base) && path.length > base.replace(/\/+$/, "").length + 1,
  );
}

/**
 * Whether a request is the catalog's test request: its path and method, and its body
 * where the catalog gives one (Linear's test is a POST /graphql like every other query).
 */
export function isTestRequest(routes: ProviderRoutes, req: Pick<SimRequest, "path" | "method" | "json">): boolean {
  const { provider } = routes;
  if (req.path !== routes.testPath || !("test" in provider) || req.method !== provider.test.method) return false;
  return provider.test.body === undefined || JSON.stringify(req.json) === JSON.stringify(provider.test.body);
}

/** The endpoints a provider path can be. */
export type RouteEndpoint = Extract<
  EndpointKind,
  "authorize" | "token" | "refresh" | "revoke" | "webhook" | "test" | "api" | "unknown"
>;

/**
 * Which endpoint of its provider a request is for, in the order the server tries them
 * (GitHub's token path sits under its API base, so the token path wins).
 */
export function routeEndpoint(routes: ProviderRoutes, req: Pick<SimRequest, "path" | "method" | "params" | "json">) {
  const { path } = req;
  let endpoint: RouteEndpoint = "unknown";
  if (routes.authorizePath === path) endpoint = "authorize";
  else if (routes.tokenPath === path) endpoint = req.params.grant_type === "refresh_token" ? "refresh" : "token";
  else if (routes.revoke?.pattern.test(path)) endpoint = "revoke";
  else if (routes.webhookPaths) endpoint = isWebhookPath(routes, path) ? "webhook" : "unknown";
  else if (routes.apiBasePath !== undefined && isUnder(path, routes.apiBasePath)) {
    endpoint = isTestRequest(routes, req) ? "test" : "api";
  }
  return endpoint;
}
