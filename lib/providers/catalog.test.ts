import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { catalog, getProvider, getProviderOrThrow, providerIds } from "./catalog";
import { providerEntries } from "./entries";
import { providerSchema, type OAuth2Provider } from "./schema";

const PUBLIC_DIR = fileURLToPath(new URL("../../public", import.meta.url));

const EXPECTED_IDS = [
  "slack",
  "github",
  "notion",
  "gmail",
  "google-calendar",
  "microsoft",
  "linear",
  "jira",
  "asana",
  "zoom",
  "salesforce",
  "reddit",
  "linkedin",
  "trello",
  "wordpress",
  "pumble",
  "custom-webhook",
];

const oauth2 = catalog.filter((p): p is OAuth2Provider => p.authKind === "oauth2");

function oauth(id: string): OAuth2Provider {
  const provider = getProviderOrThrow(id);
  if (provider.authKind !== "oauth2") throw new Error(`${id} is not oauth2`);
  return provider;
}

describe("catalog", () => {
  it("covers exactly the providers Switchboard offers", () => {
    expect([...providerIds].sort()).toEqual([...EXPECTED_IDS].sort());
  });

  it("has unique ids", () => {
    expect(new Set(providerIds).size).toBe(providerIds.length);
  });

  it.each(providerEntries.map((entry) => [entry.id, entry] as const))("entry %s validates against the schema", (_id, entry) => {
    const result = providerSchema.safeParse(entry);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it.each(catalog.map((p) => [p.id, p.logo] as const))("logo of %s is a local SVG file", (id, logo) => {
    expect(logo).toBe(`/providers/${id}.svg`);
    const path = `${PUBLIC_DIR}${logo}`;
    expect(existsSync(path)).toBe(true);
    const svg = readFileSync(path, "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain("<title>");
    // No remote images or scripts inside a logo.
    expect(svg).not.toMatch(/<image|<script|href=|url\(http/i);
  });

  it.each(oauth2.map((p) => [p.id, p] as const))("oauth2 endpoints of %s are https", (_id, provider) => {
    const urls = [provider.authorizeUrl, provider.tokenUrl, provider.revoke?.url, provider.apiBaseUrl];
    for (const url of urls.filter((u): u is string => u !== undefined)) {
      expect(new URL(url).protocol).toBe("https:");
    }
  });

  it("gives each oauth2 entry a way to reach its API", () => {
    for (const provider of oauth2) {
      expect(provider.apiBaseUrl !== undefined || provider.apiBaseFrom !== undefined).toBe(true);
    }
  });

  it("describes every optional scope in one line", () => {
    for (const provider of oauth2) {
      for (const { description } of provider.optionalScopes) expect(description).not.toContain("\n");
    }
  });
});

describe("getProvider", () => {
  it("returns the entry for a known id", () => {
    expect(getProvider("github")?.displayName).toBe("GitHub");
  });

  it("returns null for an unknown id", () => {
    expect(getProvider("myspace")).toBeNull();
  });
});

describe("getProviderOrThrow", () => {
  it("throws naming the unknown id", () => {
    expect(() => getProviderOrThrow("myspace")).toThrow(/myspace/);
  });
});

describe("provider quirks in the data", () => {
  it("Slack: comma scopes, Basic client auth, errors in a 200 with ok:false, tokens rotate only when opted in", () => {
    const slack = oauth("slack");
    expect(slack.scopeSeparator).toBe(",");
    expect(slack.tokenEndpointAuth).toBe("basic");
    expect(slack.errorStyle).toBe("slack_ok_false");
    expect(slack.test).toMatchObject({ method: "POST", path: "/auth.test", account: { successPath: "ok" } });
    expect(slack.refresh.optIn).toBeTruthy();
  });

  it("GitHub: errors in a 200, asks for JSON token answers, PKCE, revoke by client", () => {
    const github = oauth("github");
    expect(github.errorStyle).toBe("github_200_error");
    expect(github.tokenRequestHeaders.Accept).toBe("application/json");
    expect(github.pkce).toBe(true);
    expect(github.revoke).toMatchObject({ method: "DELETE", clientAuth: "basic", tokenField: "access_token" });
    expect(github.test.account).toMatchObject({ idPath: "id", namePath: "login" });
  });

  it("Reddit: Basic at the token endpoint, permanent duration, a User-Agent everywhere, oauth.reddit.com", () => {
    const reddit = oauth("reddit");
    expect(reddit.tokenEndpointAuth).toBe("basic");
    expect(reddit.authorizeParams.duration).toBe("permanent");
    expect(reddit.defaultHeaders["User-Agent"]).toMatch(/^web:switchboard:.+ \(by \/u\/.+\)$/);
    expect(reddit.tokenRequestHeaders["User-Agent"]).toBe(reddit.defaultHeaders["User-Agent"]);
    expect(reddit.apiBaseUrl).toBe("https://oauth.reddit.com");
  });

  it("Notion: a pinned Notion-Version, owner=user, Basic + JSON at the token endpoint", () => {
    const notion = oauth("notion");
    expect(notion.defaultHeaders["Notion-Version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(notion.authorizeParams.owner).toBe("user");
    expect(notion.tokenEndpointAuth).toBe("basic");
    expect(notion.tokenRequestFormat).toBe("json");
    expect(notion.tokenResponseFields).toEqual(expect.arrayContaining(["workspace_id", "workspace_name", "bot_id"]));
  });

  it("Jira: audience and prompt on authorize, the cloud id from accessible-resources, rotating refresh", () => {
    const jira = oauth("jira");
    expect(jira.authorizeParams).toMatchObject({ audience: "api.atlassian.com", prompt: "consent" });
    expect(jira.test.path).toBe("/oauth/token/accessible-resources");
    expect(jira.test.account.idPath).toBe("0.id");
    expect(jira.defaultScopes).toContain("offline_access");
    expect(jira.refresh.rotation).toBe("single_use");
  });

  it("Salesforce: API base from the token response's instance_url, no expires_in", () => {
    const salesforce = oauth("salesforce");
    expect(salesforce.apiBaseFrom).toBe("token_response.instance_url");
    expect(salesforce.apiBaseUrl).toBeUndefined();
    expect(salesforce.accessTokenLifetimeSeconds).toBeNull();
  });

  it("Google: offline access with consent, PKCE, revoke by refresh token", () => {
    for (const id of ["gmail", "google-calendar"]) {
      const google = oauth(id);
      expect(google.authorizeParams).toMatchObject({ access_type: "offline", prompt: "consent" });
      expect(google.pkce).toBe(true);
      expect(google.revoke?.token).toBe("refresh_token");
    }
  });

  it("Microsoft: offline_access in the defaults, reissued refresh tokens, no revoke endpoint", () => {
    const microsoft = oauth("microsoft");
    expect(microsoft.defaultScopes).toContain("offline_access");
    expect(microsoft.refresh.rotation).toBe("reissued");
    expect(microsoft.revoke).toBeUndefined();
  });

  it("LinkedIn: OpenID scopes, body client auth, userinfo as the test", () => {
    const linkedin = oauth("linkedin");
    expect(linkedin.defaultScopes).toEqual(["openid", "profile", "email"]);
    expect(linkedin.tokenEndpointAuth).toBe("body");
    expect(linkedin.test.path).toBe("/v2/userinfo");
  });

  it("Linear: comma scopes and a GraphQL viewer query as the test", () => {
    const linear = oauth("linear");
    expect(linear.scopeSeparator).toBe(",");
    expect(linear.test).toMatchObject({ method: "POST", path: "/graphql" });
  });

  it("Trello: key and token in the query, tested on /1/members/me", () => {
    const trello = getProviderOrThrow("trello");
    expect(trello.authKind).toBe("api_key");
    if (trello.authKind !== "api_key") return;
    expect(trello.placement).toEqual([
      { in: "query", name: "key", field: "apiKey" },
      { in: "query", name: "token", field: "token" },
    ]);
    expect(trello.test.path).toBe("/1/members/me");
    expect(trello.fields.find((f) => f.name === "token")?.secret).toBe(true);
  });

  it("WordPress: site URL + username + secret application password, tested on users/me?context=edit", () => {
    const wordpress = getProviderOrThrow("wordpress");
    expect(wordpress.authKind).toBe("basic");
    if (wordpress.authKind !== "basic") return;
    expect(wordpress.apiBaseFrom).toBe("credentials.siteUrl");
    expect(wordpress.test.path).toBe("/wp/v2/users/me?context=edit");
    const password = wordpress.fields.find((f) => f.name === "applicationPassword");
    expect(password).toMatchObject({ type: "password", secret: true });
    expect(password?.helpUrl).toBe(
      "https://make.wordpress.org/core/2020/11/05/application-passwords-integration-guide/",
    );
  });

  it("webhook providers keep their URLs secret", () => {
    for (const id of ["pumble", "custom-webhook"]) {
      const provider = getProviderOrThrow(id);
      if (provider.authKind !== "webhook_url") throw new Error(`${id} is not webhook_url`);
      const urlField = provider.fields.find((f) => f.name === provider.webhook.urlField);
      expect(urlField?.secret).toBe(true);
    }
  });
});
