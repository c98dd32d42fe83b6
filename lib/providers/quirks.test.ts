import { describe, expect, it } from "vitest";
import { CustomWebhookConfigError, customWebhookAuthHeaders } from "./custom-webhook";
import { jiraRestBase, pickJiraSite } from "./jira";
import { redditUserAgent } from "./reddit";
import { salesforceIdentity, salesforceInstanceUrl } from "./salesforce";
import { isLoopbackHost } from "./urls";
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

describe("salesforceInstanceUrl", () => {
  it("reads instance_url", () => {
    expect(salesforceInstanceUrl({ instance_url: "https://acme.my.salesforce.com" })).toBe(
      "https://acme.my.salesforce.com",
    );
  });
  it("allows loopback http (the simulator) and refuses other http", () => {
    expect(salesforceInstanceUrl({ instance_url: "http://127.0.0.1:3400/salesforce" })).toBe(
      "http://127.0.0.1:3400/salesforce",
    );
    expect(salesforceInstanceUrl({ instance_url: "http://acme.my.salesforce.com" })).toBeNull();
  });
  it("is null when missing or malformed", () => {
    expect(salesforceInstanceUrl({})).toBeNull();
    expect(salesforceInstanceUrl({ instance_url: "not a url" })).toBeNull();
    expect(salesforceInstanceUrl("x")).toBeNull();
  });
});

describe("salesforceIdentity", () => {
  it("splits the id URL into org and user", () => {
    expect(
      salesforceIdentity({ id: "https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS" }),
    ).toEqual({ orgId: "00Dxx0000001gPLEAY", userId: "005xx000001SwiUAAS" });
  });
  it("is null for anything else", () => {
    expect(salesforceIdentity({ id: "https://login.salesforce.com/" })).toBeNull();
  });
});

describe("pickJiraSite", () => {
  const resources = [
    { id: "c1", url: "https://a.atlassian.net", name: "A", scopes: [] },
    { id: "c2", url: "https://b.atlassian.net", name: "B", scopes: [] },
  ];
  it("prefers the given cloud id, else the first", () => {
    expect(pickJiraSite(resources, "c2")?.name).toBe("B");
    expect(pickJiraSite(resources)?.cloudId).toBe("c1");
    expect(pickJiraSite(resources, "missing")?.cloudId).toBe("c1");
  });
  it("is null for no sites", () => {
    expect(pickJiraSite([])).toBeNull();
    expect(pickJiraSite({ error: "x" })).toBeNull();
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
