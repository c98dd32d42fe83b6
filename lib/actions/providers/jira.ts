/**
 * Jira Cloud platform REST API v3 actions. Paths are below the connection's site REST base,
 * `https://api.atlassian.com/ex/jira/<cloudId>/rest/api/3` (lib/providers/jira.ts: the
 * connect-time check keeps the site's cloud id and the `apiBase` hook moves every call
 * under it), so an action's path starts at `/issue`, `/project`….
 *
 * Operations (developer.atlassian.com/cloud/jira/platform/rest/v3/):
 * - api-group-issues/#api-rest-api-3-issue-post: `POST /issue` `{ fields: { project: { key } |
 *   { id }, issuetype: { id }, summary, description } }` → 201 `{ id, key, self }`. In v3 a
 *   rich-text field such as `description` must be an Atlassian Document Format document
 *   (developer.atlassian.com/cloud/jira/platform/apis/document/structure/): `{ type: "doc",
 *   version: 1, content: [paragraph…] }`, a paragraph holding `text` nodes (non-empty `text`)
 *   and `hardBreak` nodes.
 * - api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post: `{ body: ADF }`
 *   → 201 with the comment's `id`.
 * - api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post: `{ transition: { id } }`
 *   → 204 No Content; the GET of the same path lists the transitions the issue can take now,
 *   `{ transitions: [{ id, name, to: { name } }] }`, unpaginated.
 * - api-group-projects/#api-rest-api-3-project-search-get: a page bean `{ startAt, maxResults,
 *   total, isLast, values }`; `maxResults` at most 100 (default 50), `action=create` keeps the
 *   projects the user can create issues in, `orderBy=name`.
 * - api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-get: `{ startAt,
 *   maxResults, total, issueTypes: [{ id, name, description, subtask }] }`; the newer
 *   responses name the list `createMetaIssueType` as well (?), so both are read.
 *
 * Errors (…/rest/v3/intro/#status-codes): `{ errorMessages: [...], errors: { field: message } }`;
 * 400 for a bad input (the `errors` keys are Jira field ids: `summary`, `issuetype`,
 * `customfield_10001`), 404 for an issue or project the user cannot see, 429 with Retry-After
 * (developer.atlassian.com/cloud/jira/platform/rate-limiting/). An OAuth token without the
 * scope an operation needs is answered 401 `{ code: 401, message: "Unauthorized; scope does not
 * match" }` (seen in client issue trackers, not documented (?)). The created issue's `self` is a
 * REST URL; through the OAuth gateway it is the gateway's, from which the site's browse URL
 * cannot be derived (?), so then `url` is that REST URL.
 */
import { z } from "zod";
import { defineAction, pathSegment, type ActionAnswer, type ActionMapping } from "../define";
import { failureOfStatus, providerValidationFailure, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";

const JIRA = "Jira";
const ACCEPT_JSON = { Accept: "application/json" };

/** Jira field ids in `errors` → this file's input names. */
const INPUT_FIELDS: Record<string, string> = {
  project: "project",
  pid: "project",
  issuetype: "issueType",
  summary: "summary",
  description: "description",
  comment: "body",
  transition: "transition",
};

type JiraErrorBody = { errorMessages?: unknown; errors?: unknown; message?: unknown };

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string" && item !== "") : [];
}

/** Jira's per-field messages, keyed by this action's input names (unknown Jira fields keep their id). */
function fieldErrors(errors: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof errors !== "object" || errors === null) return fields;
  for (const [name, message] of Object.entries(errors)) {
    if (typeof message === "string") fields[INPUT_FIELDS[name] ?? name] ??= message;
  }
  return fields;
}

/**
 * A Jira answer's failure, or null for a 2xx. `notFound` names the input field a 404 is
 * about (the issue or project the path names): it is then the caller's input that is wrong.
 */
