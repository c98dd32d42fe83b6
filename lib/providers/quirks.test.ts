import { describe, expect, it } from "vitest";
import { catalog, getProviderOrThrow } from "./catalog";
import { CustomWebhookConfigError, customWebhookAuthHeaders } from "./custom-webhook";
import { callApiBase } from "./endpoints";
import { hooksOf, PROVIDER_HOOKS } from "./hooks";
import { jiraRestBase } from "./jira";
import { redditUserAgent } from "./reddit";
import { isLoopbackHost, isSecureOrLoopback } from "./urls";
import { checkWordPressSiteUrl, normalizeApplicationPassword } from "./wordpress";

describe("isLoopbackHost", () => {
  it.each(["localhost", "app.localhost", "127.0.0.1", "127.1.2.3", "[::1]"])("%s is loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(["example.com", "10.0.0.1", "127.0.0.1.nip.io", "localhost.example.com"])("%s is not", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe("checkWordPressSiteUrl", () => {
  it("accepts https and normalises the trailing slash and /wp-json", () => {
    expect(checkWordPressSiteUrl(" https://blog.example.com/wp-json/ ")).toEqual({
      ok: true,
      siteUrl: "https://blog.example.com",
    });
  });

  it("keeps a subdirectory install", () => {
    expect(checkWordPressSiteUrl("https://example.com/blog/")).toEqual({ ok: true, siteUrl: "https://example.com/blog" });
  });

  it("refuses plain http outside loopback, and allows it on loopback", () => {
    expect(checkWordPressSiteUrl("http://blog.example.com").ok).toBe(false);
    expect(checkWordPressSiteUrl("http://127.0.0.1:3400/wordpress")).toEqual({
      ok: true,
      siteUrl: "http://127.0.0.1:3400/wordpress",
    });
  });

  it.each(["blog.example.com", "ftp://example.com", "https://u:p@example.com", "https://example.com/?p=1"])(
    "refuses %s",
    (raw) => {
      expect(checkWordPressSiteUrl(raw).ok).toBe(false);
    },
  );
});

describe("normalizeApplicationPassword", () => {
  it("drops the spaces WordPress shows between groups", () => {
    expect(normalizeApplicationPassword("abcd EFGH 1234")).toBe("abcdEFGH1234");
  });
});

describe("provider hooks", () => {
  it("are registered only under catalog ids", () => {
    const ids = new Set(catalog.map((provider) => provider.id));
    for (const id of Object.keys(PROVIDER_HOOKS)) expect(ids.has(id)).toBe(true);
  });
  it("a provider without behaviour has no hooks", () => {
    expect(hooksOf(getProviderOrThrow("github"))).toEqual({});
  });
  it("Jira keeps the site's cloud id and calls go under that site's REST base", () => {
    const jira = getProviderOrThrow("jira");
    expect(hooksOf(jira).afterConnect?.({ id: "c1", name: "Acme" })).toEqual({ cloudId: "c1" });
    expect(callApiBase(jira, { cloudId: "c1" })).toBe("https://api.atlassian.com/ex/jira/c1/rest/api/3");
    expect(callApiBase(jira, {})).toBe("https://api.atlassian.com");
    expect(callApiBase(getProviderOrThrow("github"), { cloudId: "c1" })).toBe("https://api.github.com");
  });
  it("WordPress normalises its site URL and application password, and refuses plain http", () => {
    const wordpress = getProviderOrThrow("wordpress");
    if (!("fields" in wordpress)) throw new Error("WordPress has a form");
    const field = (name: string) => wordpress.fields.find((f) => f.name === name)!;
    const check = hooksOf(wordpress).credentialField!;
    expect(check(field("siteUrl"), "https://blog.example.com/wp-json/")).toEqual({ ok: true, value: "https://blog.example.com" });
    expect(check(field("siteUrl"), "http://blog.example.com").ok).toBe(false);
    expect(check(field("applicationPassword"), "abcd efgh")).toEqual({ ok: true, value: "abcdefgh" });
    expect(check(field("username"), "ed itor")).toEqual({ ok: true, value: "ed itor" });
  });
  it("a custom webhook's auth mode becomes its delivery headers; Pumble adds none", () => {
    expect(hooksOf(getProviderOrThrow("custom-webhook")).webhookHeaders?.({ authMode: "bearer", bearerToken: "t" })).toEqual({
      Authorization: "Bearer t",
    });
    expect(hooksOf(getProviderOrThrow("pumble")).webhookHeaders).toBeUndefined();
  });
});

describe("jiraRestBase", () => {
  it("builds the per-site REST base under the API base", () => {
    expect(jiraRestBase("http://127.0.0.1:3400/jira/", "c1")).toBe("http://127.0.0.1:3400/jira/ex/jira/c1/rest/api/3");
  });
  it("refuses a cloud id that could change the path", () => {
    expect(() => jiraRestBase("https://api.atlassian.com", "../x")).toThrow();
  });
});

describe("redditUserAgent", () => {
  it("follows Reddit's format", () => {
    expect(redditUserAgent({ appId: "sb", version: "1.0", username: "me" })).toBe("web:sb:1.0 (by /u/me)");
  });
});

describe("customWebhookAuthHeaders", () => {
  it("sends nothing for none", () => {
    expect(customWebhookAuthHeaders({ authMode: "none" })).toEqual({});
  });
  it("sends the named header", () => {
    expect(customWebhookAuthHeaders({ authMode: "header", headerName: "X-Api-Key", headerValue: "k" })).toEqual({
      "X-Api-Key": "k",
    });
  });
  it("sends a bearer token", () => {
    expect(customWebhookAuthHeaders({ authMode: "bearer", bearerToken: "t" })).toEqual({ Authorization: "Bearer t" });
  });
  it("sends Basic credentials, UTF-8 encoded", () => {
    expect(customWebhookAuthHeaders({ authMode: "basic", basicUsername: "ü", basicPassword: "p" })).toEqual({
      Authorization: `Basic ${Buffer.from("ü:p").toString("base64")}`,
    });
  });
  it("refuses missing values and reserved header names, naming the field", () => {
    expect(() => customWebhookAuthHeaders({ authMode: "bearer" })).toThrow(CustomWebhookConfigError);
    try {
      customWebhookAuthHeaders({ authMode: "header", headerName: "Host", headerValue: "x" });
    } catch (error) {
      expect((error as CustomWebhookConfigError).field).toBe("headerName");
    }
    expect(() => customWebhookAuthHeaders({ authMode: "header", headerName: "Host", headerValue: "x" })).toThrow();
  });
});

describe("isLoopbackHost, every 127 address", () => {
  it.each(["127.0.0.10", "127.255.255.255", "LOCALHOST"])("%s is loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
});

describe("isSecureOrLoopback", () => {
  it.each([
    ["https://api.example.com/", true],
    ["http://localhost:3000/", true],
    ["http://127.0.0.1:3400/x", true],
    ["http://[::1]:9/", true],
    ["http://api.example.com/", false],
    ["ftp://localhost/", false],
  ])("%s may carry credentials: %s", (url, expected) => {
    expect(isSecureOrLoopback(new URL(url))).toBe(expected);
  });
});

describe("customWebhookAuthHeaders, what a person is told", () => {
  const failure = (values: Record<string, string | undefined>) => {
    try {
      customWebhookAuthHeaders(values);
    } catch (error) {
      if (error instanceof CustomWebhookConfigError) return { name: error.name, field: error.field, message: error.message };
      throw error;
    }
    throw new Error("accepted");
  };

  it("a required value that is blank is named", () => {
    expect(failure({ authMode: "header", headerName: "X-Key", headerValue: "   " })).toEqual({
      name: "CustomWebhookConfigError",
      field: "headerValue",
      message: '"headerValue" is required for this authentication mode.',
    });
  });

  it("values are trimmed", () => {
    expect(customWebhookAuthHeaders({ authMode: "bearer", bearerToken: "  t  " })).toEqual({ Authorization: "Bearer t" });
  });

  it.each(["Content-Length", "content-type", "Connection", "Transfer-Encoding", "Host", "X Api", "X-Api:"])("%j cannot be a header name", (name) => {
    expect(failure({ authMode: "header", headerName: name, headerValue: "v" })).toEqual({
      name: "CustomWebhookConfigError",
      field: "headerName",
      message: `"${name}" cannot be used as a header name.`,
    });
  });

  it("a Basic username may not contain ':', and a missing password is empty", () => {
    expect(failure({ authMode: "basic", basicUsername: "a:b", basicPassword: "p" })).toEqual({
      name: "CustomWebhookConfigError",
      field: "basicUsername",
      message: "The username cannot contain ':'.",
    });
    expect(customWebhookAuthHeaders({ authMode: "basic", basicUsername: "ann" })).toEqual({ Authorization: `Basic ${btoa("ann:")}` });
  });

  it("no mode means none; an unknown mode is named", () => {
    expect(customWebhookAuthHeaders({})).toEqual({});
    expect(failure({ authMode: "digest" })).toEqual({
      name: "CustomWebhookConfigError",
      field: "authMode",
      message: 'Unknown authentication mode "digest".',
    });
  });
});

describe("Slack's refusals", () => {
  const refuses = (status: number, body: unknown) =>
    hooksOf(getProviderOrThrow("slack")).refusesCredential!({ status, body: typeof body === "string" ? body : JSON.stringify(body) });

  it.each(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"])("ok:false with %s refuses the token", (error) => {
    expect(refuses(200, { ok: false, error })).toBe(true);
  });

  it("other errors, successes, other statuses and unreadable bodies are left to the status", () => {
    expect(refuses(200, { ok: false, error: "missing_scope" })).toBeUndefined();
    expect(refuses(200, { ok: true, error: "invalid_auth" })).toBeUndefined();
    expect(refuses(500, { ok: false, error: "invalid_auth" })).toBeUndefined();
    expect(refuses(401, { ok: false, error: "invalid_auth" })).toBeUndefined();
    expect(refuses(200, '{"ok":false,')).toBeUndefined();
    expect(refuses(200, "no ok field")).toBeUndefined();
  });
});

describe("Trello's refusals", () => {
  const refuses = (status: number, body: string) => hooksOf(getProviderOrThrow("trello")).refusesCredential!({ status, body });

  it("a 401 for a board permission does not refuse the token; other answers are left to the status", () => {
    expect(refuses(401, "unauthorized card permission requested")).toBe(false);
    expect(refuses(401, " Unauthorized list permission requested\n")).toBe(false);
    expect(refuses(401, "invalid token")).toBeUndefined();
    expect(refuses(401, "unauthorized card permission requested, and more")).toBeUndefined();
    expect(refuses(403, "unauthorized card permission requested")).toBeUndefined();
    expect(refuses(200, "")).toBeUndefined();
  });
});

describe("checkWordPressSiteUrl, what a person is told", () => {
  it.each([
    ["blog.example.com", "Enter the full site address, starting with https://."],
    ["ftp://blog.example.com", "The site address must start with https://."],
    ["http://blog.example.com", "Application passwords need HTTPS; use the https:// address of the site."],
    ["https://ann@blog.example.com", "Leave the username and password out of the address."],
    ["https://:pw@blog.example.com", "Leave the username and password out of the address."],
    ["https://blog.example.com/?p=1", "Leave the query string out of the address."],
    ["https://blog.example.com/#top", "Leave the query string out of the address."],
  ])("%s: %s", (raw, reason) => {
    expect(checkWordPressSiteUrl(raw)).toEqual({ ok: false, reason });
  });

  it("drops every trailing slash and a final /wp-json, and nothing else", () => {
    expect(checkWordPressSiteUrl("https://example.com/blog//")).toEqual({ ok: true, siteUrl: "https://example.com/blog" });
    expect(checkWordPressSiteUrl("https://example.com/wp-json-site")).toEqual({ ok: true, siteUrl: "https://example.com/wp-json-site" });
  });
});

describe("jiraRestBase, at the edges", () => {
  it("refuses a cloud id with a slash anywhere, saying so", () => {
    expect(() => jiraRestBase("https://api.atlassian.com", "abc/../x")).toThrow("Invalid Jira cloud id");
  });
  it("joins a base ending in several slashes with one", () => {
    expect(jiraRestBase("https://api.atlassian.com//", "c1")).toBe("https://api.atlassian.com/ex/jira/c1/rest/api/3");
  });
});
