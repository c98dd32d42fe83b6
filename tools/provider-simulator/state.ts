import { randomBytes } from "node:crypto";
import { catalog, getProvider, type OAuth2Provider, type Provider } from "../../lib/providers/index";
import { sentMail, type SentMail } from "./mail";
import { webhookHandshake, type HandshakeOptions } from "./webhook-handshakes";
import {
  resendWebhook,
  sendWebhook,
  sentWebhooks,
  type ReceiverAnswer,
  type SendWebhookInput,
  type SentWebhook,
  type WebhookSenderState,
  type WebhookTemplate,
} from "./webhooks";

/** Which simulated endpoint a request hit. */
export type EndpointKind =
  | "authorize"
  | "consent"
  | "token"
  | "refresh"
  | "revoke"
  | "test"
  | "api"
  | "webhook"
  | "control"
  | "asset"
  /** The email API and the mailbox (mail.ts). */
  | "mail"
  /** The index page and health check. */
  | "meta"
  | "unknown";

/** Endpoints a failure can be queued on (`api` covers test, echo and webhook receivers). */
export type FailableEndpoint = "authorize" | "token" | "refresh" | "revoke" | "api";

/**
 * A queued failure:
 * - invalid_grant: the provider's own "bad code / bad refresh token" answer
 *   (Slack `invalid_code`, GitHub `bad_verification_code`, RFC `invalid_grant`);
 * - oauth_error: any error code, shaped the provider's way;
 * - status: a bare HTTP status with a JSON body, with `Retry-After` when
 *   `retryAfterSeconds` is given (a 503 may carry one, RFC 9110 §10.2.3);
 * - rate_limit: 429 with `Retry-After`;
 * - reset: no HTTP answer at all: the connection is reset (TCP RST) once the
 *   request has been read, as a crashing server or a middlebox would.
 */
export type Failure =
  | { kind: "invalid_grant" }
  | { kind: "oauth_error"; error: string; description?: string }
  | { kind: "status"; status: number; retryAfterSeconds?: number }
  | { kind: "rate_limit"; retryAfterSeconds: number }
  | { kind: "reset" };

/** What `issuerNext` makes the next authorization responses carry as `iss` (RFC 9207). */
export type IssuerMode = "right" | "wrong" | "none";
export const ISSUER_MODES: readonly IssuerMode[] = ["right", "wrong", "none"];

/** The statuses `redirectNext` can answer with. */
export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;
export type RedirectStatus = (typeof REDIRECT_STATUSES)[number];

/** The smallest `hugeBodyNext` size, a round number the JSON wrapper around the padding fits in. */
export const HUGE_BODY_MIN_BYTES = 64;

/**
 * An answer that replaces whatever a provider path would have answered, before any
 * credential or header check:
 * - redirect: the status with `Location`, to prove a client never follows it;
 * - huge_body: 200 JSON of exactly `bytes` bytes, generated while it is sent, to prove a
 *   client caps what it reads. Without `contentLength` the answer is chunked.
 */
export type ScriptedAnswer =
  | { kind: "redirect"; status: RedirectStatus; location: string }
  | { kind: "huge_body"; bytes: number; contentLength: boolean; shape: HugeBodyShape };

/**
 * What a huge body is made of: one padded string (cheap to produce, the least work to
 * parse), or an array of API-like records (nested objects, URLs, numbers, text), the
 * shape a real list answer has and what a client's JSON handling pays for.
 */
export type HugeBodyShape = "padding" | "records";

/**
 * What `webhookAnswerNext` makes a webhook receiver answer instead of `200 {"ok":true}`,
 * once the delivery is recorded: a status, headers, and a JSON or a text body.
 */
export type WebhookAnswer = { status: number; headers: Record<string, string>; body: { json: unknown } | { text: string } };

/** Longest latency `setLatency` accepts: the app's longest call time limit. */
export const MAX_LATENCY_MS = 120_000;

/** Queued scripted answers of a provider: for one exact path, or (path null) for any API path. */
export type ScriptedEntry = { providerId: string; path: string | null; answer: ScriptedAnswer; remaining: number };

export type ClientConfig = {
  clientId: string;
  clientSecret: string;
  /** When set, authorize requests must use one of these exactly. */
  redirectUris?: string[];
};

export type Rotation = OAuth2Provider["refresh"]["rotation"];

export type TokenSettings = {
  /** Lifetime of new access tokens; null = no `expires_in`, never expires. */
  lifetimeSeconds: number | null;
  rotation: Rotation;
  /** Whether token answers carry a refresh token at all. */
  issueRefreshTokens: boolean;
};