export function jiraFailure(answer: ActionAnswer, notFound?: string): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const body = (typeof answer.json === "object" && answer.json !== null ? answer.json : {}) as JiraErrorBody;
  const fields = fieldErrors(body.errors);
  const messages = [...strings(body.errorMessages), ...Object.values(fields)];
  const said = messages.join(" ") || (typeof body.message === "string" ? body.message : "");
  if (status === 400) {
    return providerValidationFailure(JIRA, said || "the request was refused.", fields, { status });
  }
  if (status === 401 && /scope does not match/i.test(said)) {
    return {
      code: "missing_scope",
      message: "Jira says the connection's scopes do not allow this: reconnect Jira and grant them.",
      retryable: false,
      status,
    };
  }
  if (status === 404 && notFound) {
    const why = said || "it does not exist or the connection cannot see it.";
    return { code: "invalid_input", message: `Jira refused the input: ${why}`, retryable: false, fields: { [notFound]: why }, status };
  }
  // failureOfStatus ends the sentence itself.
  return failureOfStatus(answer, JIRA, said.replace(/\.+$/, "") || undefined);
}

function jiraJson<T>(answer: ActionAnswer, read: (body: never) => T, notFound?: string): ActionMapping<T> {
  const failure = jiraFailure(answer, notFound);
  return failure ? { ok: false, error: failure } : { ok: true, output: read(answer.json as never) };
}

type AdfNode = { type: "text"; text: string } | { type: "hardBreak" };
export type AdfDocument = { type: "doc"; version: 1; content: Array<{ type: "paragraph"; content: AdfNode[] }> };

/**
 * Plain text as an Atlassian Document: blank lines separate paragraphs, a single line
 * break is a `hardBreak`; empty lines at the edges are dropped (ADF text nodes are never empty).
 * @example adfDocument("Hi\nthere") // { type: "doc", version: 1, content: [{ type: "paragraph", content: [text "Hi", hardBreak, text "there"] }] }
 */
export function adfDocument(text: string): AdfDocument {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    // A block keeps at most one line break at each edge (the split takes them in pairs).
    .map((paragraph) => paragraph.replace(/^\n|\n$/g, ""))
    .filter((paragraph) => paragraph.trim() !== "");
  return {
    type: "doc",
    version: 1,
    content: paragraphs.map((paragraph) => ({
      type: "paragraph",
      // No line is empty here: an empty line would have been a paragraph break.
      content: paragraph
        .split("\n")
        .flatMap((line, index): AdfNode[] => (index > 0 ? [{ type: "hardBreak" }, { type: "text", text: line }] : [{ type: "text", text: line }])),
    })),
  };
}

/** Jira's text fields hold at most 32,767 characters (?). */
const MAX_TEXT = 32_767;

const projectField = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^([A-Z][A-Z0-9_]*|\d+)$/, "A project key (OPS) or its numeric id.")
  .max(255, "A project key (OPS) or its numeric id.")
  .meta({ title: "Project", description: "The project's key or id.", examples: ["OPS", "10000"], ...fromLookup("jira.list_projects") });

const issueField = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^([A-Z][A-Z0-9_]*-\d+|\d+)$/, "An issue key like OPS-123, or its numeric id.")
  .max(255, "An issue key like OPS-123, or its numeric id.")
  .meta({ title: "Issue", description: "The issue's key or id.", examples: ["OPS-123"] });

const richText = (title: string, example: string) =>
  z
    .string()
    .max(MAX_TEXT, "Jira takes at most 32,767 characters.")
    .meta({ title, description: "Plain text; blank lines separate paragraphs.", examples: [example] });

/** Body fields for the created issue: a numeric project is an id, anything else a key. */
function projectRef(project: string): { id: string } | { key: string } {
  return /^\d+$/.test(project) ? { id: project } : { key: project };
}

/**
 * The browse URL of an issue when its `self` is a site's own REST URL
 * (`https://acme.atlassian.net/rest/api/3/issue/10001` → `https://acme.atlassian.net/browse/OPS-1`);
 * otherwise (the OAuth gateway's `self`) the REST URL itself.
 */
