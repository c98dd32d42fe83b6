import { describe, expect, test } from "vitest";
import { getProviderOrThrow } from "../providers";
import { apiBaseFor, applyAuth, joinUrl } from "./provider-request";

describe("joinUrl", () => {
  test("keeps the base's own path and appends the query", () => {
    expect(joinUrl("https://api.example.com/v2/", "/users/me?x=1").toString()).toBe("https://api.example.com/v2/users/me?x=1");
  });
});

describe("apiBaseFor", () => {
  test("a fixed base wins; otherwise the one found at connect time", () => {
    expect(apiBaseFor(getProviderOrThrow("github"), {})).toBe("https://api.github.com");
    expect(apiBaseFor(getProviderOrThrow("salesforce"), {})).toBeNull();
    expect(apiBaseFor(getProviderOrThrow("salesforce"), { apiBaseUrl: "https://acme.my.salesforce.com" })).toBe(
      "https://acme.my.salesforce.com",
    );
  });
});

describe("applyAuth", () => {
  const run = (id: string, secrets: Record<string, string>, config: Record<string, string> = {}) => {
    const url = new URL("https://api.example.com/x");
    const headers = new Headers();
    applyAuth(getProviderOrThrow(id), { secrets, config }, url, headers);
    return { url, headers };
  };

  test("OAuth providers get a Bearer token", () => {
    expect(run("github", { accessToken: "gho_1" }).headers.get("Authorization")).toBe("Bearer gho_1");
  });

  test("WordPress gets Basic with the username from config", () => {
    const { headers } = run("wordpress", { applicationPassword: "pw" }, { username: "editor" });
    expect(headers.get("Authorization")).toBe(`Basic ${btoa("editor:pw")}`);
  });

  test("Trello puts key and token in the query", () => {
    const { url, headers } = run("trello", { apiKey: "k", token: "t" });
    expect(url.searchParams.get("key")).toBe("k");
    expect(url.searchParams.get("token")).toBe("t");
    expect(headers.has("Authorization")).toBe(false);
  });

  test("a custom webhook adds the header its auth mode names; Pumble adds none", () => {
    expect(run("custom-webhook", { headerValue: "s3cret" }, { authMode: "header", headerName: "X-Api-Key" }).headers.get("X-Api-Key")).toBe(
      "s3cret",
    );
    expect([...run("pumble", { webhookUrl: "https://api.pumble.com/x" }).headers.keys()]).toEqual([]);
  });
});
