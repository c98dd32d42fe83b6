import { describe, expect, it } from "vitest";
import {
  REDACTED,
  isSecretName,
  redactFormBody,
  redactHeaders,
  redactJson,
  redactText,
  redactUrl,
  truncate,
} from "./redact";

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

describe("isSecretName", () => {
  it.each([
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "accessToken",
    "code",
    "client_secret",
    "clientSecret",
    "key",
    "api_key",
    "apikey",
    "X-Api-Key",
    "password",
    "passwd",
    "secret",
    "signature",
    "X-Hub-Signature-256",
    "sig",
    "auth",
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "Set-Cookie",
    "signing_key",
    "privateKey",
    "code_verifier",
    "client_assertion",
    "credentials",
    "X-Shopify-Hmac-Sha256",
    "TOKEN",
    "clientState",
  ])("treats %s as secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each(["state", "keyId", "statusCode", "error_code", "authUrl", "name", "monkey", "expires_in", "Content-Type"])(
    "treats %s as harmless",
    (name) => {
      expect(isSecretName(name)).toBe(false);
    },
  );
});

describe("redactUrl", () => {
  it("redacts secret query parameters and keeps the others as they were", () => {
    expect(redactUrl("https://api.test/cb?code=abc&state=xyz&access_token=t0k&q=a%20b")).toBe(
      `https://api.test/cb?code=${REDACTED}&state=xyz&access_token=${REDACTED}&q=a%20b`,
    );
  });

  it("matches parameter names regardless of case or percent-encoding", () => {
    expect(redactUrl("https://api.test/?API_KEY=1&Client%5Fsecret=2&Sig=3")).toBe(
      `https://api.test/?API_KEY=${REDACTED}&Client%5Fsecret=${REDACTED}&Sig=${REDACTED}`,
    );
  });

  it("redacts every value of a repeated parameter", () => {
    expect(redactUrl("https://api.test/?token=a&token=b")).toBe(`https://api.test/?token=${REDACTED}&token=${REDACTED}`);
  });

  it("redacts tokens in the fragment, as the implicit flow returns them", () => {
    expect(redactUrl("https://app.test/cb#access_token=abc&token_type=bearer&expires_in=3600")).toBe(
      `https://app.test/cb#access_token=${REDACTED}&token_type=${REDACTED}&expires_in=3600`,
    );
  });

  it("redacts user and password", () => {
    expect(redactUrl("https://admin:hunter2@wp.test/wp-json/")).toBe(`https://${REDACTED}@wp.test/wp-json/`);
    expect(redactUrl("https://admin@wp.test/")).toBe(`https://${REDACTED}@wp.test/`);
  });

  it("leaves a URL without secrets unchanged", () => {
    expect(redactUrl("https://api.test/v1/items?page=2#top")).toBe("https://api.test/v1/items?page=2#top");
  });

  it("accepts a URL object", () => {
    expect(redactUrl(new URL("https://api.test/?secret=s"))).toBe(`https://api.test/?secret=${REDACTED}`);
  });

  it("redacts a relative or unparseable URL as text instead of passing it through", () => {
    expect(redactUrl("/oauth/callback?code=abc&state=1")).toBe(`/oauth/callback?code=${REDACTED}&state=1`);
    expect(redactUrl("http://u:p@[bad/?token=x")).toBe(`http://${REDACTED}@[bad/?token=${REDACTED}`);
  });
});

describe("redactFormBody", () => {
  it("redacts the secrets of a token request body", () => {
    expect(
      redactFormBody("grant_type=authorization_code&code=abc&client_id=id&client_secret=s3&redirect_uri=https%3A%2F%2Fx"),
    ).toBe(`grant_type=authorization_code&code=${REDACTED}&client_id=id&client_secret=${REDACTED}&redirect_uri=https%3A%2F%2Fx`);
  });

  it("leaves pieces without a value alone", () => {
    expect(redactFormBody("flag&token")).toBe("flag&token");
  });
});