export function issueUrl(self: string, key: string): string {
  const site = /^(https:\/\/[^/?#]+)\/rest\/api\/\d+\/issue\/[^/?#]+$/.exec(self);
  return site ? `${site[1]}/browse/${encodeURIComponent(key)}` : self;
}

export const jiraCreateIssue = defineAction({
  id: "jira.create_issue",
  version: 1,
  providerId: "jira",
  title: "Create an issue",
  description: "Creates an issue in a Jira project; the description is plain text, kept in paragraphs.",
  effect: "write",
  scopes: ["write:jira-work"],
  input: z.object({
    project: projectField,
    issueType: z
      .string()
      .trim()
      .regex(/^\d+$/, "Choose an issue type (its numeric id).")
      .meta({ title: "Issue type", description: "The issue type's id, from the project's issue types.", examples: ["10001"], ...fromLookup("jira.list_issue_types", { project: "project" }) }),
    summary: z
      .string()
      .trim()
      .min(1, "Write a summary.")
      .max(255, "Jira takes a summary of at most 255 characters.")
      .refine((summary) => !/[\r\n]/.test(summary), "A summary is one line.")
      .meta({ title: "Summary", examples: ["Checkout fails for EU cards"] }),
    description: richText("Description", "Steps to reproduce:\n1. Open the app\n2. Click Save").optional(),
  }),
  output: z.object({
    id: z.string().describe("The issue's id."),
    key: z.string().describe("The issue's key (OPS-123)."),
    url: z.string().describe("Where the issue is: its browse page when the site is known, else its REST URL."),
  }),
  request: (input) => ({
    method: "POST",
    path: "/issue",
    headers: ACCEPT_JSON,
    body: {
      json: {
        fields: {
          project: projectRef(input.project),
          issuetype: { id: input.issueType },
          summary: input.summary,
          ...(input.description !== undefined && input.description.trim() !== "" ? { description: adfDocument(input.description) } : {}),
        },
      },
    },
  }),
  response: (answer) =>
    jiraJson(answer, (body: { id: string; key: string; self: string }) => ({ id: body.id, key: body.key, url: issueUrl(body.self, body.key) })),
});

export const jiraCommentOnIssue = defineAction({
  id: "jira.comment_on_issue",
  version: 1,
  providerId: "jira",
  title: "Comment on an issue",
  description: "Adds a comment to an issue as the connected user.",
  effect: "write",
  scopes: ["write:jira-work"],
  input: z.object({
    issue: issueField,
    body: richText("Comment", "Deployed to production in 1.4.2.").refine((body) => body.trim() !== "", "Write the comment."),
  }),
  output: z.object({ id: z.string().describe("The comment's id.") }),
  request: (input) => ({
    method: "POST",
    path: `/issue/${pathSegment(input.issue)}/comment`,
    headers: ACCEPT_JSON,
    body: { json: { body: adfDocument(input.body) } },
  }),
  response: (answer) => jiraJson(answer, (body: { id: string }) => ({ id: body.id }), "issue"),
});

export const jiraTransitionIssue = defineAction({
  id: "jira.transition_issue",
  version: 1,
  providerId: "jira",
  title: "Move an issue through its workflow",
  description: "Applies one of the issue's workflow transitions (Start progress, Done…).",
  effect: "write",
  scopes: ["write:jira-work"],
  input: z.object({
    issue: issueField,
    transition: z
      .string()
      .trim()
      .regex(/^\d+$/, "Choose a transition (its numeric id).")
      .meta({ title: "Transition", description: "One of the transitions the issue can take now.", examples: ["31"], ...fromLookup("jira.list_transitions", { issue: "issue" }) }),
  }),
  output: z.object({ transitioned: z.literal(true) }),
  request: (input) => ({
    method: "POST",
    path: `/issue/${pathSegment(input.issue)}/transitions`,
    headers: ACCEPT_JSON,
    body: { json: { transition: { id: input.transition } } },
  }),
  response: (answer) => jiraJson(answer, () => ({ transitioned: true as const }), "issue"),
});

/** Options per page: Jira's default, and under the project search's cap of 100. */
const PAGE_SIZE = 50;

/** A lookup cursor is the `startAt` of the next page, as Jira counts. */
function startAtOf(cursor: string | undefined): string {
  if (cursor === undefined || cursor === "") return "0";
  if (!/^\d{1,9}$/.test(cursor)) throw new Error("That cursor did not come from this lookup.");
  return String(Number(cursor));
}

/** The next page's cursor when there is one: `startAt + maxResults` (Jira's own step). */
function nextStartAt(startAt: number, maxResults: number, more: boolean): string | undefined {
  return more ? String(startAt + maxResults) : undefined;
}

type ProjectPage = { startAt: number; maxResults: number; isLast?: boolean; values: Array<{ id: string; key: string; name: string }> };

export const jiraListProjects = defineAction({
  id: "jira.list_projects",
  version: 1,
  providerId: "jira",
  kind: "lookup",
  title: "List projects",
  description: "Projects the connected user can create issues in, by name.",
  effect: "read",
  scopes: ["read:jira-work"],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: "/project/search",
    headers: ACCEPT_JSON,
    query: { action: "create", orderBy: "name", startAt: startAtOf(input.cursor), maxResults: String(PAGE_SIZE) },
  }),
  response: (answer) =>
    jiraJson(answer, (body: ProjectPage) => ({
      options: body.values.map((project) => ({ value: project.id, label: project.name, hint: project.key })),
      nextCursor: nextStartAt(body.startAt, body.maxResults, body.isLast === false),
    })),
});

