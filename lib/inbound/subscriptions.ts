/**
 * Webhook subscriptions we register at a provider by API, provider by provider: what a
 * resource names, the scopes it needs, the request that creates it, deletes it and (for
 * Microsoft Graph, whose subscriptions expire) renews it, and how each answer reads.
 * Pure: convex/webhooks/inbound/subscriptions.ts sends these requests through the call
 * pipeline (the connection's credential, refresh, retries, the call log).
 *
 * Who picks the signing secret: we do for GitHub (the hook's `secret`), Graph (the
 * `clientState`) and Google Calendar (the channel's `token`); Linear makes one and answers
 * it (`webhook.secret`); Asana sends one in its handshake against our URL (`X-Hook-Secret`,
 * taken by the receiving side while the endpoint is `awaiting_handshake`); Trello signs with
 * the Power-Up's secret, which the connection holds (`webhookSecret`, given at connect); Jira
 * signs a dynamic webhook's deliveries with the OAuth app's client secret (?), which the
 * deployment holds (the endpoint keeps none).
 */

export const SUBSCRIBABLE_PROVIDERS = ["github", "linear", "microsoft", "asana", "google-calendar", "trello", "jira"] as const;
export type SubscribableProviderId = (typeof SUBSCRIBABLE_PROVIDERS)[number];

export function isSubscribable(providerId: string): providerId is SubscribableProviderId {
  return (SUBSCRIBABLE_PROVIDERS as readonly string[]).includes(providerId);
}

/** A request relative to the provider's API base (the pipeline adds base and credential). */
export type ProviderRequest = { method: "POST" | "PATCH" | "PUT" | "DELETE"; path: string; body?: string };
/** What the provider answered. */
export type ProviderAnswer = { status: number; body: string };

export type SubscriptionTarget =
  | { providerId: "github"; kind: "repo"; owner: string; repo: string }
  | { providerId: "github"; kind: "org"; org: string }
  | { providerId: "linear"; teamId: string | null }
  | { providerId: "microsoft"; resource: string; kind: "messages" | "events" }
  | { providerId: "asana"; resource: string }
  | { providerId: "google-calendar"; calendarId: string }
  | { providerId: "trello"; idModel: string }
  | { providerId: "jira"; jql: string };

export type ParsedSubscription = {
  target: SubscriptionTarget;
  /** The resource as stored (`owner/repo`, `org:name`, a team id or `all`, `me/messages`). */
  resource: string;
  /** Any one of these must be granted; checked before anything is sent. */
  scopes: readonly string[];
  /** And every one of these (Jira's read:jira-work beside manage:jira-webhook). */
  allScopes?: readonly string[];
  /**
   * Who makes the signing secret: we (sent in the request), the provider (read from its
   * answer), its handshake, the connection (Trello's app secret), or the deployment (the
   * OAuth app's client secret: Jira's dynamic webhooks).
   */
  secretBy: "us" | "provider" | "handshake" | "connection" | "deployment";
  /** What the endpoint is called on the provider page. */
  description: string;
};

// GitHub names: an owner is 1–39 alphanumerics or single hyphens, a repository up to 100 of [A-Za-z0-9._-].
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Outlook resources Graph can subscribe to for the signed-in user or another mailbox
// [learn.microsoft.com/graph/api/subscription-post-subscriptions#permissions].
const GRAPH_RESOURCE = /^(?:me|users\/[A-Za-z0-9@._-]{1,200})\/(?:(messages)|mailFolders\('[A-Za-z0-9=_-]{1,200}'\)\/(messages)|(events)|calendars\/[A-Za-z0-9=_-]{1,200}\/(events))$/;

/**
 * The events a GitHub hook subscribes to: what the events page and workflow triggers use
 * most [docs.github.com/webhooks/webhook-events-and-payloads]. `repository` only exists
 * for organization hooks (a repository created, renamed, deleted).
 */
export const GITHUB_REPO_EVENTS = ["issues", "issue_comment", "pull_request", "push", "release"] as const;
export const GITHUB_ORG_EVENTS = [...GITHUB_REPO_EVENTS, "repository"] as const;

/** The Linear models a webhook reports on [linear.app/developers/webhooks]. */
export const LINEAR_RESOURCE_TYPES = ["Issue", "Comment", "IssueLabel", "Project", "Cycle"] as const;