describe("redactHeaders", () => {
  it("redacts secret headers from a Headers object and keeps the others", () => {
    const headers = new Headers({
      Authorization: "Bearer abc",
      Cookie: "sid=1",
      "X-Api-Key": "k",
      "X-Custom-Token": "t",
      "X-Webhook-Secret": "s",
      "Stripe-Signature": "t=1,v1=x",
      "Content-Type": "application/json",
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: `Bearer ${REDACTED}`,
      cookie: REDACTED,
      "x-api-key": REDACTED,
      "x-custom-token": REDACTED,
      "x-webhook-secret": REDACTED,
      "stripe-signature": REDACTED,
      "content-type": "application/json",
    });
  });

  it("keeps the Authorization scheme only when a credential follows it", () => {
    expect(redactHeaders({ Authorization: "Basic dXNlcjpwYXNz" })).toEqual({ Authorization: `Basic ${REDACTED}` });
    expect(redactHeaders({ Authorization: "opaque-token" })).toEqual({ Authorization: REDACTED });
  });

  it("redacts each Set-Cookie of a plain object with repeated values", () => {
    expect(redactHeaders({ "Set-Cookie": ["a=1", "b=2"], Vary: ["Accept", "Origin"], Skipped: undefined })).toEqual({
      "Set-Cookie": `${REDACTED}, ${REDACTED}`,
      Vary: "Accept, Origin",
    });
  });

  it("reads header pairs", () => {
    expect(redactHeaders([["X-Request-Id", "r1"], ["X-Auth", "a"]])).toEqual({ "X-Request-Id": "r1", "X-Auth": REDACTED });
  });
});

describe("redactJson", () => {
  it("redacts secret keys at any depth, in objects and arrays", () => {
    const input = {
      ok: true,
      access_token: "at",
      authed_user: { id: "U1", refreshToken: "rt" },
      items: [{ name: "a", password: "p" }],
    };
    expect(redactJson(input)).toEqual({
      ok: true,
      access_token: REDACTED,
      authed_user: { id: "U1", refreshToken: REDACTED },
      items: [{ name: "a", password: REDACTED }],
    });
  });

  it("replaces a secret key's whole value, even an object", () => {
    expect(redactJson({ credentials: { user: "u", pass: "p" }, count: 2 })).toEqual({ credentials: REDACTED, count: 2 });
  });

  it("does not change its input", () => {
    const input = { token: "t" };
    redactJson(input);
    expect(input).toEqual({ token: "t" });
  });

  it("redacts secrets inside URL strings", () => {
    expect(redactJson({ next: "https://graph.test/me?access_token=abc&after=2" })).toEqual({
      next: `https://graph.test/me?access_token=${REDACTED}&after=2`,
    });
  });

  it("passes primitives through", () => {
    expect(redactJson("plain")).toBe("plain");
    expect(redactJson(null)).toBeNull();
    expect(redactJson(42)).toBe(42);
  });

  it("honours toJSON, as JSON.stringify would", () => {
    expect(redactJson({ at: new Date(0) })).toEqual({ at: "1970-01-01T00:00:00.000Z" });
  });

  it("survives cycles and deep nesting", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(redactJson(cyclic)).toEqual({ name: "loop", self: "[Circular]" });

    let deep: unknown = "bottom";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(JSON.stringify(redactJson(deep))).toContain("[Too deep]");
  });
});

describe("redactText", () => {
  it("replaces every occurrence of every secret", () => {
    expect(redactText("a=s3cr3t b=s3cr3t c=xyz", ["s3cr3t", "xyz"])).toBe(`a=${REDACTED} b=${REDACTED} c=${REDACTED}`);
  });

  it("replaces URL-encoded and JSON-escaped spellings of a secret", () => {
    expect(redactText("q=a%2Fb%2Bc", ["a/b+c"])).toBe(`q=${REDACTED}`);
    expect(redactText('{"p":"x\\"y"}', ['x"y'])).toBe(`{"p":"${REDACTED}"}`);
  });

  it("hides a secret whole when another secret is part of it", () => {
    expect(redactText("key=abcdef", ["abc", "abcdef"])).toBe(`key=${REDACTED}`);
  });

  it("treats secrets as literal text, not patterns", () => {
    expect(redactText("a.c abc", ["a.c"])).toBe(`${REDACTED} abc`);
  });

  it("does not match inside the markers it wrote", () => {
    expect(redactText("token RED", ["token", "RED"])).toBe(`${REDACTED} ${REDACTED}`);
  });

  it("ignores empty secrets", () => {
    expect(redactText("text", ["", ""])).toBe("text");
  });
});

describe("truncate", () => {
  it("returns text that fits unchanged", () => {
    expect(truncate("héllo", 6)).toBe("héllo");
  });

  it("cuts to the byte limit, marker included, and counts the bytes left out", () => {
    const result = truncate("a".repeat(100), 40);
    expect(result).toBe(`${"a".repeat(16)}…[truncated 84 bytes]`);
    expect(utf8Length(result)).toBeLessThanOrEqual(40);
  });

  it("never cuts inside a multi-byte character", () => {
    const text = "€".repeat(50); // 3 bytes each
    for (let maxBytes = 30; maxBytes < 40; maxBytes++) {
      const result = truncate(text, maxBytes);
      expect(result).not.toContain("\uFFFD");
      expect(utf8Length(result)).toBeLessThanOrEqual(maxBytes);
      const kept = result.slice(0, result.indexOf("…"));
      expect(result).toBe(`${kept}…[truncated ${150 - utf8Length(kept)} bytes]`);
    }
  });

  it("keeps emoji whole", () => {
    expect(truncate("🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", 30)).toBe("🔑…[truncated 36 bytes]");
  });

  it("cuts without a marker when the marker alone would not fit", () => {
    expect(truncate("abcdefghij", 4)).toBe("abcd");
    expect(truncate("abcdefghij", 0)).toBe("");
  });

  it("refuses a negative or fractional limit", () => {
    expect(() => truncate("a", -1)).toThrow(RangeError);
    expect(() => truncate("a", 1.5)).toThrow(RangeError);
  });
});

