import { describe, expect, test } from "vitest";
import { getProviderOrThrow, type Provider } from "../providers";
import { applyCredential } from "./credential";

describe("applyCredential", () => {
  const run = (id: string, secrets: Record<string, string>, config: Record<string, string> = {}) => {
    const url = new URL("https://api.example.com/x");
    const headers = new Headers();
    applyCredential(getProviderOrThrow(id), { secrets, config }, url, headers);
    return { url, headers };
  };

  test("OAuth providers get a Bearer token", () => {
    expect(run("github", { accessToken: "gho_1" }).headers.get("Authorization")).toBe("Bearer gho_1");
  });

  test("WordPress gets Basic (RFC 7617, UTF-8, not form-encoded) with the username from config", () => {
    const { headers } = run("wordpress", { applicationPassword: "p+w é" }, { username: "editor" });
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob(headers.get("Authorization")!.replace(/^Basic /, "")), (c) => c.charCodeAt(0)),
    );
    expect(decoded).toBe("editor:p+w é");
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

describe("applyCredential, when parts are missing", () => {
  const apply = (provider: Provider, secrets: Record<string, string>, config: Record<string, string> = {}) => {
    const url = new URL("https://api.example.com/x");
    const headers = new Headers();
    applyCredential(provider, { secrets, config }, url, headers);
    return { url, headers };
  };
  const decodeBasic = (header: string | null) =>
    new TextDecoder().decode(Uint8Array.from(atob(header!.replace(/^Basic /, "")), (c) => c.charCodeAt(0)));

  test("an OAuth connection without an access token sends no Authorization header (never 'Bearer undefined')", () => {
    expect(apply(getProviderOrThrow("github"), {}).headers.has("Authorization")).toBe(false);
  });

  test("Basic with a missing username or password sends it empty, never 'undefined'", () => {
    const wordpress = getProviderOrThrow("wordpress");
    expect(decodeBasic(apply(wordpress, { applicationPassword: "pw" }).headers.get("Authorization"))).toBe(":pw");
    expect(decodeBasic(apply(wordpress, {}, { username: "editor" }).headers.get("Authorization"))).toBe("editor:");
  });

  test("an API key placed in headers goes there with its prefix, not into the URL", () => {
    const trello = getProviderOrThrow("trello");
    if (trello.authKind !== "api_key") throw new Error("Trello takes an API key");
    const inHeaders: Provider = {
      ...trello,
      placement: [
        { in: "header", name: "Authorization", field: "apiKey", prefix: "Key " },
        { in: "header", name: "X-Token", field: "token" },
      ],
    };
    const { url, headers } = apply(inHeaders, { apiKey: "k1", token: "t1" });
    expect(headers.get("Authorization")).toBe("Key k1");
    expect(headers.get("X-Token")).toBe("t1");
    expect(url.search).toBe("");
  });

  test("a missing API key is placed empty, never as 'undefined'", () => {
    const { url } = apply(getProviderOrThrow("trello"), { token: "t" });
    expect(url.searchParams.get("key")).toBe("");
  });
});
