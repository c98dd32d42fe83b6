import { describe, expect, it } from "vitest";
import { catalog, getProviderOrThrow } from "./catalog";
import { connectionApiBase, callApiBase, resolveApiBaseUrl, resolveEndpoints, rewriteUrlForSimulator } from "./endpoints";
import type { OAuth2Provider, Provider } from "./schema";

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

describe("rewriteUrlForSimulator, what it refuses and tolerates", () => {
  it("rewrites plain http endpoints too, but only URLs that start with a scheme", () => {
    expect(rewriteUrlForSimulator("http://localhost:8080/wp-json", "wordpress", SIM)).toBe(`${SIM}/wordpress/wp-json`);
    expect(() => rewriteUrlForSimulator("see https://api.github.com/user", "github", SIM)).toThrow(
      'Cannot rewrite "see https://api.github.com/user": not an absolute http(s) URL',
    );
  });

  it("takes an https simulator, and a base ending in several slashes", () => {
    expect(rewriteUrlForSimulator("https://api.github.com/user", "github", "https://sim.example/base//")).toBe(
      "https://sim.example/base/github/user",
    );
  });

  it("names what is wrong with the simulator base", () => {
    expect(() => rewriteUrlForSimulator("https://x.test/a", "github", "not a url")).toThrow('Invalid simulator base URL "not a url"');
    expect(() => rewriteUrlForSimulator("https://x.test/a", "github", `${SIM}/?a=1`)).toThrow(
      `Invalid simulator base URL "${SIM}/?a=1": no query or hash`,
    );
    expect(() => rewriteUrlForSimulator("https://x.test/a", "github", `${SIM}/#top`)).toThrow(/no query or hash/);
  });
});

describe("resolveEndpoints, other shapes", () => {
  it("trims the simulator URL, and a blank one means no simulator", () => {
    const github = oauth("github");
    expect(resolveEndpoints(github, { simulatorBaseUrl: "   " })).toBe(github);
    expect(resolveEndpoints(github, { simulatorBaseUrl: `  ${SIM}  ` }).tokenUrl).toBe(`${SIM}/github/login/oauth/access_token`);
  });

  it("rewrites a Basic provider's fixed base", () => {
    const wordpress = getProviderOrThrow("wordpress");
    const fixed = { ...wordpress, apiBaseUrl: "https://blog.example/wp-json", apiBaseFrom: undefined } as Provider;
    const resolved = resolveEndpoints(fixed, { simulatorBaseUrl: SIM });
    expect(resolved.authKind === "basic" && resolved.apiBaseUrl).toBe(`${SIM}/wordpress/wp-json`);
  });
});

describe("resolveApiBaseUrl, what a found base may be", () => {
  const salesforce = () => getProviderOrThrow("salesforce");
  const wordpress = () => getProviderOrThrow("wordpress");

  it("only a string that is a URL", () => {
    expect(resolveApiBaseUrl(salesforce(), { tokenResponse: { instance_url: ["https://acme.my.salesforce.com"] } })).toBeNull();
    expect(resolveApiBaseUrl(salesforce(), { tokenResponse: { instance_url: 42 } })).toBeNull();
  });

  it("http for a local site, with trailing slashes dropped", () => {
    expect(resolveApiBaseUrl(wordpress(), { credentials: { siteUrl: "http://localhost:8080//" } })).toBe("http://localhost:8080/wp-json");
    expect(resolveApiBaseUrl(wordpress(), { credentials: { siteUrl: "https://blog.example.com/news//" } })).toBe(
      "https://blog.example.com/news/wp-json",
    );
  });

  it.each([
    ["a user name", "https://ann@blog.example.com"],
    ["a password", "https://:pw@blog.example.com"],
    ["a query", "https://blog.example.com/?p=1"],
    ["a fragment", "https://blog.example.com/#top"],
    ["another scheme", "ftp://blog.example.com"],
  ])("never a base with %s, which would ride on every call", (_what, siteUrl) => {
    expect(resolveApiBaseUrl(wordpress(), { credentials: { siteUrl } })).toBeNull();
  });

  it("adds no path to a Basic base without apiBasePath", () => {
    const bare = { ...wordpress(), apiBasePath: undefined } as Provider;
    expect(resolveApiBaseUrl(bare, { credentials: { siteUrl: "https://blog.example.com/" } })).toBe("https://blog.example.com");
  });
});

describe("connectionApiBase and callApiBase", () => {
  it("a fixed base wins; otherwise the base found at connect time; otherwise none", () => {
    expect(connectionApiBase(getProviderOrThrow("github"), { apiBaseUrl: "https://elsewhere.example" })).toBe("https://api.github.com");
    expect(connectionApiBase(getProviderOrThrow("wordpress"), { apiBaseUrl: "https://blog.example/wp-json" })).toBe("https://blog.example/wp-json");
    expect(connectionApiBase(getProviderOrThrow("wordpress"), {})).toBeNull();
    expect(callApiBase(getProviderOrThrow("wordpress"), {})).toBeNull();
  });
});
