/**
 * Linear's GraphQL API (POST /graphql) as the actions use it. The query is parsed just
 * enough to find its operation type, variable definitions and root field, and only these
 * operations are played: `mutation { issueCreate(input: $input) }`, `mutation {
 * commentCreate(input: $input) }`, `query { teams(first:, after:) }` (60 teams, so
 * two pages at 50), and `webhookCreate(input:)` / `webhookDelete(id:)` (the `admin`
 * scope; the world's `webhooks` keeps each with its secret). Anything else is a GraphQL error (`graphql error`), as Linear answers
 * a field it does not know; the catalog's test query is answered before this module.
 *
 * Errors are Linear's `{ errors: [{ message, extensions: { code, type, userError,
 * userPresentableMessage } }], data: null }`: invalid variables and unknown entities are
 * `INVALID_INPUT` / "invalid input", a missing OAuth scope is `FORBIDDEN` ("Invalid scope:
 * `write` required"), a spent budget (`patchWorld("linear", { rateLimit: { remaining: 0,
 * resetAt } })`) is `RATELIMITED`, all with HTTP 400 (?: the status Linear uses for each
 * is not documented). Every answer carries `X-RateLimit-Requests-Limit`, `-Remaining` and
 * `-Reset` (epoch ms (?)). The messages' wording is ours where Linear's is unknown (?).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { json, type SimResponse } from "../http-utils";
import { spendRateLimit, worldOf, type ApiCall } from "./index";

type Team = { id: string; name: string; key: string };
type Issue = { id: string; identifier: string; teamId: string; title: string; description?: string; priority: number; assigneeId?: string };
type Comment = { id: string; issueId: string; body: string };

export const ENGINEERING_TEAM = "4b0c3f5e-8f1a-4c2b-9d3e-5f6a7b8c9d0e";
export const ADA_USER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
export const ENG_1_ISSUE = "11111111-2222-4333-8444-555555555555";
const USERS = [ADA_USER];
const ORG = "sim-org";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function teams(): Team[] {
  const list: Team[] = [
    { id: ENGINEERING_TEAM, name: "Engineering", key: "ENG" },
    { id: "5c1d4a6f-9a2b-4d3c-8e4f-6a7b8c9d0e1f", name: "Design", key: "DES" },
  ];
  for (let i = 3; i <= 60; i += 1) {
    const n = String(i).padStart(2, "0");
    list.push({ id: `00000000-0000-4000-8000-0000000000${n}`, name: `Team ${n}`, key: `T${n}` });
  }
  return list;
}

function issues(): Issue[] {
  return [{ id: ENG_1_ISSUE, identifier: "ENG-1", teamId: ENGINEERING_TEAM, title: "Existing issue", priority: 0 }];
}

type Extensions = { code: string; type: string; userError: boolean; userPresentableMessage?: string };
const gqlError = (message: string, extensions: Extensions, status = 400, path?: string) =>
  json(status, { errors: [{ message, extensions, ...(path ? { path: [path] } : {}) }], data: null });
const graphqlError = (message: string) => gqlError(message, { code: "GRAPHQL_VALIDATION_FAILED", type: "graphql error", userError: false });
const invalidInput = (message: string, path: string) =>
  gqlError("Argument Validation Error", { code: "INVALID_INPUT", type: "invalid input", userError: true, userPresentableMessage: message }, 400, path);

/** The parts of a GraphQL document the simulator reads. */
type Operation = { type: "query" | "mutation"; variables: Record<string, string>; field: string; args: Record<string, string> };