export type Account = { id: string | number; name: string; email: string };

export type RequestLogEntry = {
  seq: number;
  /** Wall-clock milliseconds. */
  at: number;
  /** Simulated-clock milliseconds (moves with `advanceClock`). */
  simulatedAt: number;
  method: string;
  /** Path only: queries can carry secrets (codes, Trello tokens). */
  path: string;
  queryKeys: string[];
  providerId: string | null;
  endpoint: EndpointKind;
  status: number;
  durationMs: number;
  /**
   * Streamed answers only (`hugeBodyNext`): bytes handed to the socket, and whether the
   * client read to the end or left early. `durationMs` is the time to the first byte.
   */
  stream?: { bytesSent: number; outcome: "streaming" | "complete" | "aborted" };
};

export type RequestFilter = Partial<Pick<RequestLogEntry, "method" | "path" | "providerId" | "endpoint" | "status">>;

export type IssuedToken = {
  token: string;
  kind: "access_token" | "refresh_token";
  providerId: string;
  clientId: string;
  grantId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  /** When a single-use refresh token was spent. */
  usedAt: number | null;
};

export type Revocation = {
  providerId: string;
  token: string;
  kind: IssuedToken["kind"] | "unknown";
  at: number;
  via: "endpoint" | "control";
};

export type WebhookDelivery = {
  providerId: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; values included, since checking the auth header is the point. */
  headers: Record<string, string>;
  contentType: string | null;
  /** Parsed JSON or form body, else the raw text. */
  body: unknown;
  rawBody: string;
  at: number;
};

/** A request to a provider's API or webhook as it arrived, for tests to assert (credential headers left out). */
export type ApiCallRecord = {
  seq: number;
  providerId: string;
  method: string;
  /** Below the API base for API calls (`/chat.postMessage`); the whole path for webhook deliveries. */
  apiPath: string;
  query: Record<string, string>;
  /** Lower-cased names; `authorization`, `cookie` and the catalog's API-key headers are left out. */
  headers: Record<string, string>;
  contentType: string | null;
  /** Parsed JSON, form fields, or the raw text. */
  body: unknown;
  rawBody: string;
};

export type CodeRecord = {
  code: string;
  providerId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  expiresAt: number;
  usedAt: number | null;
  grantId: string;
};

export type PendingConsent = {
  id: string;
  providerId: string;
  clientId: string;
  redirectUri: string;
  state: string;
  scopes: string[];
  codeChallenge: string | null;
  expiresAt: number;
};

export type Grant = { grantId: string; providerId: string; clientId: string; scopes: string[]; account: Account };

export const CODE_LIFETIME_SECONDS = 600;
export const CONSENT_LIFETIME_SECONDS = 600;
const DEFAULT_OPT_IN_LIFETIME_SECONDS = 3_600;
/** The WordPress user every reset starts with. */
export const DEFAULT_BASIC_USER = { username: "sim-editor", password: "simP ass0 rdAb cdEf ghIj klMn" };

/** Random URL-safe text, for codes and tokens. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

function defaultClient(providerId: string): ClientConfig {
  return { clientId: `sim-${providerId}-client`, clientSecret: `sim-${providerId}-secret` };
}

/** Catalog defaults; opt-in providers (Slack rotation, GitHub expiring tokens) start opted out. */
function defaultTokenSettings(provider: Provider): TokenSettings {
  if (provider.authKind !== "oauth2") return { lifetimeSeconds: null, rotation: "none", issueRefreshTokens: false };
  const { refresh } = provider;
  if (refresh.supported && refresh.optIn) {
    return { lifetimeSeconds: null, rotation: refresh.rotation, issueRefreshTokens: false };
  }
  return {
    lifetimeSeconds: provider.accessTokenLifetimeSeconds,
    rotation: refresh.rotation,
    issueRefreshTokens: refresh.supported,
  };
}

function defaultAccount(provider: Provider): Account {
  // GitHub and WordPress ids are numbers in real answers; keep them so.
  const numeric = provider.id === "github" || provider.id === "wordpress";
  return {
    id: numeric ? 1001 : `sim-${provider.id}-account`,
    name: `Simulated ${provider.displayName} account`,
    email: `user@${provider.id}.sim.test`,
  };
}

/**
 * Values queued per provider by the `*Next` controls that change a detail of an answer
 * (`tokenTypeNext`, `issuerNext`): used in order, each entry `times` times.
 */
export class NextQueue<T> {
  private readonly queues = new Map<string, Array<{ value: T; remaining: number }>>();

  push(providerId: string, value: T, times: number): void {
    const queue = this.queues.get(providerId) ?? [];
    queue.push({ value, remaining: times });
    this.queues.set(providerId, queue);
  }

