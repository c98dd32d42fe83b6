import { describe, expect, it } from "vitest";
import { getProviderOrThrow } from "./catalog";
import { knownScopes, parseScopes, scopesParam } from "./scopes";
import type { OAuth2Provider } from "./schema";

function oauth(id: string): OAuth2Provider {
  const provider = getProviderOrThrow(id);
  if (provider.authKind !== "oauth2") throw new Error(`${id} is not oauth2`);
  return provider;
}

describe("scopesParam", () => {
  it("joins Slack scopes with commas", () => {
    expect(scopesParam(oauth("slack"), ["chat:write", "channels:read"])).toBe("chat:write,channels:read");
  });

  it("joins Microsoft scopes with spaces", () => {
    expect(scopesParam(oauth("microsoft"), ["offline_access", "User.Read"])).toBe("offline_access User.Read");
  });

  it("uses the default scopes when none are given", () => {
    expect(scopesParam(oauth("linear"))).toBe("read,write");
  });

  it("trims and de-duplicates", () => {
    expect(scopesParam(oauth("github"), [" repo", "repo", "", "read:user "])).toBe("repo read:user");
  });

  it("is empty for Notion, which takes no scopes", () => {
    expect(scopesParam(oauth("notion"))).toBe("");
  });

  it("refuses a scope containing the separator", () => {
    expect(() => scopesParam(oauth("slack"), ["chat:write,admin"])).toThrow(/separator/);
    expect(() => scopesParam(oauth("github"), ["repo admin"])).toThrow(/separator/);
  });
});

describe("parseScopes", () => {
  it("accepts GitHub's comma-joined answer and space-joined ones", () => {
    expect(parseScopes("repo,gist")).toEqual(["repo", "gist"]);
    expect(parseScopes("openid profile  email")).toEqual(["openid", "profile", "email"]);
  });

  it("returns [] for nothing", () => {
    expect(parseScopes(undefined)).toEqual([]);
    expect(parseScopes("")).toEqual([]);
  });
});

describe("knownScopes", () => {
  it("lists defaults then optional scopes", () => {
    const scopes = knownScopes(oauth("linkedin"));
    expect(scopes.slice(0, 3)).toEqual(["openid", "profile", "email"]);
    expect(scopes).toContain("w_member_social");
  });
});

describe("parseScopes, stray separators", () => {
  it("ignores leading, trailing and doubled separators and repeats", () => {
    expect(parseScopes(" repo,,gist repo, ")).toEqual(["repo", "gist"]);
  });
});
