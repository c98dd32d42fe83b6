import { describe, expect, it } from "vitest";
import { providerEntries } from "./entries";
import { ProviderCatalogError, providerSchema, validateCatalog, validateProvider } from "./schema";

const slackEntry = providerEntries.find((entry) => entry.id === "slack")!;
const wordpressEntry = providerEntries.find((entry) => entry.id === "wordpress")!;

function without<T extends object>(entry: T, key: string): unknown {
  const copy: Record<string, unknown> = { ...(entry as Record<string, unknown>) };
  delete copy[key];
  return copy;
}

describe("providerSchema", () => {
  it("rejects an oauth2 entry without a token URL, naming the field", () => {
    const result = providerSchema.safeParse(without(slackEntry, "tokenUrl"));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain("tokenUrl");
  });

  it("rejects plain-http endpoints", () => {
    const result = providerSchema.safeParse({ ...slackEntry, authorizeUrl: "http://slack.com/oauth/v2/authorize" });
    expect(result.success).toBe(false);
  });

  it("rejects an unknown auth kind", () => {
    expect(providerSchema.safeParse({ ...slackEntry, authKind: "saml" }).success).toBe(false);
  });

  it("rejects a logo that is not the provider's own file", () => {
    const result = providerSchema.safeParse({ ...slackEntry, logo: "/providers/github.svg" });
    expect(result.error?.issues[0]?.path).toEqual(["logo"]);
  });

  it("rejects a multi-line description", () => {
    expect(providerSchema.safeParse({ ...slackEntry, description: "one\ntwo" }).success).toBe(false);
  });

  it("requires exactly one of apiBaseUrl and apiBaseFrom", () => {
    const both = providerSchema.safeParse({ ...slackEntry, apiBaseFrom: "token_response.instance_url" });
    const neither = providerSchema.safeParse(without(slackEntry, "apiBaseUrl"));
    expect(both.error?.issues[0]?.path).toEqual(["apiBaseUrl"]);
    expect(neither.error?.issues[0]?.path).toEqual(["apiBaseUrl"]);
  });

  it("rejects a credential field reference that does not exist", () => {
    const result = providerSchema.safeParse({
      ...wordpressEntry,
      basicAuth: { usernameField: "user", passwordField: "applicationPassword" },
    });
    expect(result.error?.issues[0]?.path).toEqual(["basicAuth", "usernameField"]);
  });

  it("fills defaults: headers, error style, rotation", () => {
    const parsed = providerSchema.parse({ ...slackEntry, errorStyle: undefined, refresh: { supported: true } });
    expect(parsed.errorStyle).toBe("standard");
    expect(parsed.defaultHeaders).toEqual({});
    expect(parsed.authKind === "oauth2" && parsed.refresh.rotation).toBe("none");
  });
});

describe("validateProvider", () => {
  it("throws a ProviderCatalogError naming the provider and the missing token URL", () => {
    let caught: unknown;
    try {
      validateProvider(without(slackEntry, "tokenUrl"));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderCatalogError);
    const error = caught as ProviderCatalogError;
    expect(error.providerId).toBe("slack");
    expect(error.field).toBe("tokenUrl");
    expect(error.message).toMatch(/^Provider "slack": field "tokenUrl" /);
  });

  it("names an entry without an id by its position", () => {
    expect(() => validateProvider({ authKind: "oauth2" }, 3)).toThrow(/^Provider "#3"/);
  });
});

describe("validateCatalog", () => {
  it("refuses two entries with the same id", () => {
    expect(() => validateCatalog([slackEntry, slackEntry])).toThrow(/Provider "slack": field "id" is used by more/);
  });

  it("returns every entry validated", () => {
    expect(validateCatalog(providerEntries)).toHaveLength(providerEntries.length);
  });
});
