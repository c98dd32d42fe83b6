import { z } from "zod";

/**
 * The shape of one provider entry. Entries are data: the OAuth layer, the call
 * pipeline, the UI and the provider simulator all read them, so every field here
 * is something at least one of them acts on.
 */

const HTTPS_URL = /^https:\/\/[^/\s]+/;

/** An absolute https URL. May contain `{client_id}` (GitHub's revoke path). */
const httpsUrl = z
  .string()
  .regex(HTTPS_URL, "must be an absolute https:// URL")
  .refine((value) => URL.canParse(value), "must be a valid URL");

/** A path relative to the API base: starts with `/`, may carry a query string. */
const relativePath = z.string().regex(/^\/[^\s]*$/, "must start with / and contain no spaces");

/** A dot path into a JSON value: `login`, `data.gid`, `0.id`. */
const dotPath = z.string().regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, "must be a dot path like a.b.0.c");

const headerRecord = z.record(
  z.string().regex(/^[A-Za-z0-9-]+$/, "header names are letters, digits and dashes"),
  z.string(),
);

export const PROVIDER_CATEGORIES = [
  "communication",
  "engineering",
  "productivity",
  "crm",
  "social",
  "cms",
  "calendar",
  "email",
  "webhooks",
] as const;

export const AUTH_KINDS = ["oauth2", "basic", "api_key", "webhook_url"] as const;

export const ERROR_STYLES = [
  /** RFC 6749: non-2xx with `{ error, error_description }`. */
  "standard",
  /** Slack: HTTP 200 with `{ ok: false, error }`; always check `ok`. */
  "slack_ok_false",
  /** GitHub's token endpoint: HTTP 200 with `{ error, error_description }`. */
  "github_200_error",
] as const;

export const categorySchema = z.enum(PROVIDER_CATEGORIES);
export const errorStyleSchema = z.enum(ERROR_STYLES);

/** The request that proves a credential works, and where the account is in its answer. */
export const testRequestSchema = z.object({
  method: z.enum(["GET", "POST"]),
  /** Relative to the API base URL; may include a query string. */
  path: relativePath,
  /** JSON body for POST tests (Linear's GraphQL `viewer` query). */
  body: z.json().optional(),
  account: z.object({
    /** Dot path to a stable account id in the JSON response. */
    idPath: dotPath,
    /** Dot path to a human-readable account name. */
    namePath: dotPath.optional(),
    /** Dot path to a boolean that must be `true` (Slack's `ok`). */
    successPath: dotPath.optional(),
  }),
});

export const scopeSchema = z.object({
  scope: z.string().min(1),
  description: z.string().min(1).max(140),
});

/** How a token is revoked at the provider (RFC 7009 or the provider's own shape). */
export const revokeSchema = z.object({
  /** May contain `{client_id}`, replaced by the OAuth client id. */
  url: httpsUrl,
  method: z.enum(["POST", "DELETE"]),
  /** How the client authenticates: Basic header, id+secret in the body, or not at all. */
  clientAuth: z.enum(["basic", "body", "none"]),
  /** Where the token goes: a form field, a JSON field, or `Authorization: Bearer <token>`. */
  tokenIn: z.enum(["form", "json", "bearer"]),
  /** Field name for form/json (`token`, GitHub's `access_token`). */
  tokenField: z.string().default("token"),
  /** Which token to send: revoking the refresh token ends the whole grant where supported. */
  token: z.enum(["access_token", "refresh_token"]).default("access_token"),
  /** Extra fields sent with the token, e.g. Reddit's `token_type_hint`. */
  extraParams: z.record(z.string(), z.string()).default({}),
});

export const refreshSchema = z.object({
  supported: z.boolean(),
  /**
   * none: the refresh token stays the same (often omitted from the refresh answer);
   * reissued: a new one comes back and the old keeps working (Microsoft);
   * single_use: a new one comes back and the old one dies on use (Atlassian, Zoom).
   */
  rotation: z.enum(["none", "reissued", "single_use"]).default("none"),
  /** Set when refresh tokens exist only after an app-level opt-in (Slack token rotation). */
  optIn: z.string().optional(),
});

