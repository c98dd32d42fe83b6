import { describe, expect, it } from "vitest";
import { providerEntries } from "./entries";
import { ProviderCatalogError, providerSchema, validateCatalog, validateProvider, type ProviderInput } from "./schema";

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

/** What a catalog author reads when an entry is wrong: the error's message, or "ok". */
function problem(entry: unknown, position?: number): string {
  try {
    validateProvider(entry, position);
    return "ok";
  } catch (error) {
    if (error instanceof ProviderCatalogError) return error.message;
    throw error;
  }
}
const entry = (id: string) => providerEntries.find((candidate) => candidate.id === id)! as Record<string, unknown> & ProviderInput;
const slack = entry("slack") as Extract<ProviderInput, { authKind: "oauth2" }>;
const wordpress = entry("wordpress") as Extract<ProviderInput, { authKind: "basic" }>;
const trello = entry("trello") as Extract<ProviderInput, { authKind: "api_key" }>;
const customWebhook = entry("custom-webhook") as Extract<ProviderInput, { authKind: "webhook_url" }>;
const field = (overrides: Record<string, unknown>) => ({ ...wordpress.fields[0], ...overrides });

describe("what a catalog author is told about a URL, path or name", () => {
  it("an endpoint must start with https://, not merely contain it, and must parse", () => {
    expect(problem({ ...slack, authorizeUrl: "http://evil.example/?https://slack.com" })).toBe(
      'Provider "slack": field "authorizeUrl" must be an absolute https:// URL',
    );
    expect(problem({ ...slack, authorizeUrl: "https://exa mple.com/x" })).toBe('Provider "slack": field "authorizeUrl" must be a valid URL');
  });

  it.each(["a/b", "/a b", ""])("a test path %j must start with / and contain no spaces", (path) => {
    expect(problem({ ...slack, test: { ...slack.test, path } })).toBe(
      'Provider "slack": field "test.path" must start with / and contain no spaces',
    );
  });

  it.each(["a..b", ".a", "a.", "a b"])("a dot path %j is refused", (idPath) => {
    expect(problem({ ...slack, test: { ...slack.test, account: { idPath } } })).toBe(
      'Provider "slack": field "test.account.idPath" must be a dot path like a.b.0.c',
    );
  });

  it("a header name with a space is refused, with the rule in the error's cause", () => {
    let caught: unknown;
    try {
      validateProvider({ ...slack, defaultHeaders: { "X Y": "1" } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderCatalogError);
    expect((caught as Error).message).toMatch(/^Provider "slack": field "defaultHeaders\.X Y" /);
    expect(JSON.stringify((caught as Error).cause)).toContain("header names are letters, digits and dashes");
    expect(problem({ ...slack, defaultHeaders: { "X-Y": "1" } })).toBe("ok");
  });

  it.each(["api-key", "ApiKey", "9key"])("a credential field named %j is refused", (name) => {
    expect(problem({ ...wordpress, fields: [...wordpress.fields, field({ name })] })).toBe(
      'Provider "wordpress": field "fields.3.name" field names are camelCase',
    );
  });

  it.each(["my_id", "My-id", "-x"])("an id %j is refused", (id) => {
    expect(problem({ ...slack, id, logo: `/providers/${id}.svg` })).toMatch(
      new RegExp(`^Provider "${id}": field "id" ids are lowercase kebab-case`),
    );
  });

  it("a description must be one line", () => {
    expect(problem({ ...slack, description: "one\ntwo" })).toBe('Provider "slack": field "description" one line');
  });

  it("a logo is exactly /providers/<id>.svg", () => {
    expect(problem({ ...slack, logo: "/providers/slack.svg?v=2" })).toBe(
      'Provider "slack": field "logo" must be /providers/<id>.svg (and 1 more)',
    );
    expect(problem({ ...slack, logo: "/static/providers/slack.svg" })).toBe(
      'Provider "slack": field "logo" must be /providers/<id>.svg (and 1 more)',
    );
    expect(problem({ ...slack, logo: "/providers/github.svg" })).toBe('Provider "slack": field "logo" must be /providers/slack.svg');
  });

  it("apiBaseFrom names a token response or credential field, anchored both ends", () => {
    const oauthFrom = (apiBaseFrom: string) => problem({ ...slack, apiBaseUrl: undefined, apiBaseFrom });
    expect(oauthFrom("token_response.instance_url")).toBe("ok");
    for (const bad of ["token_response.instance-url", "x.token_response.instance_url", "token_response."]) {
      expect(oauthFrom(bad)).toMatch(/^Provider "slack": field "apiBaseFrom" /);
    }
  });

  it("a WordPress-style base path must start with / and contain no spaces", () => {
    expect(problem({ ...wordpress, apiBasePath: "wp-json" })).toMatch(/field "apiBasePath"/);
    expect(problem({ ...wordpress, apiBasePath: "wp/json" })).toMatch(/field "apiBasePath"/);
    expect(problem({ ...wordpress, apiBasePath: "/wp-json" })).toBe("ok");
    expect(problem({ ...wordpress, apiBasePath: "/wp json" })).toMatch(/field "apiBasePath"/);
  });

  it("an unknown auth kind is named", () => {
    expect(problem({ ...slack, authKind: "saml" })).toMatch(/^Provider "slack": field "authKind" /);
  });

  it("an OAuth issuer is kept whole, and must be an https URL", () => {
    const issuer = { value: "https://slack.com", alwaysSent: true };
    const parsed = validateProvider({ ...slack, issuer });
    expect(parsed.authKind === "oauth2" && parsed.issuer).toEqual(issuer);
    expect(problem({ ...slack, issuer: { value: "http://slack.com", alwaysSent: true } })).toMatch(/field "issuer\.value"/);
  });
});

describe("what the schema fills in", () => {
  it("a revocation sends the access token in a field named token unless the entry says otherwise", () => {
    const revoke = { url: "https://slack.com/api/auth.revoke", method: "POST", clientAuth: "none", tokenIn: "form" } as const;
    const parsed = validateProvider({ ...slack, revoke });
    expect(parsed.authKind === "oauth2" && parsed.revoke).toEqual({ ...revoke, tokenField: "token", token: "access_token", extraParams: {} });
    const refresh = validateProvider({ ...slack, revoke: { ...revoke, token: "refresh_token" } });
    expect(refresh.authKind === "oauth2" && refresh.revoke?.token).toBe("refresh_token");
    const access = validateProvider({ ...slack, revoke: { ...revoke, token: "access_token" } });
    expect(access.authKind === "oauth2" && access.revoke?.token).toBe("access_token");
  });

  it("token requests are form-encoded and keep no response fields unless the entry says so", () => {
    const parsed = validateProvider({ ...slack, tokenRequestFormat: undefined, tokenResponseFields: undefined });
    expect(parsed.authKind === "oauth2" && [parsed.tokenRequestFormat, parsed.tokenResponseFields]).toEqual(["form", []]);
    for (const format of ["form", "json"] as const) {
      const chosen = validateProvider({ ...slack, tokenRequestFormat: format });
      expect(chosen.authKind === "oauth2" && chosen.tokenRequestFormat).toBe(format);
    }
  });

  it("a webhook delivers with POST unless the entry picks PUT or PATCH", () => {
    const { defaultMethod: _default, ...webhook } = customWebhook.webhook;
    const parsed = validateProvider({ ...customWebhook, webhook });
    expect(parsed.authKind === "webhook_url" && parsed.webhook.defaultMethod).toBe("POST");
    for (const method of ["PUT", "PATCH", "POST"] as const) {
      const chosen = validateProvider({ ...customWebhook, webhook: { ...webhook, defaultMethod: method } });
      expect(chosen.authKind === "webhook_url" && chosen.webhook.defaultMethod).toBe(method);
    }
    expect(problem({ ...customWebhook, webhook: { ...webhook, defaultMethod: "GET" } })).toMatch(/field "webhook\.defaultMethod"/);
  });

  it("an API key may go in a header or the query", () => {
    const placement = [{ in: "header", name: "Authorization", field: "apiKey", prefix: "Key " }];
    expect(problem({ ...trello, placement })).toBe("ok");
    expect(problem({ ...trello, placement: [{ ...placement[0], in: "cookie" }] })).toMatch(/field "placement\.0\.in"/);
  });

  it("a field may be shown for several values of another, but not for none", () => {
    const headerName = customWebhook.fields.find((candidate) => candidate.name === "headerName")!;
    const both = { ...headerName, visibleWhen: { field: "authMode", in: ["header", "bearer"] } };
    const fields = customWebhook.fields.map((candidate) => (candidate.name === "headerName" ? both : candidate));
    expect(problem({ ...customWebhook, fields })).toBe("ok");
    const none = customWebhook.fields.map((candidate) => (candidate.name === "headerName" ? { ...both, visibleWhen: { field: "authMode", in: [] } } : candidate));
    expect(problem({ ...customWebhook, fields: none })).toMatch(/field "fields\.3\.visibleWhen\.in"/);
  });
});

describe("what the cross-field checks tell a catalog author", () => {
  it("a Basic entry needs exactly one of a fixed base and a base from its fields", () => {
    expect(problem({ ...wordpress, apiBaseFrom: undefined })).toBe(
      'Provider "wordpress": field "apiBaseUrl" set exactly one of apiBaseUrl and apiBaseFrom',
    );
    expect(problem({ ...wordpress, apiBaseFrom: undefined, apiBaseUrl: "https://blog.example/wp-json" })).toBe("ok");
    expect(problem({ ...wordpress, apiBaseFrom: "token_response.site" })).toBe("ok");
  });

  it("two fields with one name, a select without options and a visibleWhen naming no field are each refused", () => {
    expect(problem({ ...wordpress, fields: [...wordpress.fields, wordpress.fields[0]] })).toBe(
      'Provider "wordpress": field "fields" duplicate field "siteUrl"',
    );
    expect(problem({ ...wordpress, fields: [...wordpress.fields, field({ name: "mode", type: "select" })] })).toBe(
      'Provider "wordpress": field "fields.3.options" select fields need options',
    );
    expect(problem({ ...wordpress, fields: [...wordpress.fields, field({ name: "mode", type: "select", options: [] })] })).toBe(
      'Provider "wordpress": field "fields.3.options" select fields need options',
    );
    expect(problem({ ...wordpress, fields: [...wordpress.fields, field({ name: "extra", visibleWhen: { field: "nope", in: ["x"] } })] })).toBe(
      'Provider "wordpress": field "fields.3.visibleWhen.field" unknown field "nope"',
    );
  });

  it("every field an entry points at must exist", () => {
    expect(problem({ ...wordpress, basicAuth: { usernameField: "username", passwordField: "secret" } })).toBe(
      'Provider "wordpress": field "basicAuth.passwordField" unknown field "secret"',
    );
    expect(problem({ ...wordpress, apiBaseFrom: "credentials.site" })).toBe('Provider "wordpress": field "apiBaseFrom" unknown field "site"');
    expect(problem({ ...trello, placement: [...trello.placement, { in: "query", name: "x", field: "secret" }] })).toBe(
      'Provider "trello": field "placement.2.field" unknown field "secret"',
    );
    expect(problem({ ...customWebhook, webhook: { ...customWebhook.webhook, urlField: "endpoint" } })).toBe(
      'Provider "custom-webhook": field "webhook.urlField" unknown field "endpoint"',
    );
    expect(problem({ ...customWebhook, webhook: { ...customWebhook.webhook, methodField: "verb" } })).toBe(
      'Provider "custom-webhook": field "webhook.methodField" unknown field "verb"',
    );
  });

  it("a refresh opt-in needs refresh support", () => {
    expect(problem({ ...slack, refresh: { supported: false, optIn: "Turn on token rotation." } })).toBe(
      'Provider "slack": field "refresh.optIn" optIn needs supported: true',
    );
    expect(problem({ ...slack, refresh: { supported: true, optIn: "Turn on token rotation." } })).toBe("ok");
  });
});

describe("ProviderCatalogError", () => {
  it("names an entry that is not an object by its position, or ? without one, and no field", () => {
    expect(problem(42)).toBe('Provider "#?": Invalid input: expected object, received number');
    expect(problem(null, 4)).toBe('Provider "#4": Invalid input: expected object, received null');
  });

  it("counts the problems after the first", () => {
    expect(problem({ ...slack, tokenUrl: "x" })).toBe('Provider "slack": field "tokenUrl" must be an absolute https:// URL (and 1 more)');
    expect(problem({ ...slack, tokenUrl: "x", test: { ...slack.test, path: "a b" } })).toBe(
      'Provider "slack": field "tokenUrl" must be an absolute https:// URL (and 2 more)',
    );
  });

  it("is named, and carries zod's issues as its cause", () => {
    let caught: unknown;
    try {
      validateProvider({ ...slack, tokenUrl: "x" });
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).name).toBe("ProviderCatalogError");
    expect((caught as Error & { cause: { issues: unknown[] } }).cause.issues).toHaveLength(2);
  });
});
