/**
 * Jira Cloud's REST API v3 as the actions use it, under the OAuth gateway's site prefix
 * `/ex/jira/<cloudId>/rest/api/3` (the cloud id must be the token's site, the one
 * accessible-resources lists): create an issue, comment, list and apply transitions, search
 * projects, and list a project's issue types for creating
 * (developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/ and
 * api-group-projects/). Errors are Jira's `{ errorMessages, errors: { field: message } }`;
 * rich-text fields must be Atlassian Document Format documents (…/apis/document/structure/);
 * paging is `startAt`/`maxResults` with `total` and, on the project search, `isLast`.
 *
 * Strictness (Jira's behaviour, its exact sentences where known): a classic scope missing
 * from the grant is 401 "Unauthorized; scope does not match" (read:jira-work for reads,
 * write:jira-work for writes); POSTs must be JSON (415); an unknown field under `fields` is
 * refused as not on the screen. Wording marked (?) below is ours, not confirmed: the answer
 * for a cloud id the token cannot reach, and the sub-task refusal.
 * Dynamic webhooks (…/rest/v3/api-group-webhooks/): `POST /webhook` `{ url, webhooks: [{ events,
 * jqlFilter }] }` → 200 `{ webhookRegistrationResult: [{ createdWebhookId } | { errors }] }` (a bad
 * JQL is refused per webhook, in the 200), `PUT /webhook/refresh` `{ webhookIds }` → `{ expirationDate }`
 * (ms; ids not the app's are ignored), `DELETE /webhook` `{ webhookIds }` → 202 (the same), `GET
 * /webhook` a page of them; each lives 30 days from registration or refresh. They need
 * manage:jira-webhook and read:jira-work; kept in the world's `webhooks` for tests.
 * Any other path under the site answers the echo, as before.
 */
import { empty, header, json, type SimResponse } from "../http-utils";
import { worldOf, type ApiCall } from "./index";

type IssueType = { id: string; name: string; description: string; subtask: boolean };
type Project = { id: string; key: string; name: string; canCreate: boolean; issueTypeIds: string[] };
type Comment = { id: string; text: string };
type Issue = { id: string; key: string; projectId: string; issueTypeId: string; summary: string; status: string; comments: Comment[] };
type World = { projects: Project[]; issueTypes: IssueType[]; issues: Issue[]; nextIssueId: number; nextCommentId: number; nextWebhookId: number; counters: Record<string, number> };

/** Custom issue types of the Platform project: more than one page of 50. */
const PLATFORM_TYPES = 55;

function createWorld(): World {
  const issueTypes: IssueType[] = [
    { id: "10001", name: "Task", description: "A small, distinct piece of work.", subtask: false },
    { id: "10002", name: "Bug", description: "", subtask: false },
    { id: "10003", name: "Sub-task", description: "A part of a bigger task.", subtask: true },
  ];
  for (let i = 1; i <= PLATFORM_TYPES; i += 1) {
    issueTypes.push({ id: String(20000 + i), name: `Platform type ${i}`, description: "", subtask: false });
  }
  const standard = ["10001", "10002", "10003"];
  const projects: Project[] = [
    { id: "10000", key: "OPS", name: "Operations", canCreate: true, issueTypeIds: standard },
    { id: "10001", key: "PLAT", name: "Platform", canCreate: true, issueTypeIds: issueTypes.filter((t) => t.id.startsWith("2")).map((t) => t.id) },
    { id: "10002", key: "VIEW", name: "Read-only archive", canCreate: false, issueTypeIds: standard },
  ];
  // 60 projects in all, 59 the user can create issues in: two pages of 50.
  for (let i = 1; projects.length < 60; i += 1) {
    projects.push({ id: String(10002 + i), key: `T${i}`, name: `Team ${String(i).padStart(2, "0")}`, canCreate: true, issueTypeIds: standard });
  }
  return { projects, issueTypes, issues: [], nextIssueId: 10100, nextCommentId: 10500, nextWebhookId: 1000, counters: {} };
}

const refuse = (status: number, errorMessages: string[], errors: Record<string, string> = {}) => json(status, { errorMessages, errors });