describe("isSecretName, the less common spellings", () => {
  it.each(["signingKeys", "db_pwd", "user-otp", "x-session", "auth_code", "PIN", "pass_word", "X-AUTH"])("%s is secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each(["keysCount", "sessionCount", "pinned", "", "--", "123"])("%j is not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe("redactFormBody, odd pairs", () => {
  it("leaves a pair without = as it is, even when it starts like a secret name", () => {
    expect(redactFormBody("a=1&tokenx&flag")).toBe("a=1&tokenx&flag");
  });

  it("reads + as a space in names, and redacts names that are not valid percent-encoding", () => {
    expect(redactFormBody("x+auth=abc&token%E0=def&ok=1")).toBe(`x+auth=${REDACTED}&token%E0=${REDACTED}&ok=1`);
  });
});

describe("redactUrl, other inputs", () => {
  it("normalizes an absolute URL as the parser reads it, even one ending in /", () => {
    expect(redactUrl("HTTPS://Example.COM/")).toBe("https://example.com/");
  });

  it("hides a password given without a user name", () => {
    expect(redactUrl("https://:pw@x.test/a")).toBe(`https://${REDACTED}@x.test/a`);
  });

  it("redacts a path's query and fragment, and leaves a path without either alone", () => {
    expect(redactUrl("/?token=abc")).toBe(`/?token=${REDACTED}`);
    expect(redactUrl("/cb?a=1#access_token=xyz&state=s")).toBe(`/cb?a=1#access_token=${REDACTED}&state=s`);
    expect(redactUrl("/files/token=report.pdf")).toBe("/files/token=report.pdf");
  });
});

describe("redactHeaders, Authorization's scheme", () => {
  it("keeps the scheme only of Authorization and Proxy-Authorization themselves", () => {
    expect(redactHeaders({ "X-Authorization": "Bearer abc", "Authorization-Token": "Bearer abc", "Proxy-Authorization": "Basic abc" })).toEqual({
      "X-Authorization": REDACTED,
      "Authorization-Token": REDACTED,
      "Proxy-Authorization": `Basic ${REDACTED}`,
    });
  });

  it("hides a value that does not start with a scheme whole, and reads a scheme followed by several spaces", () => {
    expect(redactHeaders({ Authorization: "0secret Bearer x" })).toEqual({ Authorization: REDACTED });
    expect(redactHeaders({ Authorization: "Bearer   abc" })).toEqual({ Authorization: `Bearer ${REDACTED}` });
  });
});

describe("redactJson, deep nesting", () => {
  it("stops descending nested objects after 64 levels", () => {
    let nested: unknown = "bottom";
    for (let i = 0; i < 70; i++) nested = { a: nested };
    let level: unknown = redactJson(nested);
    let depth = 0;
    while (typeof level === "object" && level !== null) {
      level = (level as { a: unknown }).a;
      depth++;
    }
    expect([depth, level]).toEqual([64, "[Too deep]"]);
  });

  it("stops descending nested arrays after 64 levels", () => {
    let nested: unknown = "bottom";
    for (let i = 0; i < 70; i++) nested = [nested];
    let level: unknown = redactJson(nested);
    let depth = 0;
    while (Array.isArray(level)) {
      level = level[0];
      depth++;
    }
    expect([depth, level]).toEqual([64, "[Too deep]"]);
  });
});

describe("truncate, at its limits", () => {
  it("refuses a negative or fractional limit in a sentence", () => {
    for (const limit of [-1, 1.5, Number.NaN]) expect(() => truncate("abc", limit)).toThrow(new RangeError("truncate: maxBytes must be a non-negative integer."));
  });

  it("keeps text of exactly the limit in bytes", () => {
    expect(truncate("é".repeat(10), 20)).toBe("é".repeat(10));
    expect(truncate("é".repeat(20), 40)).toBe("é".repeat(20));
  });

  it("fits the marker alone when the limit is exactly its size", () => {
    expect(truncate("a".repeat(100), 24)).toBe("…[truncated 100 bytes]");
    expect(truncate("a".repeat(100), 23)).toBe("a".repeat(23));
  });
});