  /** The next queued value, used up once; undefined when none is queued (a value may itself be null). */
  take(providerId: string): { value: T } | undefined {
    const queue = this.queues.get(providerId);
    const entry = queue?.[0];
    if (!queue || !entry) return undefined;
    if (--entry.remaining === 0) queue.shift();
    return { value: entry.value };
  }

  clear(): void {
    this.queues.clear();
  }
}

/** Everything the simulator remembers; reset() brings it back to catalog defaults. */
export class SimulatorState implements WebhookSenderState {
  autoApprove = false;
  clockOffsetMs = 0;
  clients = new Map<string, ClientConfig>();
  tokenSettings = new Map<string, TokenSettings>();
  accounts = new Map<string, Account>();
  failures = new Map<string, Failure[]>();
  scripted: ScriptedEntry[] = [];
  /** `token_type` of the next successful token answers; null leaves the field out. */
  tokenTypes = new NextQueue<string | null>();
  /** `iss` of the next authorization responses. */
  issuers = new NextQueue<IssuerMode>();
  /** What the next webhook deliveries are answered (`webhookAnswerNext`). */
  webhookAnswers = new NextQueue<WebhookAnswer>();
  consents = new Map<string, PendingConsent>();
  codes = new Map<string, CodeRecord>();
  grants = new Map<string, Grant>();
  tokens = new Map<string, IssuedToken>();
  revocationLog: Revocation[] = [];
  deliveries: WebhookDelivery[] = [];
  /** Every API request and webhook delivery with its body (see ApiCallRecord). */
  apiCalls: ApiCallRecord[] = [];
  /** Each provider's simulated world (channels, issues…), created on first use by its API module. */
  worlds = new Map<string, Record<string, unknown>>();
  log: RequestLogEntry[] = [];
  seq = 0;
  /** Basic-auth users per provider (WordPress): username → password without spaces. */
  basicUsers = new Map<string, Map<string, string>>();
  /** Accepted credential sets per api_key provider (Trello): field → value. */
  apiKeyCredentials = new Map<string, Array<Record<string, string>>>();
  /** Milliseconds each request to a provider waits before it is handled (`setLatency`). */
  latencyMs = new Map<string, number>();
  /** Every email the simulated email API accepted, oldest first (mail.ts). */
  mailbox: SentMail[] = [];
  /** Every provider webhook the simulator sent (`sendWebhook`), oldest first (webhooks.ts). */
  sentWebhooks: SentWebhook[] = [];
  /** What each sent delivery was made of, by delivery id, for `resendWebhook`; holds its secret, never handed out. */
  webhookTemplates = new Map<string, WebhookTemplate>();

  constructor(private readonly initialAutoApprove: boolean) {
    this.reset();
  }