/** The workflow every project shares: status → the transitions it offers. */
const WORKFLOW: Record<string, Array<{ id: string; name: string; to: string }>> = {
  "To Do": [
    { id: "21", name: "Start progress", to: "In Progress" },
    { id: "31", name: "Done", to: "Done" },
  ],
  "In Progress": [
    { id: "11", name: "Stop progress", to: "To Do" },
    { id: "31", name: "Done", to: "Done" },
  ],
  Done: [{ id: "41", name: "Reopen", to: "To Do" }],
};
const STATUS_IDS: Record<string, string> = { "To Do": "10000", "In Progress": "3", Done: "10001" };

const BLOCK_TYPES = new Set(["paragraph", "heading", "bulletList", "orderedList", "listItem", "blockquote", "codeBlock", "rule", "panel"]);
const INLINE_TYPES = new Set(["text", "hardBreak", "mention", "emoji", "inlineCard"]);

/** Whether `value` is an ADF document this simulator accepts: known node types, non-empty text. */
function isAdfDocument(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  return doc.type === "doc" && doc.version === 1 && Array.isArray(doc.content) && doc.content.every(isBlock);
}

function isBlock(node: unknown): boolean {
  if (typeof node !== "object" || node === null) return false;
  const { type, content } = node as { type?: unknown; content?: unknown };
  if (typeof type !== "string" || !BLOCK_TYPES.has(type)) return false;
  if (content === undefined) return true;
  return Array.isArray(content) && content.every((child) => isBlock(child) || isInline(child));
}

function isInline(node: unknown): boolean {
  if (typeof node !== "object" || node === null) return false;
  const { type, text } = node as { type?: unknown; text?: unknown };
  if (typeof type !== "string" || !INLINE_TYPES.has(type)) return false;
  return type !== "text" || (typeof text === "string" && text !== "");
}

/** The plain text of an ADF document (for the world; paragraphs joined by blank lines). */
function adfText(doc: { content: Array<{ content?: Array<{ type: string; text?: string }> }> }): string {
  return doc.content.map((block) => (block.content ?? []).map((n) => (n.type === "hardBreak" ? "\n" : (n.text ?? ""))).join("")).join("\n\n");
}

const NOT_ADF = "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
const NO_ISSUE = "Issue does not exist or you do not have permission to see it.";

/** `startAt`/`maxResults` as Jira reads them: integers, `maxResults` capped. */
function paging(call: ApiCall, cap: number): { startAt: number; maxResults: number } | SimResponse {
  const rawStart = call.req.query.get("startAt") ?? "0";
  const rawMax = call.req.query.get("maxResults") ?? "50";
  if (!/^\d+$/.test(rawStart) || !/^-?\d+$/.test(rawMax)) {
    return refuse(400, ["The 'startAt' and 'maxResults' parameters must be integers."]);
  }
  return { startAt: Number(rawStart), maxResults: Math.min(Math.max(Number(rawMax), 0), cap) };
}

function findProject(world: World, idOrKey: string): Project | undefined {
  return world.projects.find((p) => p.id === idOrKey || p.key === idOrKey.toUpperCase());
}

function findIssue(world: World, idOrKey: string): Issue | undefined {
  return world.issues.find((i) => i.id === idOrKey || i.key === idOrKey.toUpperCase());
}

type Read = { body: Record<string, unknown> } | { refused: SimResponse };

function jsonBody(call: ApiCall): Read {
  const type = header(call.req, "content-type") ?? "";
  if (!/^application\/json/i.test(type)) return { refused: json(415, { errorMessages: ["Unsupported Media Type"], errors: {} }) };
  const body = call.req.json;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { refused: refuse(400, ["Can not deserialize the request body."]) };
  return { body: body as Record<string, unknown> };
}

function searchProjects(call: ApiCall, world: World, base: string): SimResponse {
  const page = paging(call, 100);
  if ("status" in page) return page;
  const orderBy = call.req.query.get("orderBy") ?? "key";
  const order = /^([+-]?)(name|key)$/.exec(orderBy);
  if (!order) return refuse(400, [`Invalid orderBy parameter: ${orderBy}`]);
  const action = call.req.query.get("action") ?? "view";
  if (!["view", "browse", "edit", "create"].includes(action)) return refuse(400, [`Invalid action parameter: ${action}`]);
  const field = order[2] as "name" | "key";
  const visible = world.projects
    .filter((p) => action !== "create" || p.canCreate)
    .sort((a, b) => (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0) * (order[1] === "-" ? -1 : 1));
  const values = visible.slice(page.startAt, page.startAt + page.maxResults);
  const isLast = page.startAt + page.maxResults >= visible.length;
  return json(200, {
    self: `${base}/project/search?startAt=${page.startAt}&maxResults=${page.maxResults}`,
    ...(isLast ? {} : { nextPage: `${base}/project/search?startAt=${page.startAt + page.maxResults}&maxResults=${page.maxResults}` }),
    maxResults: page.maxResults,
    startAt: page.startAt,
    total: visible.length,
    isLast,
    values: values.map((p) => ({ self: `${base}/project/${p.id}`, id: p.id, key: p.key, name: p.name, projectTypeKey: "software", simplified: false, style: "classic" })),
  });
}

