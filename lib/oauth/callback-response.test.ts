import { describe, expect, test } from "vitest";
import { popupPage, returnUrl, scriptJson } from "./callback-response";

describe("returnUrl", () => {
  test("adds connected= on success, keeping the path's own query", () => {
    expect(returnUrl("/o/acme/settings/integrations?view=all", { ok: true, providerId: "github" })).toBe(
      "/o/acme/settings/integrations?view=all&connected=github",
    );
  });

  test("adds error= and provider= on failure, replacing stale ones", () => {
    expect(returnUrl("/o/acme?connected=slack", { ok: false, providerId: "slack", code: "state_expired" })).toBe(
      "/o/acme?error=state_expired&provider=slack",
    );
  });

  test("never leaves the app, whatever returnTo says", () => {
    expect(returnUrl("https://evil.example/x", { ok: true, providerId: "github" })).toBe("/orgs?connected=github");
    expect(returnUrl("//evil.example", { ok: true, providerId: "github" })).toBe("/orgs?connected=github");
  });
});

describe("popupPage", () => {
  test("posts to the exact origin, never to '*'", () => {
    const html = popupPage("http://localhost:3000", { ok: true, providerId: "github" }, "/o/a?connected=github");
    expect(html).toContain('"origin":"http://localhost:3000"');
    expect(html).toContain("postMessage(d.message, d.origin)");
    expect(html).not.toContain('"*"');
  });

  test("cannot be broken out of by a hostile value", () => {
    const html = popupPage(
      "http://localhost:3000",
      { ok: false, providerId: "</script><script>alert(1)</script>", code: "x" },
      "/orgs",
    );
    expect(html.match(/<\/script>/g)).toHaveLength(1);
  });
});

describe("scriptJson", () => {
  test("escapes what HTML parsers treat specially", () => {
    expect(scriptJson({ a: "</script><!--&\u2028" })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028"}');
  });
});

describe("callback pages, in full", () => {
  test("a success replaces a stale error and its provider", () => {
    expect(returnUrl("/o/acme?error=state_expired", { ok: true, providerId: "github" })).toBe("/o/acme?connected=github");
  });

  test("the popup tells its opener what happened, and says it in words", () => {
    const ok = popupPage("http://localhost:3000", { ok: true, providerId: "github" }, "/o/a");
    expect(ok).toContain('"message":{"type":"switchboard:oauth","ok":true,"providerId":"github"}');
    expect(ok).toContain("<p>Connected. You can close this window.</p>");
    const failed = popupPage("http://localhost:3000", { ok: false, providerId: "slack", code: "access_denied" }, "/o/a");
    expect(failed).toContain('"message":{"type":"switchboard:oauth","ok":false,"providerId":"slack","code":"access_denied"}');
    expect(failed).toContain("<p>Not connected. You can close this window.</p>");
  });

  test("without an opener it goes to an app path, never elsewhere", () => {
    expect(popupPage("http://localhost:3000", { ok: true, providerId: "github" }, "/o/a?x=1")).toContain('"fallback":"/o/a?x=1"');
    expect(popupPage("http://localhost:3000", { ok: true, providerId: "github" }, "https://evil.example/")).toContain('"fallback":"/orgs"');
  });

  test("scriptJson escapes the paragraph separator too", () => {
    expect(scriptJson("\u2029")).toBe('"\\u2029"');
  });
});