export const FIELD_TYPES = ["text", "password", "url", "select"] as const;

export const credentialFieldSchema = z.object({
  name: z.string().regex(/^[a-z][A-Za-z0-9]*$/, "field names are camelCase"),
  label: z.string().min(1),
  type: z.enum(FIELD_TYPES),
  placeholder: z.string().optional(),
  help: z.string().optional(),
  helpUrl: httpsUrl.optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  /** Required when shown; a field with `visibleWhen` is shown only if that field has one of the values. */
  required: z.boolean(),
  /** Secrets are encrypted at rest and never sent back to the browser. */
  secret: z.boolean(),
  visibleWhen: z.object({ field: z.string(), in: z.array(z.string()).min(1) }).optional(),
});

/**
 * Where the API base URL comes from when it is not fixed:
 * `token_response.<field>` (Salesforce's `instance_url`) or `credentials.<field>`
 * (a WordPress site URL).
 */
const apiBaseFromSchema = z.string().regex(/^(token_response|credentials)\.[A-Za-z_][A-Za-z0-9_]*$/);

const commonFields = {
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, "ids are lowercase kebab-case"),
  displayName: z.string().min(1),
  description: z
    .string()
    .min(1)
    .max(160)
    .regex(/^[^\n]+$/, "one line"),
  category: categorySchema,
  /** Public path of the logo, `/providers/<id>.svg` (the file lives in `public/`). */
  logo: z.string().regex(/^\/providers\/[a-z0-9-]+\.svg$/, "must be /providers/<id>.svg"),
  docsUrl: httpsUrl.optional(),
  /** Headers every API call carries (Notion-Version, Reddit's User-Agent). */
  defaultHeaders: headerRecord.default({}),
  errorStyle: errorStyleSchema.default("standard"),
  /** How long before expiry a token is refreshed; the app default applies when absent. */
  refreshMarginMs: z.number().int().positive().optional(),
};

export const oauth2ProviderSchema = z.object({
  ...commonFields,
  authKind: z.literal("oauth2"),
  authorizeUrl: httpsUrl,
  tokenUrl: httpsUrl,
  revoke: revokeSchema.optional(),
  /** Fixed API base; absent only when `apiBaseFrom` says where it comes from. */
  apiBaseUrl: httpsUrl.optional(),
  apiBaseFrom: apiBaseFromSchema.optional(),
  defaultScopes: z.array(z.string().min(1)),
  optionalScopes: z.array(scopeSchema).default([]),
  scopeSeparator: z.enum([" ", ","]),
  pkce: z.boolean(),
  /** basic: `Authorization: Basic base64(id:secret)`; body: `client_id`/`client_secret` fields. */
  tokenEndpointAuth: z.enum(["body", "basic"]),
  /** Body encoding of token requests; Notion documents JSON. */
  tokenRequestFormat: z.enum(["form", "json"]).default("form"),
  /** Headers for token requests (GitHub answers form-encoded without `Accept: application/json`). */
  tokenRequestHeaders: headerRecord.default({}),
  /** Extra query parameters on the authorize URL (`duration=permanent`, `audience=…`). */
  authorizeParams: z.record(z.string(), z.string()).default({}),
  refresh: refreshSchema,
  /**
   * `token_type` values the token endpoint answers (RFC 6749 §7.1), compared without
   * case. Anything else (`DPoP`, `mac`, none at all) is refused: we only send Bearer.
   * Slack answers `bot` (and `user` for user tokens), which it uses as Bearer tokens.
   */
  tokenTypes: z.array(z.string().min(1)).min(1).default(["Bearer"]),
  /**
   * RFC 9207: the issuer identifier the provider puts in its authorization response as
   * `iss`, where it documents one. A present `iss` must equal `value`; when
   * `alwaysSent`, a response without one is refused too.
   */
  issuer: z.object({ value: httpsUrl, alwaysSent: z.boolean() }).optional(),
  /**
   * Typical access-token lifetime (after the opt-in, when `refresh.optIn` is set); null when
   * the token response carries no `expires_in`.
   */
  accessTokenLifetimeSeconds: z.number().int().positive().nullable(),
  /** Dot paths in the token response worth keeping as connection metadata. */
  tokenResponseFields: z.array(dotPath).default([]),
  test: testRequestSchema,
});

