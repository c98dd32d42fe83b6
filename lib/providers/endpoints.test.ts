import { describe, expect, it } from "vitest";
import { catalog, getProviderOrThrow } from "./catalog";
import { resolveApiBaseUrl, resolveEndpoints, rewriteUrlForSimulator } from "./endpoints";
import type { OAuth2Provider } from "./schema";

const SIM = "http://127.0.0.1:3400";

function oauth(id: string): OAuth2Provider {
  const provider = getProviderOrThrow(id);
  if (provider.authKind !== "oauth2") throw new Error(`${id} is not oauth2`);
  return provider;
}

describe("rewriteUrlForSimulator", () => {
  it("replaces scheme and host with <base>/<providerId>, keeping path and query", () => {
    expect(rewriteUrlForSimulator("https://api.github.com/user?per_page=5&x=a%20b", "github", SIM)).toBe(
      "http://127.0.0.1:3400/github/user?per_page=5&x=a%20b",
    );
  });

  it("handles a bare origin", () => {
    expect(rewriteUrlForSimulator("https://oauth.reddit.com", "reddit", SIM)).toBe("http://127.0.0.1:3400/reddit");
  });

  it("keeps placeholders and ports, and tolerates a trailing slash or path on the base", () => {
    expect(
      rewriteUrlForSimulator("https://api.github.com:443/applications/{client_id}/token", "github", `${SIM}/sim/`),
    ).toBe("http://127.0.0.1:3400/sim/github/applications/{client_id}/token");
  });

  it("refuses a relative URL and a base that is not http(s)", () => {
    expect(() => rewriteUrlForSimulator("/user", "github", SIM)).toThrow(/absolute/);
    expect(() => rewriteUrlForSimulator("https://x.test/a", "github", "ftp://127.0.0.1")).toThrow(/http/);
  });
});

describe("resolveEndpoints", () => {
  it("returns the same provider when no simulator is configured", () => {
    const slack = getProviderOrThrow("slack");
    expect(resolveEndpoints(slack)).toBe(slack);
    expect(resolveEndpoints(slack, { simulatorBaseUrl: "" })).toBe(slack);
  });

  it("rewrites every Slack endpoint to the simulator, keeping paths", () => {
    const slack = resolveEndpoints(oauth("slack"), { simulatorBaseUrl: SIM });
    expect(slack.authorizeUrl).toBe(`${SIM}/slack/oauth/v2/authorize`);
    expect(slack.tokenUrl).toBe(`${SIM}/slack/api/oauth.v2.access`);
    expect(slack.revoke?.url).toBe(`${SIM}/slack/api/auth.revoke`);
    expect(slack.apiBaseUrl).toBe(`${SIM}/slack/api`);
  });

  it("keeps hosts of different services apart only by path (Google: accounts + oauth2 + gmail)", () => {
    const gmail = resolveEndpoints(oauth("gmail"), { simulatorBaseUrl: SIM });
    expect(gmail.authorizeUrl).toBe(`${SIM}/gmail/o/oauth2/v2/auth`);
    expect(gmail.tokenUrl).toBe(`${SIM}/gmail/token`);
    expect(gmail.revoke?.url).toBe(`${SIM}/gmail/revoke`);
    expect(gmail.apiBaseUrl).toBe(`${SIM}/gmail`);
  });

  it("does not touch the catalog entry or human-facing links", () => {
    const github = oauth("github");
    const resolved = resolveEndpoints(github, { simulatorBaseUrl: SIM });
    expect(github.tokenUrl).toBe("https://github.com/login/oauth/access_token");
    expect(resolved.docsUrl).toBe(github.docsUrl);
  });

  it("rewrites api_key bases and webhook URL prefixes", () => {
    const trello = resolveEndpoints(getProviderOrThrow("trello"), { simulatorBaseUrl: SIM });
    const pumble = resolveEndpoints(getProviderOrThrow("pumble"), { simulatorBaseUrl: SIM });
    expect(trello.authKind === "api_key" && trello.apiBaseUrl).toBe(`${SIM}/trello`);
    expect(pumble.authKind === "webhook_url" && pumble.webhook.allowedUrlPrefixes).toEqual([
      `${SIM}/pumble/workspaces/`,
    ]);
  });

  it("leaves no provider-owned https endpoint behind for any entry", () => {
    for (const provider of catalog) {
      const resolved = resolveEndpoints(provider, { simulatorBaseUrl: SIM });
      const { docsUrl: _docs, ...rest } = resolved;
      // Help links and placeholders are for people; Google's scopes are URLs but identifiers, not endpoints.
      const ignored = new Set(["helpUrl", "placeholder", "defaultScopes", "optionalScopes"]);
      const endpoints = JSON.stringify(rest, (key, value) => (ignored.has(key) ? undefined : value));
      expect(endpoints.match(/https:\/\/[^"]+/g) ?? []).toEqual([]);
    }
  });
});

describe("resolveApiBaseUrl", () => {
  it("returns a fixed base", () => {
    expect(resolveApiBaseUrl(getProviderOrThrow("github"))).toBe("https://api.github.com");
  });

  it("reads Salesforce's instance_url from the token response", () => {
    const salesforce = getProviderOrThrow("salesforce");
    expect(resolveApiBaseUrl(salesforce, { tokenResponse: { instance_url: "https://acme.my.salesforce.com/" } })).toBe(
      "https://acme.my.salesforce.com",
    );
    expect(resolveApiBaseUrl(salesforce, { tokenResponse: {} })).toBeNull();
  });

  it("builds WordPress's base from the site URL plus /wp-json", () => {
    const wordpress = getProviderOrThrow("wordpress");
    expect(resolveApiBaseUrl(wordpress, { credentials: { siteUrl: "https://blog.example.com/news/" } })).toBe(
      "https://blog.example.com/news/wp-json",
    );
    expect(resolveApiBaseUrl(wordpress, { credentials: { siteUrl: "javascript:alert(1)" } })).toBeNull();
  });

  it("has no API base for webhook providers", () => {
    expect(resolveApiBaseUrl(getProviderOrThrow("pumble"))).toBeNull();
  });
});
