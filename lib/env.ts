/**
 * Typed, validated environment variables, read at the point of use.
 *
 * Each schema describes the variables one feature needs; `readEnv(schema)` checks them
 * and throws an `EnvError` that names every missing or malformed variable and says why,
 * without ever repeating a value. Pure: it only reads the record it is given (by default
 * `process.env`, which Convex functions and Node both have).
 *
 * Next.js inlines `NEXT_PUBLIC_*` variables only where `process.env.NAME` is written out
 * literally, so browser code passes them explicitly:
 * @example
 * const env = readEnv(publicEnv, {
 *   NEXT_PUBLIC_CONVEX_URL: process.env.NEXT_PUBLIC_CONVEX_URL,
 *   NEXT_PUBLIC_SIMULATED_PROVIDERS: process.env.NEXT_PUBLIC_SIMULATED_PROVIDERS,
 * });
 */
import { z } from "zod";

/** The variables to read from: `process.env` or any record like it. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** What is wrong with one variable. */
export type EnvProblem = {
  variable: string;
  kind: "missing" | "invalid";
  /** Why, in words fit for a developer's terminal; never contains the value. */
  reason: string;
};

/** Some variables a feature needs are missing or malformed. */
export class EnvError extends Error {
  override readonly name = "EnvError";
  readonly problems: readonly EnvProblem[];

  constructor(problems: readonly EnvProblem[]) {
    super(
      `Environment variables are missing or invalid:\n` +
        problems.map((p) => `  - ${p.variable} ${p.kind === "missing" ? "is not set" : p.reason}`).join("\n"),
    );
    this.problems = problems;
  }

  /** The names of the variables at fault. */
  get variables(): string[] {
    return this.problems.map((p) => p.variable);
  }
}

/** The Convex CLI, `process.env` of Convex functions, and Node all provide `process.env`. */
function defaultSource(): EnvSource {
  return typeof process === "undefined" ? {} : process.env;
}

/** Values longer than this are scrubbed from error messages (shorter ones are words like "1"). */
const REDACT_MIN_LENGTH = 4;

/**
 * The variables `schema` describes, validated, from `source`. An empty string counts as
 * unset (so `FOO=` in a .env file does not satisfy a required variable).
 * Throws `EnvError` listing every problem at once.
 * @example const { SWITCHBOARD_ENCRYPTION_KEYS } = readEnv(encryptionEnv);
 */
export function readEnv<S extends z.ZodType>(schema: S, source: EnvSource = defaultSource()): z.output<S> {
  const values: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(source)) values[name] = value === "" ? undefined : value;
  const result = schema.safeParse(values);
  if (result.success) return result.data;

  const problems = new Map<string, EnvProblem>();
  for (const issue of result.error.issues) {
    const variable = issue.path.length > 0 ? String(issue.path[0]) : "environment";
    if (problems.has(variable)) continue;
    const value = values[variable];
    problems.set(
      variable,
      value === undefined
        ? { variable, kind: "missing", reason: "is not set" }
        : { variable, kind: "invalid", reason: redact(issue.message, value) },
    );
  }
  throw new EnvError([...problems.values()]);
}

// A schema's message should never quote the value, but a custom one might; this is the
// last line of defence for secrets on their way to a log.
function redact(message: string, value: string): string {
  return value.length >= REDACT_MIN_LENGTH ? message.split(value).join("[redacted]") : message;
}

// ---------------------------------------------------------------------------
// Building blocks

const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL (${what})` });
const nonEmpty = (what: string) => z.string().refine((v) => v.trim() !== "", { error: `must not be blank (${what})` });

const PKCS8_HEADER = "-----BEGIN PRIVATE KEY-----";
const PKCS8_FOOTER = "-----END PRIVATE KEY-----";

function isJwksJson(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null) return false;
    const keys = (parsed as { keys?: unknown }).keys;
    return Array.isArray(keys) && keys.length > 0 && keys.every((key) => typeof key === "object" && key !== null);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Schemas

/**
 * What Convex Auth needs on the deployment. `npm run dev` generates the first three;
 * `CONVEX_SITE_URL` is built into every Convex deployment (tests set it).
 */
export const convexAuthEnv = z.object({
  // jose's importPKCS8 (what Convex Auth calls) wants the header at the very start.
  JWT_PRIVATE_KEY: z.string().refine((v) => v.startsWith(PKCS8_HEADER) && v.includes(PKCS8_FOOTER), {
    error: `must be a PKCS#8 PEM private key starting with "${PKCS8_HEADER}"`,
  }),
  JWKS: z.string().refine(isJwksJson, { error: 'must be JSON like {"keys":[{…}]} with at least one key' }),
  SITE_URL: httpUrl("where the app runs, e.g. http://localhost:3000"),
  CONVEX_SITE_URL: httpUrl("the deployment's HTTP actions URL"),
});

/** The deployment's HTTP actions URL: where providers deliver webhooks (`/webhooks/…`). */
export const convexSiteEnv = z.object({
  CONVEX_SITE_URL: httpUrl("the deployment's HTTP actions URL"),
});