  reset(): void {
    this.autoApprove = this.initialAutoApprove;
    this.clockOffsetMs = 0;
    this.failures.clear();
    this.scripted = [];
    this.tokenTypes.clear();
    this.issuers.clear();
    this.webhookAnswers.clear();
    this.consents.clear();
    this.codes.clear();
    this.grants.clear();
    this.tokens.clear();
    this.revocationLog = [];
    this.deliveries = [];
    this.apiCalls = [];
    this.worlds.clear();
    this.log = [];
    this.seq = 0;
    this.clients.clear();
    this.tokenSettings.clear();
    this.accounts.clear();
    this.basicUsers.clear();
    this.apiKeyCredentials.clear();
    this.latencyMs.clear();
    this.mailbox = [];
    this.sentWebhooks = [];
    this.webhookTemplates.clear();
    for (const provider of catalog) {
      this.clients.set(provider.id, defaultClient(provider.id));
      this.tokenSettings.set(provider.id, defaultTokenSettings(provider));
      this.accounts.set(provider.id, defaultAccount(provider));
      if (provider.authKind === "basic") {
        const { username, password } = DEFAULT_BASIC_USER;
        this.basicUsers.set(provider.id, new Map([[username, password.replace(/\s+/g, "")]]));
      }
      if (provider.authKind === "api_key") {
        const values = Object.fromEntries(
          provider.fields.map((field) => [field.name, `sim-${provider.id}-${field.name}`]),
        );
        this.apiKeyCredentials.set(provider.id, [values]);
      }
    }
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  accountId(providerId: string): string | number | null {
    return this.accounts.get(providerId)?.id ?? null;
  }

  world(providerId: string): Record<string, unknown> {
    let world = this.worlds.get(providerId);
    if (!world) {
      world = {};
      this.worlds.set(providerId, world);
    }
    return world;
  }

  takeFailure(providerId: string, endpoint: FailableEndpoint): Failure | null {
    return this.failures.get(`${providerId}:${endpoint}`)?.shift() ?? null;
  }

  /**
   * The first queued scripted answer for this request, used up once: an entry for its
   * exact path, or a path-less entry when the request is an API call (`anyApi`).
   */
  takeScripted(providerId: string, path: string, anyApi: boolean): ScriptedAnswer | null {
    const entry = this.scripted.find(
      (e) => e.providerId === providerId && (e.path === null ? anyApi : e.path === path),
    );
    if (!entry) return null;
    if (--entry.remaining === 0) this.scripted.splice(this.scripted.indexOf(entry), 1);
    return entry.answer;
  }

  /** Why a token cannot be used, or null when it can. */
  tokenProblem(record: IssuedToken | undefined): "unknown" | "revoked" | "expired" | "used" | null {
    if (!record) return "unknown";
    if (record.revokedAt !== null) return "revoked";
    if (record.usedAt !== null) return "used";
    if (record.expiresAt !== null && record.expiresAt <= this.now()) return "expired";
    return null;
  }

  issue(kind: IssuedToken["kind"], grant: Grant, token: string, lifetimeSeconds: number | null): IssuedToken {
    const issuedAt = this.now();
    const record: IssuedToken = {
      token,
      kind,
      providerId: grant.providerId,
      clientId: grant.clientId,
      grantId: grant.grantId,
      scopes: grant.scopes,
      issuedAt,
      expiresAt: lifetimeSeconds === null ? null : issuedAt + lifetimeSeconds * 1000,
      revokedAt: null,
      usedAt: null,
    };
    this.tokens.set(token, record);
    return record;
  }

  /** Revokes a token; a refresh token takes its whole grant with it. False when unknown. */
  revoke(token: string, via: Revocation["via"], providerId?: string): boolean {
    const record = this.tokens.get(token);
    const at = this.now();
    if (!record) {
      if (providerId) this.revocationLog.push({ providerId, token, kind: "unknown", at, via });
      return false;
    }
    if (record.revokedAt === null) record.revokedAt = at;
    this.revocationLog.push({ providerId: record.providerId, token, kind: record.kind, at, via });
    if (record.kind === "refresh_token") this.revokeGrant(record.grantId, at);
    return true;
  }

  revokeGrant(grantId: string, at = this.now()): void {
    for (const other of this.tokens.values()) {
      if (other.grantId === grantId && other.revokedAt === null) other.revokedAt = at;
    }
  }
}

function requireProvider(providerId: string): Provider {
  const provider = getProvider(providerId);
  if (!provider) throw new Error(`Unknown provider "${providerId}"`);
  return provider;
}

function requireOAuth(providerId: string): OAuth2Provider {
  const provider = requireProvider(providerId);
  if (provider.authKind !== "oauth2") throw new Error(`Provider "${providerId}" does not use OAuth`);
  return provider;
}

/** `times` for the *Next controls: a whole number of requests, at least one. */
function requireTimes(times: number): number {
  if (!Number.isSafeInteger(times) || times < 1) throw new Error(`times must be a whole number ≥ 1, got ${times}`);
  return times;
}

/**
 * A scripted answer's path: a path on this simulator under the provider's prefix, as
 * `requests()` logs it (`/github/user`), without a query. Absent means any API path.
 */
function scriptedPath(providerId: string, path: string | undefined): string | null {
  if (path === undefined) return null;
  if (typeof path !== "string" || path.includes("?") || path.includes("#")) {
    throw new Error(`path must be a simulator path without a query, got ${JSON.stringify(path)}`);
  }
  if (path !== `/${providerId}` && !path.startsWith(`/${providerId}/`)) {
    throw new Error(`path must be under /${providerId}/ (the path on the simulator, as requests() logs it)`);
  }
  return path;
}

const FAILABLE_ENDPOINTS: readonly FailableEndpoint[] = ["authorize", "token", "refresh", "revoke", "api"];

function requireEndpoint(endpoint: FailableEndpoint): FailableEndpoint {
  if (!FAILABLE_ENDPOINTS.includes(endpoint)) {
    throw new Error(`endpoint must be one of ${FAILABLE_ENDPOINTS.join(", ")}, got ${JSON.stringify(endpoint)}`);
  }
  return endpoint;
}

function isSeconds(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** A failure as the control API takes it over HTTP too: a known kind with well-formed fields. */
function requireFailure(failure: Failure): Failure {
  const f = (typeof failure === "object" && failure !== null ? failure : {}) as Record<string, unknown>;
  switch (f.kind) {
    case "invalid_grant":
    case "reset":
      return failure;
    case "oauth_error":
      if (typeof f.error === "string" && f.error !== "") return failure;
      break;
    case "status": {
      const statusOk = typeof f.status === "number" && Number.isInteger(f.status) && f.status >= 200 && f.status <= 599;
      if (statusOk && (f.retryAfterSeconds === undefined || isSeconds(f.retryAfterSeconds))) return failure;
      break;
    }
    case "rate_limit":
      if (isSeconds(f.retryAfterSeconds)) return failure;
      break;
  }
  throw new Error(
    `failure must be {kind:"invalid_grant"}, {kind:"oauth_error", error}, {kind:"status", status (200-599), retryAfterSeconds?}, {kind:"rate_limit", retryAfterSeconds} or {kind:"reset"}; got ${JSON.stringify(failure)}`,
  );
}

function requireTokenType(tokenType: string | null): string | null {
  if (tokenType !== null && typeof tokenType !== "string") {
    throw new Error(`tokenType must be a string or null (the field left out), got ${JSON.stringify(tokenType)}`);
  }
  return tokenType;
}

function requireIssuerMode(mode: IssuerMode): IssuerMode {
  if (!ISSUER_MODES.includes(mode)) {
    throw new Error(`mode must be one of ${ISSUER_MODES.join(", ")}, got ${JSON.stringify(mode)}`);
  }
  return mode;
}

function requireRedirect(redirect: { location: string; status?: number }): ScriptedAnswer {
  const status = redirect.status ?? 307;
  if (!(REDIRECT_STATUSES as readonly number[]).includes(status)) {
    throw new Error(`status must be one of ${REDIRECT_STATUSES.join(", ")}, got ${status}`);
  }
  if (typeof redirect.location !== "string" || !URL.canParse(redirect.location)) {
    throw new Error(`location must be an absolute URL, got ${JSON.stringify(redirect.location)}`);
  }
  return { kind: "redirect", status: status as RedirectStatus, location: redirect.location };
}

function requireHugeBody(body: { bytes: number; contentLength?: boolean; shape?: HugeBodyShape }): ScriptedAnswer {
  if (!Number.isSafeInteger(body.bytes) || body.bytes < HUGE_BODY_MIN_BYTES) {
    throw new Error(`bytes must be a whole number ≥ ${HUGE_BODY_MIN_BYTES}, got ${body.bytes}`);
  }
  const shape = body.shape ?? "padding";
  if (shape !== "padding" && shape !== "records") throw new Error(`shape must be "padding" or "records", got ${JSON.stringify(shape)}`);
  return { kind: "huge_body", bytes: body.bytes, contentLength: body.contentLength ?? false, shape };
}

function requireWebhookAnswer(answer: { status: number; headers?: Record<string, string>; json?: unknown; text?: string }): WebhookAnswer {
  if (!Number.isInteger(answer.status) || answer.status < 200 || answer.status > 599) {
    throw new Error(`status must be a whole number from 200 to 599, got ${JSON.stringify(answer.status)}`);
  }
  const headers = answer.headers ?? {};
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[A-Za-z0-9-]+$/.test(name) || typeof value !== "string" || /[\r\n]/.test(value)) {
      throw new Error(`headers must be names of letters, digits and "-" with one-line string values, got ${JSON.stringify(name)}`);
    }
  }
  if (answer.json !== undefined && answer.text !== undefined) throw new Error("Give json or text, not both");
  if (answer.text !== undefined && typeof answer.text !== "string") throw new Error("text must be a string");
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { status: answer.status, headers: lower, body: answer.text !== undefined ? { text: answer.text } : { json: answer.json ?? { ok: true } } };
}