/** Graph: what changes are notified. */
export const GRAPH_CHANGE_TYPES = "created,updated,deleted";
/**
 * Graph's longest subscription for Outlook messages, events and contacts: 10,080 minutes
 * ("under 7 days") [learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime].
 */
export const GRAPH_OUTLOOK_MAX_LIFETIME_MS = 10_080 * 60_000;
/** What we ask for: the maximum less a margin, so a clock a little ahead of Graph's is not refused. */
export const GRAPH_REQUESTED_LIFETIME_MS = GRAPH_OUTLOOK_MAX_LIFETIME_MS - 60 * 60_000;
/** Renewed this long before it expires (or half the time left, when less remains). */
export const RENEW_BEFORE_EXPIRY_MS = 24 * 60 * 60_000;
/** After a failed renewal, the next try. */
export const RENEW_RETRY_MS = 15 * 60_000;
/** Graph's clientState is at most 128 characters [learn.microsoft.com/graph/api/resources/subscription]. */
export const GRAPH_CLIENT_STATE_MAX = 128;
/**
 * A Calendar push channel lives a week unless asked for less (the Channel resource's
 * `params.ttl` default, 604,800 s (?)); we ask for an hour less
 * [developers.google.com/workspace/calendar/api/guides/push#renewing-notification-channels].
 */
export const GOOGLE_CHANNEL_MAX_LIFETIME_MS = 7 * 24 * 60 * 60_000;
export const GOOGLE_CHANNEL_REQUESTED_LIFETIME_MS = GOOGLE_CHANNEL_MAX_LIFETIME_MS - 60 * 60_000;
const ASANA_GID = /^\d{1,30}$/;

/**
 * What a Jira dynamic webhook reports: issues created, updated, deleted, and comments made
 * (the WebhookDetails `events` enum [developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-post]).
 */
export const JIRA_WEBHOOK_EVENTS = ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created"] as const;
/** Webhooks registered through the REST API expire after 30 days unless refreshed [… #api-rest-api-3-webhook-refresh-put]. */
export const JIRA_WEBHOOK_LIFETIME_MS = 30 * 24 * 60 * 60_000;
/** The longest JQL filter we send; Jira documents no limit (?), this one is ours. */
export const JIRA_JQL_MAX_CHARS = 1_000;
/**
 * The JQL a dynamic webhook's `jqlFilter` takes: "Fields: issueKey, project, issuetype,
 * status, assignee, reporter, issue.property, and cf[id] […]. Operators: =, !=, IN, and NOT IN"
 * (WebhookDetails.jqlFilter [… #api-rest-api-3-webhook-post]); clauses joined with AND / OR,
 * NOT and parentheses, as any JQL (?).
 */