function createMetaIssueTypes(call: ApiCall, world: World, base: string, idOrKey: string): SimResponse {
  const project = findProject(world, idOrKey);
  if (!project) return refuse(404, [`No project could be found with key '${idOrKey}'.`]);
  const page = paging(call, 200);
  if ("status" in page) return page;
  const types = project.issueTypeIds.map((id) => world.issueTypes.find((t) => t.id === id)!);
  return json(200, {
    issueTypes: types.slice(page.startAt, page.startAt + page.maxResults).map((t) => ({ self: `${base}/issuetype/${t.id}`, ...t })),
    maxResults: page.maxResults,
    startAt: page.startAt,
    total: types.length,
  });
}

const ISSUE_FIELDS = new Set(["project", "issuetype", "summary", "description"]);

function createIssue(call: ApiCall, world: World, base: string): SimResponse {
  const read = jsonBody(call);
  if ("refused" in read) return read.refused;
  const { body } = read;
  const fields = body.fields;
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) return refuse(400, ["Issue must have 'fields' set."]);
  const f = fields as Record<string, unknown>;
  const errors: Record<string, string> = {};
  for (const name of Object.keys(f)) {
    if (!ISSUE_FIELDS.has(name)) errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
  }
  const ref = (f.project ?? {}) as { id?: unknown; key?: unknown };
  const project =
    typeof ref.id === "string" ? world.projects.find((p) => p.id === ref.id) : typeof ref.key === "string" ? world.projects.find((p) => p.key === ref.key) : undefined;
  if (!project) errors.project = "Specify a valid project ID or key";
  const typeId = (f.issuetype as { id?: unknown } | undefined)?.id;
  const type = project && typeof typeId === "string" && project.issueTypeIds.includes(typeId) ? world.issueTypes.find((t) => t.id === typeId) : undefined;
  if (project && !type) errors.issuetype = "Specify a valid issue type";
  // Our wording (?): Jira refuses a sub-task without a parent issue.
  if (type?.subtask) errors.issuetype = "A sub-task needs a parent issue.";
  const summary = f.summary;
  if (typeof summary !== "string" || summary.trim() === "") errors.summary = "You must specify a summary of the issue.";
  else if (/[\r\n]/.test(summary)) errors.summary = "The summary is invalid because it contains newline characters.";
  else if (summary.length > 255) errors.summary = "Summary must be less than 255 characters.";
  if (f.description !== undefined && !isAdfDocument(f.description)) errors.description = NOT_ADF;
  if (Object.keys(errors).length > 0) return refuse(400, [], errors);

  const id = String(world.nextIssueId++);
  world.counters[project!.key] = (world.counters[project!.key] ?? 0) + 1;
  const key = `${project!.key}-${world.counters[project!.key]}`;
  world.issues.push({ id, key, projectId: project!.id, issueTypeId: type!.id, summary: summary as string, status: "To Do", comments: [] });
  return json(201, { id, key, self: `${base}/issue/${id}` });
}

function addComment(call: ApiCall, world: World, base: string, issue: Issue): SimResponse {
  const read = jsonBody(call);
  if ("refused" in read) return read.refused;
  const { body } = read;
  if (body.body === undefined) return refuse(400, [], { comment: "Comment body can not be empty!" });
  if (!isAdfDocument(body.body)) return refuse(400, [], { comment: NOT_ADF });
  const doc = body.body as Parameters<typeof adfText>[0];
  if (doc.content.length === 0) return refuse(400, [], { comment: "Comment body can not be empty!" });
  const id = String(world.nextCommentId++);
  issue.comments.push({ id, text: adfText(doc) });
  return json(201, {
    self: `${base}/issue/${issue.id}/comment/${id}`,
    id,
    author: { accountId: String(call.account.id), displayName: call.account.name },
    body: doc,
    created: new Date(call.now).toISOString(),
  });
}