type IssueType = { id: string; name: string; description?: string; subtask?: boolean };
type IssueTypePage = { startAt: number; maxResults: number; total?: number; issueTypes?: IssueType[]; createMetaIssueType?: IssueType[] };

export const jiraListIssueTypes = defineAction({
  id: "jira.list_issue_types",
  version: 1,
  providerId: "jira",
  kind: "lookup",
  title: "List issue types",
  description: "The issue types a project can create, without sub-task types (they need a parent issue).",
  effect: "read",
  scopes: ["read:jira-work"],
  input: z.object({ cursor: lookupCursor, project: projectField }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: `/issue/createmeta/${pathSegment(input.project)}/issuetypes`,
    headers: ACCEPT_JSON,
    query: { startAt: startAtOf(input.cursor), maxResults: String(PAGE_SIZE) },
  }),
  response: (answer) =>
    jiraJson(
      answer,
      (body: IssueTypePage) => ({
        options: (body.issueTypes ?? body.createMetaIssueType ?? [])
          .filter((type) => type.subtask !== true)
          .map((type) => ({ value: type.id, label: type.name, ...(type.description ? { hint: type.description } : {}) })),
        nextCursor: nextStartAt(body.startAt, body.maxResults, body.startAt + body.maxResults < (body.total ?? 0)),
      }),
      "project",
    ),
});

export const jiraListTransitions = defineAction({
  id: "jira.list_transitions",
  version: 1,
  providerId: "jira",
  kind: "lookup",
  title: "List an issue's transitions",
  description: "The workflow transitions the issue can take from its current status.",
  effect: "read",
  scopes: ["read:jira-work"],
  input: z.object({ cursor: lookupCursor, issue: issueField }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: `/issue/${pathSegment(input.issue)}/transitions`,
    headers: ACCEPT_JSON,
  }),
  response: (answer) =>
    jiraJson(
      answer,
      (body: { transitions: Array<{ id: string; name: string; to?: { name?: string } }> }) => ({
        options: body.transitions.map((transition) => ({
          value: transition.id,
          label: transition.name,
          ...(transition.to?.name ? { hint: `→ ${transition.to.name}` } : {}),
        })),
      }),
      "issue",
    ),
});

export const jiraActions = [jiraCreateIssue, jiraCommentOnIssue, jiraTransitionIssue, jiraListProjects, jiraListIssueTypes, jiraListTransitions];