export const JIRA_JQL_FIELDS = ["issuekey", "project", "issuetype", "status", "assignee", "reporter"] as const;
// A calendar id: an email-like id, `primary`, or a group calendar (`…@group.calendar.google.com`).
const GOOGLE_CALENDAR_ID = /^(?:primary|[A-Za-z0-9._%+#-]{1,200}@[A-Za-z0-9.-]{1,200})$/;

type Parse = { ok: true; parsed: ParsedSubscription } | { ok: false; message: string };

type JqlToken = { kind: "word" | "string" | "op" | "open" | "close" | "comma"; text: string };

/** JQL's tokens, or the first character that is none of them. */
function jqlTokens(jql: string): JqlToken[] | string {
  const tokens: JqlToken[] = [];
  const pattern = /\s+|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(!=|=)|(\()|(\))|(,)|([A-Za-z0-9_.:\-[\]@]+)|(.)/gy;
  for (let m = pattern.exec(jql); m !== null && m[0] !== ""; m = pattern.exec(jql)) {
    if (m[1] !== undefined) tokens.push({ kind: "string", text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: "op", text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: "open", text: "(" });
    else if (m[4] !== undefined) tokens.push({ kind: "close", text: ")" });
    else if (m[5] !== undefined) tokens.push({ kind: "comma", text: "," });
    else if (m[6] !== undefined) tokens.push({ kind: "word", text: m[6] });
    else if (m[7] !== undefined) return m[7];
  }
  return tokens;
}

const JQL_KEYWORDS = new Set(["and", "or", "not", "in"]);
const isJqlField = (word: string) => {
  const lower = word.toLowerCase();
  return (JIRA_JQL_FIELDS as readonly string[]).includes(lower) || /^issue\.property\[[A-Za-z0-9_.-]+\](?:\.[A-Za-z0-9_.-]+)?$/.test(lower) || /^cf\[\d{1,18}\]$/.test(lower);
};

/**
 * Why `jql` is outside what a Jira dynamic webhook takes, or null: each clause is a
 * supported field, an operator of =, !=, IN, NOT IN, and a value (a list for IN), the
 * clauses joined by AND or OR, with NOT and parentheses. No ORDER BY, no functions.
 */
export function jqlFilterProblem(jql: string): string | null {
  if (jql === "") return "Name the issues as a JQL filter, such as project = ABC.";
  if (jql.length > JIRA_JQL_MAX_CHARS) return `A JQL filter is at most ${JIRA_JQL_MAX_CHARS} characters here.`;
  if (/[\r\n]/.test(jql)) return "A JQL filter is one line.";
  const tokens = jqlTokens(jql);
  if (typeof tokens === "string") return `Jira webhooks take the operators =, !=, IN and NOT IN only, not "${tokens}".`;
  let at = 0;
  const peek = () => tokens[at];
  const word = (t: JqlToken | undefined, w: string) => t?.kind === "word" && t.text.toLowerCase() === w;
  const value = (t: JqlToken | undefined) => t !== undefined && (t.kind === "string" || (t.kind === "word" && !JQL_KEYWORDS.has(t.text.toLowerCase())));
  let depth = 0;
  const clause = (): string | null => {
    while (word(peek(), "not")) at++;
    if (peek()?.kind === "open") {
      at++;
      if (++depth > 10) return "A JQL filter nests at most 10 parentheses here.";
      const inner = expression();
      if (inner) return inner;
      if (peek()?.kind !== "close") return "A parenthesis is not closed.";
      at++;
      depth--;
      return null;
    }
    const field = tokens[at++];
    if (field?.kind !== "word" || !isJqlField(field.text)) {
      return `Jira webhooks filter on issueKey, project, issuetype, status, assignee, reporter, issue.property[…] and cf[id] only${field ? `, not "${field.text}"` : ""}.`;
    }
    const op = tokens[at++];
    if (op?.kind === "op") {
      if (!value(tokens[at++])) return `"${field.text} ${op.text}" needs a value.`;
      return null;
    }
    if (word(op, "not") && word(peek(), "in")) at++;
    else if (!word(op, "in")) return `After "${field.text}" comes =, !=, IN or NOT IN.`;
    if (tokens[at++]?.kind !== "open") return "IN takes a list in parentheses: project IN (ABC, XYZ).";
    do {
      if (!value(tokens[at++])) return "IN takes a list of values: project IN (ABC, XYZ).";
    } while (peek()?.kind === "comma" && ++at);
    if (tokens[at++]?.kind !== "close") return "The IN list is not closed.";
    return null;
  };
  const expression = (): string | null => {
    const first = clause();
    if (first) return first;
    while (word(peek(), "and") || word(peek(), "or")) {
      at++;
      const next = clause();
      if (next) return next;
    }
    return null;
  };
  const problem = expression();
  if (problem) return problem;
  return at < tokens.length ? `Jira webhooks cannot filter with "${tokens[at]!.text}" (no ORDER BY, no functions); join clauses with AND or OR.` : null;
}

/** What `resource` names at `providerId`, or why it names nothing we can subscribe to. */
export function parseSubscription(providerId: string, resource: string): Parse {
  const value = resource.trim();
  const refuse = (message: string): Parse => ({ ok: false, message });
  switch (providerId) {
    case "github": {
      const org = /^org:(.+)$/.exec(value);
      if (org) {
        if (!GITHUB_OWNER.test(org[1]!)) return refuse(`"${org[1]}" is not a GitHub organization name.`);
        return {
          ok: true,
          parsed: {
            target: { providerId, kind: "org", org: org[1]! },
            resource: `org:${org[1]}`,
            // Organization hooks need admin:org_hook [docs.github.com/rest/orgs/webhooks].
            scopes: ["admin:org_hook"],
            secretBy: "us",
            description: `GitHub organization ${org[1]}`,
          },
        };
      }
      const [owner, repo, ...rest] = value.split("/");
      if (rest.length > 0 || !owner || !repo || !GITHUB_OWNER.test(owner) || !GITHUB_REPO.test(repo)) {
        return refuse("Name a GitHub repository as owner/repo, or an organization as org:<name>.");
      }
      return {
        ok: true,
        parsed: {
          target: { providerId, kind: "repo", owner, repo },
          resource: `${owner}/${repo}`,
          // repo covers repository hooks; admin:repo_hook alone does too
          // [docs.github.com/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps].
          scopes: ["repo", "admin:repo_hook"],
          secretBy: "us",
          description: `GitHub repository ${owner}/${repo}`,
        },
      };
    }
    case "linear": {
      if (value !== "all" && !UUID.test(value)) return refuse("Name a Linear team by its id, or all for every public team.");
      return {
        ok: true,
        parsed: {
          target: { providerId, teamId: value === "all" ? null : value.toLowerCase() },
          resource: value === "all" ? "all" : value.toLowerCase(),
          // "Only workspace admins, or OAuth applications with the admin scope, can create or
          // read webhooks" [linear.app/developers/webhooks].
          scopes: ["admin"],
          secretBy: "provider",
          description: value === "all" ? "Linear, all public teams" : `Linear team ${value.toLowerCase()}`,
        },
      };
    }
    case "microsoft": {
      const normalized = value.replace(/^\/+/, "");
      const match = GRAPH_RESOURCE.exec(normalized);
      if (!match) return refuse("Name a Microsoft Graph resource such as me/messages or me/events.");
      const kind = (match[1] ?? match[2]) !== undefined ? "messages" : "events";
      return {
        ok: true,
        parsed: {
          target: { providerId, resource: normalized, kind },
          resource: normalized,
          // The least privileged read permission of the resource [learn.microsoft.com/graph/api/subscription-post-subscriptions#permissions].
          scopes: kind === "messages" ? ["Mail.Read", "Mail.ReadWrite", "Mail.ReadBasic"] : ["Calendars.Read", "Calendars.ReadWrite"],
          secretBy: "us",
          description: `Microsoft Graph ${normalized}`,
        },
      };
    }
    case "asana": {
      if (!ASANA_GID.test(value)) return refuse("Name an Asana project (or task) by its gid.");
      return {
        ok: true,
        parsed: {
          target: { providerId, resource: value },
          resource: value,
          // POST /webhooks takes `default` or the granular webhooks:write [developers.asana.com/reference/createwebhook].
          scopes: ["default", "webhooks:write"],
          secretBy: "handshake",
          description: `Asana ${value}`,
        },
      };
    }
    case "google-calendar": {
      if (!GOOGLE_CALENDAR_ID.test(value)) return refuse("Name a Google calendar by its id, or primary.");
      return {
        ok: true,
        parsed: {
          target: { providerId, calendarId: value },
          resource: value,
          // events.watch takes any Calendar read scope [developers.google.com/workspace/calendar/api/v3/reference/events/watch].
          scopes: ["https://www.googleapis.com/auth/calendar.readonly", "https://www.googleapis.com/auth/calendar.events", "https://www.googleapis.com/auth/calendar", "https://www.googleapis.com/auth/calendar.events.readonly"],
          secretBy: "us",
          description: `Google Calendar ${value}`,
        },
      };
    }
    case "trello": {
      // A board, list or card id: 24 hexadecimal digits.
      if (!/^[0-9a-fA-F]{24}$/.test(value)) return refuse("Name a Trello board (or list, or card) by its id.");
      return {
        ok: true,
        parsed: {
          target: { providerId, idModel: value },
          resource: value,
          // An API key and token connection has no scopes; the token's own access decides.
          scopes: [],
          secretBy: "connection",
          description: `Trello ${value}`,
        },
      };
    }
    case "jira": {
      const jql = value;
      const problem = jqlFilterProblem(jql);
      if (problem) return refuse(problem);
      return {
        ok: true,
        parsed: {
          target: { providerId, jql },
          resource: jql,
          // "OAuth 2.0 scopes required: read:jira-work, manage:jira-webhook" [… api-group-webhooks] (?: read from the GET's listing).
          scopes: ["manage:jira-webhook"],
          allScopes: ["read:jira-work"],
          secretBy: "deployment",
          description: `Jira issues matching ${jql}`,
        },
      };
    }
    default:
      return refuse(`Webhooks of "${providerId}" are not registered by API here.`);
  }
}

/** The first of `scopes` the grant lacks entirely (none of them held), or null (also when none is needed). */
export function missingSubscriptionScope(parsed: ParsedSubscription, granted: readonly string[]): string | null {
  const lacking = parsed.allScopes?.find((scope) => !granted.includes(scope));
  if (lacking !== undefined) return lacking;
  if (parsed.scopes.length === 0) return null;
  return parsed.scopes.some((scope) => granted.includes(scope)) ? null : parsed.scopes[0]!;
}

/** The connection secret field Trello's webhooks are verified with. */
export const TRELLO_WEBHOOK_SECRET_FIELD = "webhookSecret";

/** A random signing secret for providers where we choose it: 32 bytes, hex (64 characters, under Graph's 128). */
export function newSubscriptionSecret(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

const LINEAR_CREATE = "mutation WebhookCreate($input: WebhookCreateInput!) { webhookCreate(input: $input) { success webhook { id enabled secret } } }";
const LINEAR_DELETE = "mutation WebhookDelete($id: String!) { webhookDelete(id: $id) { success } }";

const iso = (at: number) => new Date(at).toISOString();

/** A Calendar watch: a new channel (its id ours and unique), our URL, our token, an expiry. */
function watchRequest(calendarId: string, input: { url: string; secret: string | null; now: number; channelId?: string }): ProviderRequest {
  // POST /calendar/v3/calendars/{calendarId}/events/watch {id, type: "web_hook", address, token, expiration (ms)}.
  return {
    method: "POST",
    path: `/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events/watch`,
    body: JSON.stringify({ id: input.channelId, type: "web_hook", address: input.url, token: input.secret, expiration: input.now + GOOGLE_CHANNEL_REQUESTED_LIFETIME_MS }),
  };
}

/**
 * The request that registers the subscription: our URL, and our secret where we choose it
 * (and, for a Calendar channel, its new id).
 */
export function createRequest(target: SubscriptionTarget, input: { url: string; secret: string | null; now: number; channelId?: string }): ProviderRequest {
  switch (target.providerId) {
    case "github": {
      // POST /repos/{owner}/{repo}/hooks and POST /orgs/{org}/hooks: name "web", config
      // {url, content_type, secret, insecure_ssl} [docs.github.com/rest/repos/webhooks#create-a-repository-webhook].
      const path = target.kind === "repo" ? `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/hooks` : `/orgs/${encodeURIComponent(target.org)}/hooks`;
      const events = target.kind === "repo" ? GITHUB_REPO_EVENTS : GITHUB_ORG_EVENTS;
      return {
        method: "POST",
        path,
        body: JSON.stringify({ name: "web", active: true, events, config: { url: input.url, content_type: "json", insecure_ssl: "0", secret: input.secret } }),
      };
    }
    case "linear": {
      // webhookCreate(input: {url, resourceTypes, teamId | allPublicTeams, label}) [Linear's GraphQL schema].
      const scope = target.teamId === null ? { allPublicTeams: true } : { teamId: target.teamId };
      return {
        method: "POST",
        path: "/graphql",
        body: JSON.stringify({ query: LINEAR_CREATE, variables: { input: { url: input.url, resourceTypes: LINEAR_RESOURCE_TYPES, label: "Switchboard", ...scope } } }),
      };
    }
    case "microsoft":
      // POST /v1.0/subscriptions; Graph validates both URLs before it answers
      // [learn.microsoft.com/graph/api/subscription-post-subscriptions].
      return {
        method: "POST",
        path: "/v1.0/subscriptions",
        body: JSON.stringify({
          changeType: GRAPH_CHANGE_TYPES,
          notificationUrl: input.url,
          lifecycleNotificationUrl: input.url,
          resource: target.resource,
          expirationDateTime: iso(input.now + GRAPH_REQUESTED_LIFETIME_MS),
          clientState: input.secret,
        }),
      };
    case "asana":
      // POST /webhooks {data: {resource, target}}; Asana runs the handshake against `target`
      // before it answers [developers.asana.com/reference/createwebhook].
      return { method: "POST", path: "/webhooks", body: JSON.stringify({ data: { resource: target.resource, target: input.url } }) };
    case "google-calendar":
      return watchRequest(target.calendarId, input);
    case "trello":
      // POST /1/webhooks {callbackURL, idModel, description}; Trello sends HEAD to the callback
      // first [developer.atlassian.com/cloud/trello/guides/rest-api/webhooks].
      return { method: "POST", path: "/1/webhooks", body: JSON.stringify({ callbackURL: input.url, idModel: target.idModel, description: "Switchboard" }) };
    case "jira":
      // POST /rest/api/3/webhook {url, webhooks: [{events, jqlFilter}]}, below the site's REST base
      // [developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-post].
      return { method: "POST", path: "/webhook", body: JSON.stringify({ url: input.url, webhooks: [{ events: JIRA_WEBHOOK_EVENTS, jqlFilter: target.jql }] }) };
  }
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : null);

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const PROVIDER_NAMES: Record<SubscribableProviderId, string> = {
  github: "GitHub",
  linear: "Linear",
  microsoft: "Microsoft",
  asana: "Asana",
  "google-calendar": "Google Calendar",
  trello: "Trello",
  jira: "Jira",
};
const MESSAGE_MAX = 300;
const cut = (message: string) => (message.length > MESSAGE_MAX ? `${message.slice(0, MESSAGE_MAX - 1)}…` : message);

/**
 * What the provider said when it refused, in its own words: GitHub's message and each
 * validation error, Linear's user-presentable message, Graph's error message.
 */
export function refusalMessage(providerId: SubscribableProviderId, answer: ProviderAnswer): string {
  const body = parse(answer.body);
  let said: string | null = null;
  if (providerId === "github") {
    const b = obj(body);
    const details = Array.isArray(b.errors)
      ? (b.errors as unknown[]).map((e) => text(obj(e).message) ?? [text(obj(e).field), text(obj(e).code)].filter(Boolean).join(" ")).filter((m) => m !== "")
      : [];
    said = text(b.message) === null ? null : [text(b.message), ...details].join(": ");
  } else if (providerId === "linear") {
    const first = obj((obj(body).errors as unknown[] | undefined)?.[0]);
    said = text(obj(first.extensions).userPresentableMessage) ?? text(first.message);
  } else if (providerId === "trello") {
    // Trello's errors are plain text.
    said = body === undefined ? text(answer.body.trim()) : text(obj(body).message);
  } else if (providerId === "asana") {
    said = text(obj((obj(body).errors as unknown[] | undefined)?.[0]).message);
  } else if (providerId === "jira") {
    // A registration refused per webhook: {webhookRegistrationResult: [{errors: [...]}]} with 200;
    // else Jira's {errorMessages, errors: {field: message}}, or the gateway's {message}.
    const b = obj(body);
    const registration = obj((b.webhookRegistrationResult as unknown[] | undefined)?.[0]);
    const listed = [registration.errors, b.errorMessages].flatMap((list) => (Array.isArray(list) ? list.map(text).filter((m): m is string => m !== null) : []));
    const fields = Object.values(obj(b.errors)).map(text).filter((m): m is string => m !== null);
    said = [...listed, ...fields].join(" ") || text(b.message);
  } else {
    // Graph's and Google's `{ error: { message } }`.
    said = text(obj(obj(body).error).message);
  }
  const name = PROVIDER_NAMES[providerId];
  return cut(said === null ? `${name} answered HTTP ${answer.status}.` : `${name} refused: ${said}`);
}

export type Created = { ok: true; externalId: string; secret?: string; expiresAt?: number } | { ok: false; message: string };

/**
 * The provider's id of what it created (and Linear's secret, Graph's expiry), or its refusal.
 * `sentAt` is when the request went: Jira answers no expiry, so a webhook's is 30 days from then
 * (a little before Jira's own, never after).
 */
export function readCreated(target: SubscriptionTarget, answer: ProviderAnswer, sentAt = Date.now()): Created {
  const refused: Created = { ok: false, message: refusalMessage(target.providerId, answer) };
  const body = obj(parse(answer.body));
  switch (target.providerId) {
    case "github": {
      const id = answer.status === 201 ? text(body.id) : null;
      return id === null ? refused : { ok: true, externalId: id };
    }
    case "linear": {
      // GraphQL answers errors with data null; success false is a refusal too.
      const created = obj(obj(body.data).webhookCreate);
      const webhook = obj(created.webhook);
      const id = text(webhook.id);
      const secret = text(webhook.secret);
      if (answer.status !== 200 || created.success !== true || id === null) return refused;
      if (secret === null) return { ok: false, message: "Linear created the webhook but sent no signing secret." };
      return { ok: true, externalId: id, secret };
    }
    case "microsoft": {
      const id = answer.status === 201 ? text(body.id) : null;
      const expiresAt = Date.parse(String(body.expirationDateTime));
      if (id === null) return refused;
      return Number.isFinite(expiresAt) ? { ok: true, externalId: id, expiresAt } : { ok: false, message: "Microsoft created the subscription but said no expiry." };
    }
    case "asana": {
      const id = answer.status === 201 ? text(obj(body.data).gid) : null;
      return id === null ? refused : { ok: true, externalId: id };
    }
    case "google-calendar":
      return readChannel(answer, body) ?? refused;
    case "trello": {
      const id = answer.status === 200 ? text(body.id) : null;
      return id === null ? refused : { ok: true, externalId: id };
    }
    case "jira": {
      const id = answer.status === 200 ? text(obj((body.webhookRegistrationResult as unknown[] | undefined)?.[0]).createdWebhookId) : null;
      return id === null ? refused : { ok: true, externalId: id, expiresAt: sentAt + JIRA_WEBHOOK_LIFETIME_MS };
    }
  }
}

/** A Calendar channel answer: `channelId:resourceId` (both are needed to stop it) and its expiry (ms, as a string). */
function readChannel(answer: ProviderAnswer, body: Json): { ok: true; externalId: string; expiresAt: number } | null {
  const id = text(body.id);
  const resourceId = text(body.resourceId);
  const expiresAt = Number(body.expiration);
  if (answer.status !== 200 || id === null || resourceId === null || !Number.isFinite(expiresAt)) return null;
  return { ok: true, externalId: `${id}:${resourceId}`, expiresAt };
}

/** The channel id and resource id of a stored Calendar externalId. */
export function channelOf(externalId: string): { id: string; resourceId: string } {
  const at = externalId.indexOf(":");
  return { id: externalId.slice(0, at), resourceId: externalId.slice(at + 1) };
}

/** The request that removes it at the provider. */
export function deleteRequest(target: SubscriptionTarget, externalId: string): ProviderRequest {
  switch (target.providerId) {
    case "github": {
      // DELETE /repos/{owner}/{repo}/hooks/{hook_id} | /orgs/{org}/hooks/{hook_id}: 204.
      const base = target.kind === "repo" ? `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}` : `/orgs/${encodeURIComponent(target.org)}`;
      return { method: "DELETE", path: `${base}/hooks/${encodeURIComponent(externalId)}` };
    }
    case "linear":
      return { method: "POST", path: "/graphql", body: JSON.stringify({ query: LINEAR_DELETE, variables: { id: externalId } }) };
    case "microsoft":
      // DELETE /v1.0/subscriptions/{id}: 204 [learn.microsoft.com/graph/api/subscription-delete].
      return { method: "DELETE", path: `/v1.0/subscriptions/${encodeURIComponent(externalId)}` };
    case "asana":
      // DELETE /webhooks/{webhook_gid}: 200 {data: {}} [developers.asana.com/reference/deletewebhook].
      return { method: "DELETE", path: `/webhooks/${encodeURIComponent(externalId)}` };
    case "google-calendar":
      // POST /calendar/v3/channels/stop {id, resourceId}: 204 [developers.google.com/workspace/calendar/api/v3/reference/channels/stop].
      return { method: "POST", path: "/calendar/v3/channels/stop", body: JSON.stringify(channelOf(externalId)) };
    case "trello":
      return { method: "DELETE", path: `/1/webhooks/${encodeURIComponent(externalId)}` };
    case "jira":
      // DELETE /rest/api/3/webhook {webhookIds}: 202; ids of other apps or of none are ignored
      // [… api-group-webhooks/#api-rest-api-3-webhook-delete].
      return { method: "DELETE", path: "/webhook", body: JSON.stringify({ webhookIds: [Number(externalId)] }) };
  }
}

export type Deleted = { ok: true; alreadyGone: boolean } | { ok: false; message: string };

/** Deleted, or already gone (a 404, Linear's "Entity not found"), or the refusal. */
export function readDeleted(target: SubscriptionTarget, answer: ProviderAnswer): Deleted {
  if (target.providerId === "linear") {
    const body = obj(parse(answer.body));
    if (answer.status === 200 && obj(obj(body.data).webhookDelete).success === true) return { ok: true, alreadyGone: false };
    const message = refusalMessage("linear", answer);
    return /not found/i.test(message) ? { ok: true, alreadyGone: true } : { ok: false, message };
  }
  if (answer.status === 404) return { ok: true, alreadyGone: true };
  if (answer.status >= 200 && answer.status < 300) return { ok: true, alreadyGone: false };
  return { ok: false, message: refusalMessage(target.providerId, answer) };
}

/**
 * The renewal: for Graph a PATCH that moves the expiry on to `now` plus the lifetime we ask
 * for; for a Calendar channel, which cannot be extended, a new watch (a new channel id, the
 * same URL and token), the old channel stopped once the new one exists.
 */
export function renewRequest(target: SubscriptionTarget, externalId: string, input: { now: number; url: string; secret: string | null; channelId?: string }): ProviderRequest {
  if (target.providerId === "google-calendar") return watchRequest(target.calendarId, input);
  // PUT /rest/api/3/webhook/refresh {webhookIds} → {expirationDate} [… api-group-webhooks/#api-rest-api-3-webhook-refresh-put].
  if (target.providerId === "jira") return { method: "PUT", path: "/webhook/refresh", body: JSON.stringify({ webhookIds: [Number(externalId)] }) };
  // PATCH /v1.0/subscriptions/{id} {expirationDateTime} [learn.microsoft.com/graph/api/subscription-update].
  return { method: "PATCH", path: `/v1.0/subscriptions/${encodeURIComponent(externalId)}`, body: JSON.stringify({ expirationDateTime: iso(input.now + GRAPH_REQUESTED_LIFETIME_MS) }) };
}

export type Renewed = { ok: true; expiresAt: number; externalId?: string } | { ok: false; gone: boolean; message: string };

/** The new expiry (and a Calendar channel's new id), or the refusal; a 404 means the provider no longer has it. */
export function readRenewed(target: SubscriptionTarget, answer: ProviderAnswer): Renewed {
  const providerId = target.providerId === "google-calendar" || target.providerId === "jira" ? target.providerId : "microsoft";
  const name = PROVIDER_NAMES[providerId];
  if (answer.status === 404) return { ok: false, gone: true, message: `${name} no longer has this subscription; subscribe again.` };
  const body = obj(parse(answer.body));
  if (providerId === "jira") {
    // The schema says int64 ms; the documented example is "2019-06-01T12:42:30.000+0000": both are read.
    // Jira ignores ids it does not know, so a dropped webhook is not told apart here (?).
    const raw = body.expirationDate;
    const expiresAt = typeof raw === "number" ? raw : typeof raw === "string" ? Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")) : NaN;
    if (answer.status === 200 && Number.isFinite(expiresAt)) return { ok: true, expiresAt };
  } else if (providerId === "google-calendar") {
    const channel = readChannel(answer, body);
    if (channel) return { ok: true, expiresAt: channel.expiresAt, externalId: channel.externalId };
  } else {
    const expiresAt = Date.parse(String(body.expirationDateTime));
    if (answer.status === 200 && Number.isFinite(expiresAt)) return { ok: true, expiresAt };
  }
  return { ok: false, gone: false, message: refusalMessage(providerId, answer) };
}

/**
 * The longest wait before a renewal: a Jira webhook's 30 days are refreshed after 20, so a
 * refresh that fails has ten days of retries (and every wait stays under the 2^31 ms a
 * JavaScript timer holds, which the test scheduler runs on).
 */
export const RENEW_AT_MOST_AFTER_MS = 20 * 24 * 60 * 60_000;

/** When a subscription expiring at `expiresAt` is renewed: a day before, or half-way through what remains, and at most RENEW_AT_MOST_AFTER_MS from now. */
export function renewalAt(expiresAt: number, now: number): number {
  return Math.min(now + RENEW_AT_MOST_AFTER_MS, expiresAt - Math.min(RENEW_BEFORE_EXPIRY_MS, Math.max(0, (expiresAt - now) / 2)));
}

/** True for subscriptions that expire and are renewed (Graph's, Calendar channels, Jira's dynamic webhooks). */
export function expires(target: SubscriptionTarget): boolean {
  return target.providerId === "microsoft" || target.providerId === "google-calendar" || target.providerId === "jira";
}