function requireLatency(ms: number | null): number {
  if (ms === null) return 0;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > MAX_LATENCY_MS) {
    throw new Error(`ms must be a number from 0 to ${MAX_LATENCY_MS}, or null, got ${JSON.stringify(ms)}`);
  }
  return ms;
}

function matches(entry: object, filter: object): boolean {
  return Object.entries(filter).every(
    ([key, value]) => value === undefined || (entry as Record<string, unknown>)[key] === value,
  );
}

/** The in-process control surface; the same methods are served over HTTP under /_control/. */
export type SimulatorControl = ReturnType<typeof createControl>;

/** Builds the control object over a state; `baseUrl` gives the URLs it hands out. */
export function createControl(state: SimulatorState, baseUrl: () => string) {
  return {
    /** Back to catalog defaults: clients, lifetimes, users; forgets tokens, logs, queued failures and scripted answers. */
    reset(): void {
      state.reset();
    },
    setAutoApprove(enabled: boolean): void {
      state.autoApprove = enabled;
    },
    /** Replaces a provider's OAuth client (default `sim-<id>-client` / `sim-<id>-secret`). */
    setClient(providerId: string, client: ClientConfig): void {
      requireProvider(providerId);
      state.clients.set(providerId, { ...client });
    },
    /** Replaces several clients at once, keyed by provider id. */
    setClients(clients: Record<string, ClientConfig>): void {
      for (const [providerId, client] of Object.entries(clients)) {
        requireProvider(providerId);
        state.clients.set(providerId, { ...client });
      }
    },
    client(providerId: string): ClientConfig {
      requireProvider(providerId);
      return { ...state.clients.get(providerId)! };
    },
    /** Queues a failure for the next `times` requests to one endpoint of a provider. */
    failNext(providerId: string, endpoint: FailableEndpoint, failure: Failure, times = 1): void {
      requireProvider(providerId);
      const key = `${providerId}:${requireEndpoint(endpoint)}`;
      const checked = requireFailure(failure);
      const queue = state.failures.get(key) ?? [];
      for (let i = 0; i < requireTimes(times); i++) queue.push(checked);
      state.failures.set(key, queue);
    },
    /**
     * The next `times` successful token answers of a provider (code exchange and refresh)
     * carry `token_type: tokenType` instead of the provider's own ("Bearer", Slack's "bot");
     * null leaves the field out. Refusals and failures do not use an entry up.
     */
    tokenTypeNext(providerId: string, tokenType: string | null, times = 1): void {
      requireOAuth(providerId);
      state.tokenTypes.push(providerId, requireTokenType(tokenType), requireTimes(times));
    },
    /**
     * The next `times` authorization responses of a provider (the redirect back with a
     * code or an error) carry `iss` as `mode` says: "right" the issuer the catalog
     * documents (resolved onto this simulator), or `<simulator>/<providerId>` for a
     * provider without one; "wrong" another issuer's URL; "none" no `iss` at all.
     */
    issuerNext(providerId: string, mode: IssuerMode, times = 1): void {
      requireOAuth(providerId);
      state.issuers.push(providerId, requireIssuerMode(mode), requireTimes(times));
    },
    /**
     * The next `times` matching requests answer a redirect (`status`, default 307) to
     * `location`, an absolute URL, before any other check. With `path` (a simulator path,
     * `/zoom/oauth/token`) only that path matches, any endpoint; without it, any API call,
     * test request or webhook delivery of the provider does (what failNext calls `api`).
     */
    redirectNext(
      providerId: string,
      redirect: { location: string; status?: RedirectStatus; path?: string },
      times = 1,
    ): void {
      requireProvider(providerId);
      const entry = { providerId, path: scriptedPath(providerId, redirect.path), answer: requireRedirect(redirect) };
      state.scripted.push({ ...entry, remaining: requireTimes(times) });
    },
    /**
     * The next `times` matching requests answer 200 `application/json` of exactly `bytes`
     * bytes, generated chunk by chunk as the client reads (never held in memory), chunked
     * unless `contentLength` is true: one padded string, or with `shape: "records"` an
     * array of API-like records. `path` matches as for redirectNext.
     */
    hugeBodyNext(
      providerId: string,
      body: { bytes: number; contentLength?: boolean; shape?: HugeBodyShape; path?: string },
      times = 1,
    ): void {
      requireProvider(providerId);
      const entry = { providerId, path: scriptedPath(providerId, body.path), answer: requireHugeBody(body) };
      state.scripted.push({ ...entry, remaining: requireTimes(times) });
    },
    /**
     * The next `times` deliveries to a webhook provider's receiver (Pumble, custom webhook)
     * are recorded as usual and then answered `status` with `headers` and a body: `json`
     * (default `{"ok":true}`) or `text` (text/plain). A `Retry-After` header rides along
     * when given. For failNext-style failures that still record the delivery: a 503 then a
     * 200 shows both sends. Calls queue in order; `reset()` forgets them.
     */
    webhookAnswerNext(
      providerId: string,
      answer: { status: number; headers?: Record<string, string>; json?: unknown; text?: string },
      times = 1,
    ): void {
      const provider = requireProvider(providerId);
      if (provider.authKind !== "webhook_url") throw new Error(`Provider "${providerId}" is not a webhook provider`);
      state.webhookAnswers.push(providerId, requireWebhookAnswer(answer), requireTimes(times));
    },
    /**
     * Every later request to the provider (any endpoint: authorize, token, API, webhook)
     * waits `ms` before it is handled, as a provider far away or under load would; 0 or
     * null takes the latency away. `reset()` does too. Requests already waiting keep theirs.
     */
    setLatency(providerId: string, ms: number | null): void {
      requireProvider(providerId);
      const latency = requireLatency(ms);
      if (latency === 0) state.latencyMs.delete(providerId);
      else state.latencyMs.set(providerId, latency);
    },
    /** The latency `setLatency` set for a provider (0 when none). */
    latency(providerId: string): number {
      requireProvider(providerId);
      return state.latencyMs.get(providerId) ?? 0;
    },
    /**
     * Lifetime of new access tokens (null: no `expires_in`). A number also turns refresh
     * tokens on for providers that support them (the opt-in for Slack and GitHub).
     */
    setTokenLifetime(providerId: string, seconds: number | null): void {
      const provider = requireOAuth(providerId);
      const settings = state.tokenSettings.get(providerId)!;
      settings.lifetimeSeconds = seconds;
      if (seconds !== null && provider.refresh.supported) settings.issueRefreshTokens = true;
    },
    /**
     * true: refresh tokens are single-use; false: they stay the same; or a catalog rotation
     * mode. Turning rotation on for an opt-in provider (Slack) also turns on expiring tokens.
     */
    setRotation(providerId: string, rotation: boolean | Rotation): void {
      const provider = requireOAuth(providerId);
      const settings = state.tokenSettings.get(providerId)!;
      settings.rotation = rotation === true ? "single_use" : rotation === false ? "none" : rotation;
      if (settings.rotation !== "none" && provider.refresh.supported) {
        settings.issueRefreshTokens = true;
        settings.lifetimeSeconds ??= provider.accessTokenLifetimeSeconds ?? DEFAULT_OPT_IN_LIFETIME_SECONDS;
      }
    },
    tokenSettings(providerId: string): TokenSettings {
      requireOAuth(providerId);
      return { ...state.tokenSettings.get(providerId)! };
    },
    /** The account that later grants (and API answers) of a provider belong to. */
    setAccount(providerId: string, account: Partial<Account>): void {
      requireProvider(providerId);
      state.accounts.set(providerId, { ...state.accounts.get(providerId)!, ...account });
    },
    account(providerId: string): Account {
      requireProvider(providerId);
      return { ...state.accounts.get(providerId)! };
    },
    /** Makes a token (access or refresh) expired now. False when unknown. */
    expireToken(token: string): boolean {
      const record = state.tokens.get(token);
      if (!record) return false;
      record.expiresAt = state.now() - 1;
      return true;
    },
    /** Revokes a token as if the user removed the app; a refresh token takes its grant along. */
    revokeToken(token: string): boolean {
      return state.revoke(token, "control");
    },
    /** Revokes every live token of a provider; returns how many there were. */
    revokeAll(providerId: string): number {
      requireProvider(providerId);
      const live = [...state.tokens.values()].filter((t) => t.providerId === providerId && t.revokedAt === null);
      for (const record of live) state.revoke(record.token, "control");
      return live.length;
    },
    /** Moves the simulated clock (token and code expiry) forward; returns the new time. */
    advanceClock(ms: number): number {
      state.clockOffsetMs += ms;
      return state.now();
    },
    now(): number {
      return state.now();
    },
    requests(filter: RequestFilter = {}): RequestLogEntry[] {
      return state.log
        .filter((entry) => matches(entry, filter))
        .map((entry) => ({ ...entry, ...(entry.stream ? { stream: { ...entry.stream } } : {}) }));
    },
    requestCount(filter: RequestFilter = {}): number {
      return state.log.filter((entry) => matches(entry, filter)).length;
    },
    /** Every access and refresh token ever issued, so tests can check none leaked into storage. */
    issuedTokens(filter: Partial<Pick<IssuedToken, "providerId" | "kind" | "grantId">> = {}): IssuedToken[] {
      return [...state.tokens.values()].filter((t) => matches(t, filter)).map((t) => ({ ...t }));
    },
    revocations(filter: Partial<Pick<Revocation, "providerId" | "via">> = {}): Revocation[] {
      return state.revocationLog.filter((r) => matches(r, filter)).map((r) => ({ ...r }));
    },
    /** API requests and webhook deliveries with their bodies, oldest first (credential headers left out). */
    apiCalls(filter: Partial<Pick<ApiCallRecord, "providerId" | "method" | "apiPath">> = {}): ApiCallRecord[] {
      return state.apiCalls.filter((c) => matches(c, filter)).map((c) => structuredClone(c));
    },
    /** A copy of a provider's simulated world (what API modules created: messages, issues…). */
    world(providerId: string): Record<string, unknown> {
      requireProvider(providerId);
      return structuredClone(state.world(providerId));
    },
    /**
     * Merges `values` into a provider's simulated world, key by key, for what an API module
     * reads next: GitHub's `rateLimit: { remaining: 0 }` makes its next call a rate-limit 403.
     */
    patchWorld(providerId: string, values: Record<string, unknown>): void {
      requireProvider(providerId);
      if (typeof values !== "object" || values === null || Array.isArray(values)) {
        throw new Error(`values must be an object of world keys, got ${JSON.stringify(values)}`);
      }
      Object.assign(state.world(providerId), structuredClone(values));
    },
    /** Mail the simulated email API accepted, newest first; `to` keeps one recipient's. */
    sentMail(filter: { to?: string } = {}): SentMail[] {
      return sentMail(state.mailbox, filter);
    },
    webhookDeliveries(filter: { providerId?: string } = {}): WebhookDelivery[] {
      return state.deliveries.filter((d) => matches(d, filter)).map((d) => ({ ...d }));
    },
    /**
     * Sends a provider's own webhook to `url`: the provider's body and headers, signed with
     * its scheme (or broken in exactly one way by `tamper`), and resolves to the receiver's
     * answer. Account fields (Slack team_id, GitHub installation.id, Zoom account_id, Linear
     * organizationId, Graph tenantId…) default to the simulated account (`setAccount`).
     */
    sendWebhook(input: SendWebhookInput): Promise<ReceiverAnswer> {
      return sendWebhook(state, input);
    },
    /**
     * Sends a delivery again with the same id: the same bytes, or with `asRetry` the
     * provider's own retry (retry headers; re-signed now where the provider signs each attempt).
     */
    resendWebhook(deliveryId: string, options: { asRetry?: boolean } = {}): Promise<ReceiverAnswer> {
      return resendWebhook(state, deliveryId, options);
    },
    /** The provider webhooks this simulator sent, oldest first, with the status each got; never a secret. */
    sentWebhooks(filter: { providerId?: string } = {}): SentWebhook[] {
      return sentWebhooks(state, filter);
    },
    /**
     * Runs a provider's URL check against `url` as the provider does (Slack url_verification,
     * Zoom endpoint.url_validation, Asana X-Hook-Secret, Graph validationToken, Trello HEAD,
     * Notion's verification_token POST); `secret` signs Slack's and Zoom's, and is Notion's token.
     */
    webhookHandshake(providerId: string, url: string, secret?: string, options: HandshakeOptions = {}) {
      return webhookHandshake(providerId, url, secret, options);
    },
    /** Adds a WordPress user with an application password (spaces ignored, as WordPress does). */
    addWordPressUser(username: string, appPassword: string): void {
      state.basicUsers.get("wordpress")!.set(username, appPassword.replace(/\s+/g, ""));
    },
    /** Adds a credential set an api_key provider accepts, e.g. Trello `{ apiKey, token }`. */
    addApiKeyCredentials(providerId: string, values: Record<string, string>): void {
      const provider = requireProvider(providerId);
      if (provider.authKind !== "api_key") throw new Error(`Provider "${providerId}" does not use API keys`);
      state.apiKeyCredentials.get(providerId)!.push({ ...values });
    },
    /** The credential sets an api_key provider accepts (default: `sim-<id>-<field>` for each field). */
    apiKeyCredentials(providerId: string): Array<Record<string, string>> {
      return (state.apiKeyCredentials.get(providerId) ?? []).map((values) => ({ ...values }));
    },
    /** A fresh incoming-webhook URL on this simulator for a webhook provider (Pumble, custom). */
    webhookUrl(providerId: string): string {
      const provider = requireProvider(providerId);
      if (provider.authKind !== "webhook_url") throw new Error(`Provider "${providerId}" is not a webhook provider`);
      const hook = randomToken(9);
      // Pumble's real shape: /workspaces/<id>/incomingWebhooks/postMessage/<id>/<code>.
      return provider.id === "pumble"
        ? `${baseUrl()}/pumble/workspaces/sim-workspace/incomingWebhooks/postMessage/sim-webhook/${hook}`
        : `${baseUrl()}/${provider.id}/hooks/${hook}`;
    },
    /** The site URL to enter for a basic-auth provider (WordPress) on this simulator. */
    siteUrl(providerId: string): string {
      const provider = requireProvider(providerId);
      if (provider.authKind !== "basic") throw new Error(`Provider "${providerId}" has no site URL`);
      return `${baseUrl()}/${provider.id}`;
    },
  };
}