export const basicProviderSchema = z.object({
  ...commonFields,
  authKind: z.literal("basic"),
  apiBaseUrl: httpsUrl.optional(),
  apiBaseFrom: apiBaseFromSchema.optional(),
  /** Appended to a base taken from `apiBaseFrom` (WordPress: `/wp-json`). */
  apiBasePath: z.string().regex(/^\/[^\s]*$/).optional(),
  basicAuth: z.object({ usernameField: z.string(), passwordField: z.string() }),
  fields: z.array(credentialFieldSchema).min(1),
  test: testRequestSchema,
});

export const apiKeyPlacementSchema = z.object({
  in: z.enum(["query", "header"]),
  /** Query parameter or header name. */
  name: z.string().min(1),
  /** The credential field whose value goes there. */
  field: z.string().min(1),
  /** Prefix for header values, e.g. `Bearer `. */
  prefix: z.string().optional(),
});

export const apiKeyProviderSchema = z.object({
  ...commonFields,
  authKind: z.literal("api_key"),
  apiBaseUrl: httpsUrl,
  placement: z.array(apiKeyPlacementSchema).min(1),
  fields: z.array(credentialFieldSchema).min(1),
  test: testRequestSchema,
});

export const webhookProviderSchema = z.object({
  ...commonFields,
  authKind: z.literal("webhook_url"),
  fields: z.array(credentialFieldSchema).min(1),
  webhook: z.object({
    /** The field holding the URL deliveries go to. */
    urlField: z.string(),
    /** The field holding the HTTP method, when the user picks it. */
    methodField: z.string().optional(),
    defaultMethod: z.enum(["POST", "PUT", "PATCH"]).default("POST"),
    /** When set, the URL must start with one of these (rewritten for the simulator too). */
    allowedUrlPrefixes: z.array(httpsUrl).optional(),
    /** What a test delivery sends. */
    samplePayload: z.json(),
  }),
});

export const providerSchema = z
  .discriminatedUnion("authKind", [
    oauth2ProviderSchema,
    basicProviderSchema,
    apiKeyProviderSchema,
    webhookProviderSchema,
  ])
  .superRefine((provider, ctx) => {
    if (provider.logo !== `/providers/${provider.id}.svg`) {
      ctx.addIssue({ code: "custom", path: ["logo"], message: `must be /providers/${provider.id}.svg` });
    }
    if (provider.authKind === "oauth2" || provider.authKind === "basic") {
      const hasFixed = provider.apiBaseUrl !== undefined;
      const hasFrom = provider.apiBaseFrom !== undefined;
      if (hasFixed === hasFrom) {
        ctx.addIssue({
          code: "custom",
          path: ["apiBaseUrl"],
          message: "set exactly one of apiBaseUrl and apiBaseFrom",
        });
      }
    }
    if ("fields" in provider) {
      const names = provider.fields.map((field) => field.name);
      const duplicate = names.find((name, index) => names.indexOf(name) !== index);
      if (duplicate) {
        ctx.addIssue({ code: "custom", path: ["fields"], message: `duplicate field "${duplicate}"` });
      }
      provider.fields.forEach((field, index) => {
        if (field.type === "select" && !field.options?.length) {
          ctx.addIssue({ code: "custom", path: ["fields", index, "options"], message: "select fields need options" });
        }
        if (field.visibleWhen && !names.includes(field.visibleWhen.field)) {
          ctx.addIssue({
            code: "custom",
            path: ["fields", index, "visibleWhen", "field"],
            message: `unknown field "${field.visibleWhen.field}"`,
          });
        }
      });
      const referenced = referencedFields(provider);
      for (const [path, name] of referenced) {
        if (!names.includes(name)) {
          ctx.addIssue({ code: "custom", path, message: `unknown field "${name}"` });
        }
      }
    }
    if (provider.authKind === "oauth2" && provider.refresh.optIn && !provider.refresh.supported) {
      ctx.addIssue({ code: "custom", path: ["refresh", "optIn"], message: "optIn needs supported: true" });
    }
  });