function listTransitions(issue: Issue): SimResponse {
  return json(200, {
    transitions: WORKFLOW[issue.status]!.map((t) => ({
      id: t.id,
      name: t.name,
      to: { id: STATUS_IDS[t.to], name: t.to, statusCategory: { key: t.to === "Done" ? "done" : t.to === "To Do" ? "new" : "indeterminate" } },
      hasScreen: false,
      isAvailable: true,
    })),
  });
}

function applyTransition(call: ApiCall, issue: Issue): SimResponse {
  const read = jsonBody(call);
  if ("refused" in read) return read.refused;
  const { body } = read;
  const id = (body.transition as { id?: unknown } | undefined)?.id;
  if (typeof id !== "string" || id === "") return refuse(400, ["Missing 'transition' identifier"]);
  const transition = WORKFLOW[issue.status]!.find((t) => t.id === id);
  if (!transition) return refuse(400, [`Transition id '${id}' is not valid for this issue.`]);
  issue.status = transition.to;
  return empty(204);
}

/** A dynamic webhook as the simulator keeps it (`world("jira").webhooks`). */
export type JiraWebhook = { id: number; url: string; events: string[]; jqlFilter: string; expirationDate: number };
/** Webhooks registered through the REST API expire after 30 days [… api-group-webhooks/#api-rest-api-3-webhook-refresh-put]. */
export const JIRA_WEBHOOK_LIFETIME_MS = 30 * 24 * 3_600_000;
/** The `events` a dynamic webhook takes (WebhookDetails). */
const WEBHOOK_EVENTS = new Set(["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted", "issue_property_set", "issue_property_deleted"]);
/** WebhookDetails.jqlFilter: "Fields: issueKey, project, issuetype, status, assignee, reporter, issue.property, and cf[id] […]. Operators: =, !=, IN, and NOT IN". */
const JQL_FIELDS = /^(?:issuekey|project|issuetype|status|assignee|reporter|issue\.property\[[^\]]+\](?:\.[\w.-]+)?|cf\[\d+\])$/i;

/**
 * The first problem of a webhook's JQL, worded as Jira words it where known ("The clause
 * watchCount is unsupported", its documented example), else our wording (?): each clause's
 * field and operator are checked, and a project must exist.
 */
function jqlProblem(world: World, jql: string): string | null {
  if (jql.trim() === "") return "The JQL filter must not be empty (?).";
  const clause = /([\w.[\]-]+)\s*(!=|=|~|!~|>=|<=|>|<|\bnot\s+in\b|\bin\b|\bis\s+not\b|\bis\b|\bwas\b|\bchanged\b)\s*(\([^)]*\)|"[^"]*"|'[^']*'|[\w.-]+)?/gi;
  let seen = false;
  for (const m of jql.matchAll(clause)) {
    const [, field, op, value] = m as unknown as [string, string, string, string | undefined];
    if (["and", "or", "not"].includes(field.toLowerCase())) continue;
    seen = true;
    if (!JQL_FIELDS.test(field)) return `The clause ${field} is unsupported`;
    if (!/^(?:=|!=|in|not\s+in)$/i.test(op)) return `The operator '${op}' is unsupported (?)`;
    if (field.toLowerCase() === "project" && value !== undefined) {
      for (const raw of value.replace(/^\(|\)$/g, "").split(",")) {
        const key = raw.trim().replace(/^["']|["']$/g, "");
        if (key !== "" && !findProject(world, key)) return `The value '${key}' does not exist for the field 'project'.`;
      }
    }
  }
  if (/\border\s+by\b|\w\(/i.test(jql)) return "The JQL filter cannot use ORDER BY or functions (?).";
  return seen ? null : `Error in the JQL Query: '${jql}' (?)`;
}

function webhookIds(call: ApiCall): number[] | SimResponse {
  const read = jsonBody(call);
  if ("refused" in read) return read.refused;
  const ids = read.body.webhookIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => Number.isInteger(id))) return refuse(400, ["webhookIds must be a non-empty list of webhook ids (?)."]);
  return ids as number[];
}