/** Where the app runs, for links and OAuth redirect URIs that Convex functions build. */
export const siteEnv = z.object({
  SITE_URL: httpUrl("where the app runs, e.g. http://localhost:3000"),
});

/** The vault's key ring. Only presence is checked here; lib/vault parses the entries. */
export const encryptionEnv = z.object({
  SWITCHBOARD_ENCRYPTION_KEYS: nonEmpty('"id:base64key" entries separated by commas, newest first'),
});

/** Where provider endpoints are redirected to the provider simulator, when they are. */
export const simulatorEnv = z.object({
  SWITCHBOARD_PROVIDER_SIMULATOR_URL: httpUrl("the provider simulator, e.g. http://127.0.0.1:4010").optional(),
});

/** The HTTP email API mail goes to unless configured: Resend's. */
export const DEFAULT_MAIL_API_URL = "https://api.resend.com";

// "name@example.com" or "Name <name@example.com>", as Resend's `from` takes it.
const MAIL_FROM = /^(?:[^<>@\r\n]+ )?<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>$|^[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+$/;

/**
 * The HTTP email API password reset codes go out through (Resend's shape: see
 * lib/mail/message.ts): its base URL, its API key (a secret, never echoed), the sender.
 */
export const mailEnv = z
  .object({
    SWITCHBOARD_MAIL_API_URL: httpUrl("the email API's base URL, e.g. https://api.resend.com").default(DEFAULT_MAIL_API_URL),
    SWITCHBOARD_MAIL_API_KEY: nonEmpty("the email API's key, e.g. Resend's re_…"),
    SWITCHBOARD_MAIL_FROM: z.string().regex(MAIL_FROM, {
      error: 'must be an email address, alone or as "Name <address>"',
    }),
  })
  .transform((env) => ({ apiUrl: env.SWITCHBOARD_MAIL_API_URL, apiKey: env.SWITCHBOARD_MAIL_API_KEY, from: env.SWITCHBOARD_MAIL_FROM }));

/** Call logs are kept this many days unless configured. */
export const DEFAULT_CALL_LOG_RETENTION_DAYS = 30;

/** How long provider call logs are kept. */
export const callLogEnv = z.object({
  CALL_LOG_RETENTION_DAYS: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, { error: "must be a positive whole number of days" })
    .transform(Number)
    .default(DEFAULT_CALL_LOG_RETENTION_DAYS),
});

export const DEFAULT_API_KEY_USAGE_RETENTION_DAYS = 30;

/** How long the API keys' request logs and per-day counts are kept. */
export const apiKeyUsageEnv = z.object({
  API_KEY_USAGE_RETENTION_DAYS: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, { error: "must be a positive whole number of days" })
    .transform(Number)
    .default(DEFAULT_API_KEY_USAGE_RETENTION_DAYS),
});

export const DEFAULT_WORKFLOW_RUN_RETENTION_DAYS = 30;

/** How long finished workflow runs (their history) are kept. */
export const workflowRunEnv = z.object({
  WORKFLOW_RUN_RETENTION_DAYS: z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, { error: "must be a positive whole number of days" })
    .transform(Number)
    .default(DEFAULT_WORKFLOW_RUN_RETENTION_DAYS),
});

/** What the Next.js app reads in the browser and on the server. */
export const publicEnv = z.object({
  NEXT_PUBLIC_CONVEX_URL: httpUrl("the Convex deployment URL that `convex dev` writes to .env.local"),
  NEXT_PUBLIC_SIMULATED_PROVIDERS: z.literal("1", { error: 'must be "1" or unset' }).optional(),
});

/** Provider ids as the catalog spells them: lowercase kebab-case. */
const PROVIDER_ID = /^[a-z][a-z0-9-]*$/;

/**
 * The names of a provider's OAuth client variables: the id upper-cased, dashes as
 * underscores.
 * @example oauthClientEnvNames("google-calendar")
 * // → { clientId: "GOOGLE_CALENDAR_CLIENT_ID", clientSecret: "GOOGLE_CALENDAR_CLIENT_SECRET" }
 */
export function oauthClientEnvNames(providerId: string): { clientId: string; clientSecret: string } {
  if (!PROVIDER_ID.test(providerId)) {
    throw new TypeError(`"${providerId}" is not a provider id (lowercase kebab-case).`);
  }
  const prefix = providerId.toUpperCase().replaceAll("-", "_");
  return { clientId: `${prefix}_CLIENT_ID`, clientSecret: `${prefix}_CLIENT_SECRET` };
}

/**
 * A provider's OAuth client credentials, `<PROVIDER>_CLIENT_ID` and `<PROVIDER>_CLIENT_SECRET`,
 * read as `{ clientId, clientSecret }`.
 * @example const { clientId, clientSecret } = readEnv(oauthClientEnv("slack"));
 */
export function oauthClientEnv(providerId: string) {
  const names = oauthClientEnvNames(providerId);
  return z
    .object({
      [names.clientId]: nonEmpty(`the ${providerId} OAuth app's client id`),
      [names.clientSecret]: nonEmpty(`the ${providerId} OAuth app's client secret`),
    })
    .transform((env) => ({ clientId: env[names.clientId], clientSecret: env[names.clientSecret] }));
}