/** Field names an entry refers to, with the path of the reference, so typos fail validation. */
function referencedFields(provider: z.output<typeof providerSchema>): Array<[PropertyKey[], string]> {
  switch (provider.authKind) {
    case "oauth2":
      return [];
    case "basic": {
      const refs: Array<[PropertyKey[], string]> = [
        [["basicAuth", "usernameField"], provider.basicAuth.usernameField],
        [["basicAuth", "passwordField"], provider.basicAuth.passwordField],
      ];
      if (provider.apiBaseFrom?.startsWith("credentials.")) {
        refs.push([["apiBaseFrom"], provider.apiBaseFrom.slice("credentials.".length)]);
      }
      return refs;
    }
    case "api_key":
      return provider.placement.map((p, index): [PropertyKey[], string] => [["placement", index, "field"], p.field]);
    case "webhook_url": {
      const refs: Array<[PropertyKey[], string]> = [[["webhook", "urlField"], provider.webhook.urlField]];
      if (provider.webhook.methodField) refs.push([["webhook", "methodField"], provider.webhook.methodField]);
      return refs;
    }
    default:
      return provider satisfies never;
  }
}

/** What an entry looks like before validation fills the defaults in. */
export type ProviderInput = z.input<typeof providerSchema>;
/** A validated provider entry. */
export type Provider = z.output<typeof providerSchema>;
export type OAuth2Provider = Extract<Provider, { authKind: "oauth2" }>;
export type BasicProvider = Extract<Provider, { authKind: "basic" }>;
export type ApiKeyProvider = Extract<Provider, { authKind: "api_key" }>;
export type WebhookProvider = Extract<Provider, { authKind: "webhook_url" }>;
export type AuthKind = Provider["authKind"];
export type ProviderCategory = z.output<typeof categorySchema>;
export type ErrorStyle = z.output<typeof errorStyleSchema>;
export type TestRequest = z.output<typeof testRequestSchema>;
export type RevokeSpec = z.output<typeof revokeSchema>;
export type RefreshSpec = z.output<typeof refreshSchema>;
export type CredentialField = z.output<typeof credentialFieldSchema>;
export type ScopeInfo = z.output<typeof scopeSchema>;

/** A catalog entry failed validation; `providerId` and `field` say where. */
export class ProviderCatalogError extends Error {
  readonly providerId: string;
  readonly field: string;
  constructor(providerId: string, field: string, message: string, options?: { cause?: unknown }) {
    super(`Provider "${providerId}": ${field ? `field "${field}" ` : ""}${message}`, options);
    this.name = "ProviderCatalogError";
    this.providerId = providerId;
    this.field = field;
  }
}

/**
 * Validates one entry, filling defaults; throws `ProviderCatalogError` naming the
 * provider and the first bad field.
 * @example validateProvider({ id: "slack", ... }) // → Provider
 */
export function validateProvider(entry: unknown, position?: number): Provider {
  const result = providerSchema.safeParse(entry);
  if (result.success) return result.data;
  const rawId = typeof entry === "object" && entry !== null ? (entry as { id?: unknown }).id : undefined;
  const providerId = typeof rawId === "string" ? rawId : `#${position ?? "?"}`;
  const issue = result.error.issues[0];
  const field = issue ? issue.path.map(String).join(".") : "";
  const rest = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : "";
  throw new ProviderCatalogError(providerId, field, `${issue?.message ?? "is invalid"}${rest}`, {
    cause: result.error,
  });
}

/** Validates a list of entries and checks ids are unique. */
export function validateCatalog(entries: readonly unknown[]): Provider[] {
  const providers = entries.map((entry, index) => validateProvider(entry, index));
  const seen = new Set<string>();
  for (const provider of providers) {
    if (seen.has(provider.id)) {
      throw new ProviderCatalogError(provider.id, "id", "is used by more than one entry");
    }
    seen.add(provider.id);
  }
  return providers;
}
