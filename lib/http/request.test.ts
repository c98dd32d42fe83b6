import { describe, expect, it } from "vitest";
import { encodeBody, logsBodies, providerHeaders, REQUEST_PURPOSES, USER_AGENT } from "./request";

describe("logsBodies", () => {
  it("keeps no bodies of token endpoint traffic, which carries grants and client secrets", () => {
    expect(REQUEST_PURPOSES.filter((purpose) => !logsBodies(purpose))).toEqual(["token", "refresh", "revoke"]);
    expect(REQUEST_PURPOSES.filter(logsBodies)).toEqual(["call", "test", "verify", "keep_alive"]);
  });
});

describe("providerHeaders", () => {
  it("asks for JSON as Switchboard, then lets the catalog's and the caller's headers replace either", () => {
    const plain = providerHeaders({ defaultHeaders: {} });
    expect([...plain.entries()]).toEqual([
      ["accept", "application/json"],
      ["user-agent", USER_AGENT],
    ]);
    expect(USER_AGENT).toBe("Switchboard/1.0");
    const reddit = providerHeaders({ defaultHeaders: { "User-Agent": "web:switchboard:1.0", "X-A": "1" } }, { "X-A": "2", Accept: "text/plain" });
    expect(reddit.get("User-Agent")).toBe("web:switchboard:1.0");
    expect(reddit.get("X-A")).toBe("2");
    expect(reddit.get("Accept")).toBe("text/plain");
  });
});

describe("encodeBody", () => {
  it("writes JSON or form fields with their Content-Type", () => {
    expect(encodeBody("json", { a: "1 2", b: "&" })).toEqual({ contentType: "application/json", body: '{"a":"1 2","b":"&"}' });
    expect(encodeBody("form", { a: "1 2", b: "&" })).toEqual({ contentType: "application/x-www-form-urlencoded", body: "a=1+2&b=%26" });
  });
});