/** Parses `mutation Name($a: T!) { field(arg: $a, n: 5) { … } }` (or a bare `{ field }`), or null. */
export function parseOperation(query: string): Operation | null {
  const source = query.replace(/#[^\n]*/g, " ");
  const head = /^\s*(?:(query|mutation)\b\s*(?:[A-Za-z_]\w*)?\s*(?:\(([^)]*)\))?\s*)?\{\s*(?:[A-Za-z_]\w*\s*:\s*)?([A-Za-z_]\w*)\s*(?:\(([^)]*)\))?/.exec(source);
  if (!head) return null;
  const variables: Record<string, string> = {};
  for (const definition of (head[2] ?? "").split(",")) {
    const match = /^\s*\$([A-Za-z_]\w*)\s*:\s*([^=]+?)\s*(?:=.*)?$/.exec(definition);
    if (match) variables[match[1]!] = match[2]!.replace(/\s+/g, "");
  }
  const args: Record<string, string> = {};
  for (const match of (head[4] ?? "").matchAll(/([A-Za-z_]\w*)\s*:\s*(\$[A-Za-z_]\w*|-?\d+|"[^"]*"|true|false|null)/g)) args[match[1]!] = match[2]!;
  return { type: (head[1] as Operation["type"] | undefined) ?? "query", variables, field: head[3]!, args };
}

/** An argument's value: a variable's, or a literal. */
function argValue(raw: string | undefined, variables: Record<string, unknown>): unknown {
  if (raw === undefined) return undefined;
  if (raw.startsWith("$")) return variables[raw.slice(1)];
  if (raw.startsWith('"')) return raw.slice(1, -1);
  if (raw === "null") return null;
  if (raw === "true" || raw === "false") return raw === "true";
  return Number(raw);
}

/** `input: $input` with `$input: <Type>!` and an object value, or the GraphQL error. */
function inputOf(op: Operation, variables: Record<string, unknown>, type: string, allowed: readonly string[]): Record<string, unknown> | SimResponse {
  const ref = op.args.input;
  if (!ref) return graphqlError(`Field "${op.field}" argument "input" of type "${type}!" is required, but it was not provided.`);
  if (ref.startsWith("$") && op.variables[ref.slice(1)] !== `${type}!`) {
    return graphqlError(`Variable "${ref}" of type "${op.variables[ref.slice(1)] ?? "unknown"}" used in position expecting type "${type}!".`);
  }
  const value = argValue(ref, variables);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return graphqlError(`Variable "${ref}" of required type "${type}!" was not provided.`);
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown) return graphqlError(`Variable "${ref}" got invalid value; Field "${unknown}" is not defined by type "${type}".`);
  return value as Record<string, unknown>;
}

const isResponse = (value: unknown): value is SimResponse => typeof value === "object" && value !== null && "status" in value && "headers" in value && "body" in value;

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

function issueCreate(call: ApiCall, op: Operation, variables: Record<string, unknown>): SimResponse {
  const input = inputOf(op, variables, "IssueCreateInput", ["teamId", "title", "description", "priority", "assigneeId"]);
  if (isResponse(input)) return input;
  for (const [key, type] of [["teamId", "string"], ["title", "string"], ["description", "string"], ["assigneeId", "string"], ["priority", "number"]] as const) {
    if (input[key] !== undefined && typeof input[key] !== type) return graphqlError(`Variable "$input" got invalid value; Field "${key}" of type "${type === "number" ? "Int" : "String"}" is invalid.`);
  }
  if (typeof input.teamId !== "string") return graphqlError('Variable "$input" got invalid value; Field "teamId" of required type "String!" was not provided.');
  const teamId = input.teamId.toLowerCase();
  if (!UUID.test(teamId)) return invalidInput("teamId must be a UUID.", "issueCreate");
  const team = worldOf(call.world, "teams", teams).find((t) => t.id === teamId);
  if (!team) return invalidInput("Entity not found: Team", "issueCreate");
  const title = typeof input.title === "string" ? input.title.trim() : "";
  if (title === "") return invalidInput("title should not be empty.", "issueCreate");
  const priority = input.priority === undefined ? 0 : (input.priority as number);
  if (!Number.isInteger(priority) || priority < 0 || priority > 4) return invalidInput("priority must not be greater than 4 or less than 0.", "issueCreate");
  if (input.assigneeId !== undefined && !USERS.includes(String(input.assigneeId).toLowerCase())) return invalidInput("Entity not found: User", "issueCreate");
  const list = worldOf(call.world, "issues", issues);
  const number = list.filter((i) => i.teamId === team.id).length + 1;
  const issue: Issue = {
    id: randomUUID(),
    identifier: `${team.key}-${number}`,
    teamId: team.id,
    title,
    priority,
    ...(typeof input.description === "string" ? { description: input.description } : {}),
    ...(typeof input.assigneeId === "string" ? { assigneeId: input.assigneeId } : {}),
  };
  list.push(issue);
  return json(200, { data: { issueCreate: { success: true, issue: { id: issue.id, identifier: issue.identifier, url: `https://linear.app/${ORG}/issue/${issue.identifier}/${slug(title)}`, title } } } });
}

function commentCreate(call: ApiCall, op: Operation, variables: Record<string, unknown>): SimResponse {
  const input = inputOf(op, variables, "CommentCreateInput", ["issueId", "body"]);
  if (isResponse(input)) return input;
  if (typeof input.issueId !== "string") return graphqlError('Variable "$input" got invalid value; Field "issueId" of type "String" is invalid.');
  const issueId = input.issueId;
  const issue = worldOf(call.world, "issues", issues).find((i) => i.id === issueId.toLowerCase() || i.identifier === issueId.toUpperCase());
  if (!issue) return invalidInput("Entity not found: Issue", "commentCreate");
  if (typeof input.body !== "string" || input.body.trim() === "") return invalidInput("body should not be empty.", "commentCreate");
  const comment: Comment = { id: randomUUID(), issueId: issue.id, body: input.body };
  worldOf<Comment[]>(call.world, "comments", () => []).push(comment);
  const url = `https://linear.app/${ORG}/issue/${issue.identifier}/${slug(issue.title)}#comment-${comment.id.slice(0, 8)}`;
  return json(200, { data: { commentCreate: { success: true, comment: { id: comment.id, url, body: comment.body } } } });
}

const cursorFor = (index: number) => Buffer.from(`team:${index}`).toString("base64url");
function indexOf(cursor: string): number | null {
  const match = /^team:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : null;
}

function teamsQuery(call: ApiCall, op: Operation, variables: Record<string, unknown>): SimResponse {
  const first = argValue(op.args.first, variables) ?? 50;
  const after = argValue(op.args.after, variables);
  if (typeof first !== "number" || !Number.isInteger(first) || first < 1 || first > 250) return invalidInput("first must be between 1 and 250.", "teams");
  let start = 0;
  if (after !== undefined && after !== null) {
    const index = typeof after === "string" ? indexOf(after) : null;
    if (index === null) return invalidInput("after is not a valid cursor.", "teams");
    start = index + 1;
  }
  const list = worldOf(call.world, "teams", teams);
  const nodes = list.slice(start, start + first);
  const last = start + nodes.length - 1;
  return json(200, {
    data: {
      teams: {
        nodes: nodes.map((t) => ({ id: t.id, name: t.name, key: t.key })),
        pageInfo: { hasNextPage: last + 1 < list.length, endCursor: nodes.length > 0 ? cursorFor(last) : null },
      },
    },
  });
}

/** A webhook made by `webhookCreate`, kept in the world's `webhooks` (with its secret) for tests. */
export type LinearWebhook = { id: string; url: string; enabled: boolean; secret: string; teamId: string | null; allPublicTeams: boolean; resourceTypes: string[]; label: string | null };

/** The models a Linear webhook can report on [linear.app/developers/webhooks]. */
const WEBHOOK_RESOURCE_TYPES = ["Issue", "Comment", "IssueLabel", "Reaction", "Project", "ProjectUpdate", "Document", "Initiative", "InitiativeUpdate", "Cycle", "Customer", "CustomerNeed", "User", "IssueAttachment", "Attachment"];

/**
 * `webhookCreate(input: WebhookCreateInput!)`: a URL, resource types, and a team or
 * allPublicTeams; Linear makes the signing secret and answers it on the webhook.
 */
function webhookCreate(call: ApiCall, op: Operation, variables: Record<string, unknown>): SimResponse {
  const input = inputOf(op, variables, "WebhookCreateInput", ["url", "resourceTypes", "teamId", "allPublicTeams", "label", "enabled", "secret", "id"]);
  if (isResponse(input)) return input;
  if (typeof input.url !== "string") return graphqlError('Variable "$input" got invalid value; Field "url" of required type "String!" was not provided.');
  if (!URL.canParse(input.url) || !/^https?:$/.test(new URL(input.url).protocol)) return invalidInput("url must be a URL address", "webhookCreate");
  const types = input.resourceTypes;
  if (!Array.isArray(types)) return graphqlError('Variable "$input" got invalid value; Field "resourceTypes" of required type "[String!]!" was not provided.');
  if (types.length === 0) return invalidInput("resourceTypes should not be empty (?)", "webhookCreate");
  const unknown = types.find((t) => !WEBHOOK_RESOURCE_TYPES.includes(String(t)));
  if (unknown !== undefined) return invalidInput(`Unknown resource type: ${String(unknown)} (?)`, "webhookCreate");
  let teamId: string | null = null;
  if (input.teamId !== undefined && input.teamId !== null) {
    if (typeof input.teamId !== "string" || !UUID.test(input.teamId)) return invalidInput("teamId must be a UUID.", "webhookCreate");
    const id = input.teamId.toLowerCase();
    if (!worldOf(call.world, "teams", teams).some((t) => t.id === id)) return invalidInput("Entity not found: Team", "webhookCreate");
    teamId = id;
  }
  const all = input.allPublicTeams === true;
  if ((teamId === null) === !all) return invalidInput("Provide either teamId or allPublicTeams (?)", "webhookCreate");
  const webhook: LinearWebhook = {
    id: randomUUID(),
    url: input.url,
    enabled: input.enabled !== false,
    secret: typeof input.secret === "string" && input.secret !== "" ? input.secret : `lin_wh_${randomBytes(24).toString("base64url")}`,
    teamId,
    allPublicTeams: all,
    resourceTypes: types.map(String),
    label: typeof input.label === "string" ? input.label : null,
  };
  worldOf<LinearWebhook[]>(call.world, "webhooks", () => []).push(webhook);
  return json(200, { data: { webhookCreate: { success: true, webhook: { id: webhook.id, enabled: webhook.enabled, secret: webhook.secret, url: webhook.url } } } });
}

/** `webhookDelete(id: String!)`: an unknown id is "Entity not found". */
function webhookDelete(call: ApiCall, op: Operation, variables: Record<string, unknown>): SimResponse {
  const id = argValue(op.args.id, variables);
  if (typeof id !== "string") return graphqlError('Field "webhookDelete" argument "id" of type "String!" is required, but it was not provided.');
  const list = worldOf<LinearWebhook[]>(call.world, "webhooks", () => []);
  const index = list.findIndex((w) => w.id === id);
  if (index === -1) return invalidInput("Entity not found: Webhook", "webhookDelete");
  list.splice(index, 1);
  return json(200, { data: { webhookDelete: { success: true } } });
}

/** The scopes that allow an operation (any one). */
const SCOPES: Record<string, readonly string[]> = {
  issueCreate: ["write", "issues:create"],
  commentCreate: ["write", "comments:create"],
  teams: ["read"],
  // "Only workspace admins, or OAuth applications with the admin scope, can create or read webhooks" [linear.app/developers/webhooks].
  webhookCreate: ["admin"],
  webhookDelete: ["admin"],
};

function rateLimitHeaders(call: ApiCall): { headers: Record<string, string>; exhausted: boolean } {
  const { limit, exhausted } = spendRateLimit(call);
  return {
    exhausted,
    headers: {
      "x-ratelimit-requests-limit": String(limit.limit),
      "x-ratelimit-requests-remaining": String(Math.max(0, limit.remaining)),
      "x-ratelimit-requests-reset": String(limit.resetAt),
    },
  };
}

function play(call: ApiCall): SimResponse {
  const { req } = call;
  if (req.method !== "POST") return graphqlError("Must provide query string.");
  const body = req.json as { query?: unknown; variables?: unknown } | undefined;
  if (req.bodyFormat !== "json" || typeof body !== "object" || body === null || typeof body.query !== "string") return graphqlError("Must provide query string.");
  const variables = body.variables ?? {};
  if (typeof variables !== "object" || variables === null || Array.isArray(variables)) return graphqlError("Variables must be an object.");
  const op = parseOperation(body.query);
  if (!op) return gqlError("Syntax Error: Unexpected token.", { code: "GRAPHQL_PARSE_FAILED", type: "graphql error", userError: false });
  const mutations = ["issueCreate", "commentCreate", "webhookCreate", "webhookDelete"];
  const expected = op.field === "teams" ? "query" : mutations.includes(op.field) ? "mutation" : null;
  if (expected === null) return graphqlError(`The simulator does not play "${op.field}": only issueCreate, commentCreate, webhookCreate, webhookDelete and teams.`);
  if (expected !== op.type) return graphqlError(`Cannot query field "${op.field}" on type "${op.type === "query" ? "Query" : "Mutation"}".`);
  const allowed = SCOPES[op.field]!;
  if (!allowed.some((scope) => call.scopes.includes(scope))) {
    const message = `Invalid scope: \`${allowed[0]}\` required`;
    return gqlError(message, { code: "FORBIDDEN", type: "forbidden", userError: true, userPresentableMessage: message }, 400, op.field);
  }
  const values = variables as Record<string, unknown>;
  if (op.field === "issueCreate") return issueCreate(call, op, values);
  if (op.field === "commentCreate") return commentCreate(call, op, values);
  if (op.field === "webhookCreate") return webhookCreate(call, op, values);
  if (op.field === "webhookDelete") return webhookDelete(call, op, values);
  return teamsQuery(call, op, values);
}

export function linearApi(call: ApiCall): SimResponse | null {
  if (call.apiPath !== "/graphql") return null;
  const budget = rateLimitHeaders(call);
  const response = budget.exhausted
    ? gqlError("Rate limit exceeded", { code: "RATELIMITED", type: "ratelimited", userError: false, userPresentableMessage: "You have exceeded the rate limit." })
    : play(call);
  return { ...response, headers: { ...response.headers, ...budget.headers } };
}