function webhooksApi(call: ApiCall, world: World, path: string): SimResponse {
  const webhooks = worldOf<JiraWebhook[]>(call.world, "webhooks", () => []);
  const { method } = call.req;
  if (path === "/webhook" && method === "GET") {
    const values = webhooks.map(({ id, events, jqlFilter, expirationDate }) => ({ id, events, jqlFilter, expirationDate }));
    return json(200, { startAt: 0, maxResults: 100, total: values.length, isLast: true, values });
  }
  if (path === "/webhook" && method === "POST") {
    const read = jsonBody(call);
    if ("refused" in read) return read.refused;
    const { url, webhooks: details } = read.body;
    if (typeof url !== "string" || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return refuse(400, ["The webhook URL is invalid (?)."]);
    if (!Array.isArray(details) || details.length === 0) return refuse(400, ["webhooks must be a non-empty list (?)."]);
    const webhookRegistrationResult = details.map((detail: unknown) => {
      const { events, jqlFilter } = (typeof detail === "object" && detail !== null ? detail : {}) as { events?: unknown; jqlFilter?: unknown };
      if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === "string" && WEBHOOK_EVENTS.has(e))) return { errors: ["The events are not supported (?)."] };
      if (typeof jqlFilter !== "string") return { errors: ["The JQL filter is required (?)."] };
      const problem = jqlProblem(world, jqlFilter);
      if (problem) return { errors: [problem] };
      const webhook: JiraWebhook = { id: world.nextWebhookId++, url, events: events as string[], jqlFilter, expirationDate: call.now + JIRA_WEBHOOK_LIFETIME_MS };
      webhooks.push(webhook);
      return { createdWebhookId: webhook.id };
    });
    return json(200, { webhookRegistrationResult });
  }
  const ids = webhookIds(call);
  if (!Array.isArray(ids)) return ids;
  if (path === "/webhook/refresh") {
    const expirationDate = call.now + JIRA_WEBHOOK_LIFETIME_MS;
    for (const webhook of webhooks) if (ids.includes(webhook.id)) webhook.expirationDate = expirationDate;
    return json(200, { expirationDate });
  }
  const kept = webhooks.filter((w) => !ids.includes(w.id));
  webhooks.splice(0, webhooks.length, ...kept);
  return empty(202);
}

const SITE_PATH = /^\/ex\/jira\/([^/]+)\/rest\/api\/3(\/.*)$/;

export function jiraApi(call: ApiCall): SimResponse | null {
  const site = SITE_PATH.exec(call.apiPath);
  if (!site) return null;
  const [, cloudId, path] = site as unknown as [string, string, string];
  const { method } = call.req;
  const webhookPath = (path === "/webhook" && ["GET", "POST", "DELETE"].includes(method)) || (path === "/webhook/refresh" && method === "PUT");
  if (webhookPath) {
    if (cloudId !== String(call.account.id)) return refuse(404, ["Site not found for this token."]);
    // "OAuth 2.0 scopes required: read:jira-work, manage:jira-webhook" (the operations' listing).
    if (!call.scopes.includes("manage:jira-webhook") || !call.scopes.includes("read:jira-work")) return json(401, { code: 401, message: "Unauthorized; scope does not match" });
    return webhooksApi(call, worldOf(call.world, "jira", createWorld), path);
  }
  const issuePath = /^\/issue\/([^/]+)(?:\/(comment|transitions))?$/.exec(path);
  const known =
    (path === "/issue" && method === "POST") ||
    (path === "/project/search" && method === "GET") ||
    (/^\/issue\/createmeta\/[^/]+\/issuetypes$/.test(path) && method === "GET") ||
    (issuePath?.[2] === "comment" && method === "POST") ||
    (issuePath?.[2] === "transitions" && (method === "GET" || method === "POST"));
  if (!known) return null;
  // Our answer (?) for a site the token was not granted.
  if (cloudId !== String(call.account.id)) return refuse(404, ["Site not found for this token."]);
  const needed = method === "GET" ? "read:jira-work" : "write:jira-work";
  if (!call.scopes.includes(needed)) return json(401, { code: 401, message: "Unauthorized; scope does not match" });

  const world = worldOf(call.world, "jira", createWorld);
  const base = `${call.req.url.origin}${call.req.path.slice(0, call.req.path.length - path.length)}`;
  if (path === "/issue") return createIssue(call, world, base);
  if (path === "/project/search") return searchProjects(call, world, base);
  const meta = /^\/issue\/createmeta\/([^/]+)\/issuetypes$/.exec(path);
  if (meta) return createMetaIssueTypes(call, world, base, decodeURIComponent(meta[1]!));
  const issue = findIssue(world, decodeURIComponent(issuePath![1]!));
  if (!issue) return refuse(404, [NO_ISSUE]);
  if (issuePath![2] === "comment") return addComment(call, world, base, issue);
  return method === "GET" ? listTransitions(issue) : applyTransition(call, issue);
}
