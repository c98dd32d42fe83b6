/**
 * GitHub REST API (v3) actions. The catalog's default headers (`Accept:
 * application/vnd.github+json`, `X-GitHub-Api-Version: 2022-11-28`) go on every call.
 *
 * Endpoints (docs.github.com/rest/…):
 * - issues/issues#create-an-issue: POST /repos/{owner}/{repo}/issues → 201; 410 Gone when
 *   the repository has issues disabled; 422 `{ message: "Validation Failed", errors:
 *   [{ resource, field, code }] }` (rest/overview/resources-in-the-rest-api, "Client errors").
 * - issues/comments#create-an-issue-comment: POST /repos/{owner}/{repo}/issues/{n}/comments
 *   → 201; every pull request is an issue, so this comments on pull requests too.
 * - actions/workflows#create-a-workflow-dispatch-event: POST …/actions/workflows/{id or file
 *   name}/dispatches `{ ref, inputs }` → 204 No Content. "You must authenticate using an
 *   access token with the repo scope" (the endpoint's OpenAPI description); the `workflow`
 *   scope is for changing workflow files, not for running them. Since 2026-02-19
 *   `return_run_details: true` makes it answer 200 with `workflow_run_id`, `run_url` and
 *   `html_url` (github.blog/changelog/2026-02-19-workflow-dispatch-api-now-returns-run-ids);
 *   whether API version 2022-11-28 takes it is not stated (?), so a 204 is read as well.
 * - repos/contents#create-or-update-file-contents: PUT …/contents/{path} `{ message, content
 *   (base64), branch?, sha? }` → 201 created / 200 updated; 409 when `sha` is stale ("is at
 *   X but expected Y"), 422 when it is missing for an existing file. "OAuth app tokens …
 *   need the repo scope … The workflow scope is also required in order to modify files in
 *   the .github/workflows directory."
 * - repos/repos#list-repositories-for-the-authenticated-user (GET /user/repos) and
 *   actions/workflows#list-repository-workflows: `per_page` ≤ 100, `page`, and the `Link:
 *   <…>; rel="next"` header (rest/using-the-rest-api/using-pagination-in-the-rest-api).
 *
 * Rate limits (rest/using-the-rest-api/rate-limits-for-the-rest-api): past the primary
 * limit GitHub answers 403 or 429 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`
 * (UTC epoch seconds); secondary limits answer 403 or 429 with `retry-after`. A private
 * resource the token cannot see answers 404, not 403.
 */
import { z } from "zod";
import { defineAction, pathSegment, type ActionAnswer, type ActionMapping } from "../define";
import { failureOfStatus, providerValidationFailure, retryAfterMs, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";

const GITHUB = "GitHub";
/** Any one of these lets a token write to a repository (`repo` also covers private ones). */
const WRITE_SCOPES = [["repo", "public_repo"]] as const;
/** Longest wait passed on from `x-ratelimit-reset` (a primary window is one hour). */
const MAX_RESET_WAIT_MS = 60 * 60 * 1000;

/** What a 404, 409 or 410 means for the action that got it: which input field to blame. */
export type GitHubContext = { notFound: { field: string; message: string }; conflictField?: string };

const REPOSITORY_NOT_FOUND: GitHubContext["notFound"] = {
  field: "repository",
  message: "there is no such repository, or this connection cannot see it",
};

/** GitHub's own field names, as the inputs call them. */
const INPUT_FIELDS: Record<string, string> = {
  title: "title",
  body: "body",
  labels: "labels",
  assignees: "assignees",
  sha: "sha",
  content: "content",
  message: "message",
  branch: "branch",
  ref: "ref",
  inputs: "inputs",
  path: "path",
};

type GitHubError = { message?: unknown; errors?: unknown };

/** Text ending in one full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function messageOf(answer: ActionAnswer): string | undefined {
  const message = (answer.json as GitHubError | undefined)?.message;
  return typeof message === "string" && message.trim() !== "" ? message.trim() : undefined;
}

/** 403/429 past a rate limit: the primary one (`x-ratelimit-remaining: 0`) or a secondary one (`retry-after`). */
function rateLimited(answer: ActionAnswer, now: number): ActionFailure | null {
  if (answer.status !== 403 && answer.status !== 429) return null;
  const after = retryAfterMs(answer.headers, now);
  const primary = answer.headers["x-ratelimit-remaining"] === "0";
  if (!primary && after === undefined) return null;
  const reset = Number(answer.headers["x-ratelimit-reset"]);
  const untilReset = primary && Number.isFinite(reset) && reset > 0 ? Math.min(Math.max(0, reset * 1000 - now), MAX_RESET_WAIT_MS) : undefined;
  const wait = after ?? untilReset;
  return {
    code: "rate_limited",
    message: `GitHub is rate limiting these requests${primary ? " (the hourly limit is used up)" : ""}.`,
    retryable: true,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    status: answer.status,
  };
}

/** One GitHub validation error as text: `{ field, code }` objects, or plain strings. */
function describeError(error: unknown): { field?: string; text: string } {
  if (typeof error === "string") return { text: error };
  const item = (error ?? {}) as { field?: unknown; code?: unknown; message?: unknown; value?: unknown };
  const field = typeof item.field === "string" ? item.field : undefined;
  if (typeof item.message === "string") return { field, text: item.message };
  const code = typeof item.code === "string" ? item.code : "invalid";
  const value = item.value === undefined ? "" : ` (${JSON.stringify(item.value)})`;
  const texts: Record<string, string> = {
    missing_field: "is required",
    missing: "does not exist",
    already_exists: "already exists",
    invalid: "is not valid",
    unprocessable: "cannot be processed",
  };
  return { field, text: `${field ?? "a field"} ${texts[code] ?? code}${value}` };
}

/** Which input a message without `errors` is about (`"sha" wasn't supplied`, `No ref found for: x`). */
function fieldOfMessage(message: string): string | undefined {
  const quoted = /"([a-z_]+)"/.exec(message)?.[1];
  if (quoted && INPUT_FIELDS[quoted]) return INPUT_FIELDS[quoted];
  if (/\bref\b/i.test(message)) return "ref";
  if (/\binputs?\b/i.test(message)) return "inputs";
  if (/workflow_dispatch/.test(message)) return "workflow";
  if (/\bbranch\b/i.test(message)) return "branch";
  return undefined;
}

/** A 422: GitHub's `errors` become per-field messages under the input's names. */
function validationFailed(answer: ActionAnswer): ActionFailure {
  const message = messageOf(answer) ?? "Validation Failed";
  const errors = (answer.json as GitHubError | undefined)?.errors;
  const fields: Record<string, string> = {};
  const texts: string[] = [];
  for (const error of Array.isArray(errors) ? errors : []) {
    const { field, text } = describeError(error);
    texts.push(text);
    const name = field ? (INPUT_FIELDS[field] ?? field) : undefined;
    if (name) fields[name] ??= text;
  }
  if (texts.length === 0) {
    const field = fieldOfMessage(message);
    if (field) fields[field] = message;
  }
  const said = texts.length > 0 ? `${message}: ${texts.join("; ")}` : message;
  return providerValidationFailure(GITHUB, sentence(said), fields, { status: 422, providerCode: "validation_failed" });
}

/** A GitHub answer's failure, or null when it succeeded. `context` says what a 404/409/410 means here. */
export function githubFailure(answer: ActionAnswer, context: GitHubContext, now: number = Date.now()): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const limited = rateLimited(answer, now);
  if (limited) return limited;
  const message = messageOf(answer);
  if (status === 422) return validationFailed(answer);
  if (status === 404) {
    const { field, message: said } = context.notFound;
    return providerValidationFailure(GITHUB, sentence(said), { [field]: said }, { status, providerCode: "not_found" });
  }
  if (status === 410) {
    const said = message ?? "this resource is gone";
    return providerValidationFailure(GITHUB, sentence(said), { repository: said }, { status, providerCode: "gone" });
  }
  if (status === 409 && context.conflictField) {
    const said = message ? `the file changed since that sha (${message})` : "the file changed since that sha";
    return providerValidationFailure(GITHUB, `${said}; read the file again for its current sha.`, { [context.conflictField]: said }, { status, providerCode: "conflict" });
  }
  if (status === 403) {
    return {
      code: "provider_error",
      message: `GitHub refused the request (HTTP 403)${message ? `: ${message}` : ""}.`,
      retryable: false,
      providerCode: "forbidden",
      status,
    };
  }
  return failureOfStatus(answer, GITHUB, message);
}

function githubJson<T>(answer: ActionAnswer, context: GitHubContext, read: (body: never) => T): ActionMapping<T> {
  const failure = githubFailure(answer, context);
  return failure ? { ok: false, error: failure } : { ok: true, output: read(answer.json as never) };
}

/** `owner/name` as GitHub spells them: an owner of letters, digits and single hyphens; a name of letters, digits, `.`, `_`, `-`. */
const REPOSITORY = /^(?<owner>[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})\/(?<name>[A-Za-z0-9._-]{1,100})$/;

const repositoryField = z
  .string()
  .trim()
  .regex(REPOSITORY, "A repository is owner/name, like octo-org/app.")
  .refine((value) => !/\/\.{1,2}$/.test(value), "A repository is owner/name, like octo-org/app.")
  .meta({ title: "Repository", description: "owner/name.", examples: ["octo-org/app"], ...fromLookup("github.list_repositories") });

/** `/repos/{owner}/{repo}`, each part escaped. */
function repoPath(repository: string): string {
  const [owner, name] = repository.split("/") as [string, string];
  return `/repos/${pathSegment(owner)}/${pathSegment(name)}`;
}

/** GitHub's login rules: letters, digits and single hyphens, up to 39 characters. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** GitHub refuses longer issue and comment bodies ("body is too long (maximum is 65536 characters)"). */
const MAX_BODY = 65_536;

const issueOutput = z.object({
  number: z.number().int().describe("The issue number in its repository (#42)."),
  id: z.number().int().describe("GitHub's global id of the issue."),
  url: z.string().describe("The issue on github.com."),
  apiUrl: z.string().optional().describe("The issue in the REST API."),
  state: z.string().describe("open or closed."),
});

type Issue = { number: number; id: number; html_url: string; url?: string; state: string };

export const githubCreateIssue = defineAction({
  id: "github.create_issue",
  version: 1,
  providerId: "github",
  title: "Create an issue",
  description: "Opens an issue in a repository, optionally with labels and assignees.",
  effect: "write",
  scopes: WRITE_SCOPES,
  input: z.object({
    repository: repositoryField,
    title: z
      .string()
      .trim()
      .min(1, "Write a title.")
      .max(256, "GitHub takes titles of at most 256 characters.")
      .meta({ title: "Title", examples: ["Checkout fails on Safari"] }),
    body: z
      .string()
      .max(MAX_BODY, "GitHub takes at most 65,536 characters.")
      .optional()
      .meta({ title: "Description", description: "GitHub Flavored Markdown." }),
    labels: z
      .array(z.string().trim().min(1, "A label has a name.").max(50, "GitHub label names have at most 50 characters."))
      .max(100, "At most 100 labels.")
      .optional()
      .meta({ title: "Labels", description: "Label names; GitHub creates the ones that do not exist yet.", examples: [["bug"]] }),
    assignees: z
      .array(z.string().trim().regex(LOGIN, "A GitHub username, like octocat."))
      .max(10, "GitHub assigns at most 10 people to an issue.")
      .optional()
      .meta({ title: "Assignees", description: "Usernames of people who can be assigned in this repository." }),
  }),
  output: issueOutput,
  request: (input) => ({
    method: "POST",
    path: `${repoPath(input.repository)}/issues`,
    body: {
      json: {
        title: input.title,
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.labels ? { labels: input.labels } : {}),
        ...(input.assignees ? { assignees: input.assignees } : {}),
      },
    },
  }),
  response: (answer) =>
    githubJson(answer, { notFound: REPOSITORY_NOT_FOUND }, (issue: Issue) => ({
      number: issue.number,
      id: issue.id,
      url: issue.html_url,
      ...(issue.url ? { apiUrl: issue.url } : {}),
      state: issue.state,
    })),
});

export const githubCommentOnIssue = defineAction({
  id: "github.comment_on_issue",
  version: 1,
  providerId: "github",
  title: "Comment on an issue or pull request",
  description: "Adds a comment to an issue or a pull request (every pull request is an issue to GitHub).",
  effect: "write",
  scopes: WRITE_SCOPES,
  input: z.object({
    repository: repositoryField,
    issueNumber: z
      .number()
      .int("An issue number is a whole number.")
      .min(1, "An issue number starts at 1.")
      .meta({ title: "Issue or pull request number", examples: [42] }),
    body: z
      .string()
      .min(1, "Write the comment.")
      .max(MAX_BODY, "GitHub takes at most 65,536 characters.")
      .meta({ title: "Comment", description: "GitHub Flavored Markdown." }),
  }),
  output: z.object({ id: z.number().int(), url: z.string().describe("The comment on github.com.") }),
  request: (input) => ({
    method: "POST",
    path: `${repoPath(input.repository)}/issues/${pathSegment(input.issueNumber)}/comments`,
    body: { json: { body: input.body } },
  }),
  response: (answer) =>
    githubJson(
      answer,
      { notFound: { field: "issueNumber", message: "there is no such issue or pull request in this repository, or this connection cannot see it" } },
      (comment: { id: number; html_url: string }) => ({ id: comment.id, url: comment.html_url }),
    ),
});

/** GitHub takes at most 25 inputs in one dispatch (?). */
const MAX_INPUTS = 25;

export const githubDispatchWorkflow = defineAction({
  id: "github.dispatch_workflow",
  version: 1,
  providerId: "github",
  title: "Run a workflow",
  description: "Starts a GitHub Actions workflow that has a workflow_dispatch trigger, on a branch or tag.",
  effect: "write",
  // The endpoint asks for `repo`; `public_repo` is not documented as enough.
  scopes: ["repo"],
  input: z.object({
    repository: repositoryField,
    workflow: z
      .union([z.number().int().min(1), z.string().trim().regex(/^(\d+|[A-Za-z0-9._-]+\.ya?ml)$/, "A workflow id or its file name, like deploy.yml.")])
      .meta({
        title: "Workflow",
        description: "Its id, or its file name under .github/workflows.",
        examples: ["deploy.yml"],
        ...fromLookup("github.list_workflows", { repository: "repository" }),
      }),
    ref: z
      .string()
      .trim()
      .min(1, "Name a branch or tag.")
      .max(255, "A ref has at most 255 characters.")
      .meta({ title: "Branch or tag", examples: ["main"] }),
    inputs: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, "An input name is letters, digits, _ and -."), z.union([z.string(), z.number(), z.boolean()]))
      .refine((inputs) => Object.keys(inputs).length <= MAX_INPUTS, `GitHub takes at most ${MAX_INPUTS} inputs.`)
      .optional()
      .meta({ title: "Inputs", description: "The workflow's workflow_dispatch inputs, by name.", examples: [{ environment: "staging" }] }),
  }),
  output: z.object({
    dispatched: z.literal(true),
    runId: z.number().int().optional().describe("The workflow run it started, when GitHub said."),
    runUrl: z.string().optional().describe("That run on github.com."),
  }),
  request: (input) => ({
    method: "POST",
    path: `${repoPath(input.repository)}/actions/workflows/${pathSegment(input.workflow)}/dispatches`,
    body: { json: { ref: input.ref, ...(input.inputs ? { inputs: input.inputs } : {}), return_run_details: true } },
  }),
  response: (answer) =>
    githubJson(
      answer,
      { notFound: { field: "workflow", message: "there is no such workflow in this repository, or this connection cannot see the repository" } },
      (run: { workflow_run_id?: unknown; html_url?: unknown } | undefined) => ({
        dispatched: true as const,
        ...(typeof run?.workflow_run_id === "number" ? { runId: run.workflow_run_id } : {}),
        ...(typeof run?.html_url === "string" ? { runUrl: run.html_url } : {}),
      }),
    ),
});

const WORKFLOWS_DIR = ".github/workflows/";

/** A repository file path: segments without `.`/`..`, no leading, trailing or double slash. */
const filePathField = z
  .string()
  .trim()
  .min(1, "Name the file, like docs/CHANGELOG.md.")
  .max(1024, "A path has at most 1,024 characters.")
  .refine((path) => path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== ".."), {
    message: 'A path is names separated by "/", without "." or ".." and without a leading or trailing "/".',
  })
  .meta({ title: "File path", description: "Relative to the repository root.", examples: ["docs/CHANGELOG.md"] });

/** UTF-8 bytes as base64, the way GitHub wants `content` (works where Buffer does not exist). */
export function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Most UTF-8 bytes one file write sends (base64 makes it a third larger on the wire). */
export const MAX_FILE_BYTES = 512 * 1024;

export const githubPutFile = defineAction({
  id: "github.put_file",
  version: 1,
  providerId: "github",
  title: "Create or update a file",
  description: "Commits a text file to a branch: a new file, or a new version of one whose current sha you give.",
  effect: "write",
  scopes: WRITE_SCOPES,
  input: z.object({
    repository: repositoryField,
    path: filePathField,
    message: z.string().trim().min(1, "Write a commit message.").max(10_000).meta({ title: "Commit message", examples: ["Update changelog"] }),
    content: z
      .string()
      .refine((text) => new TextEncoder().encode(text).length <= MAX_FILE_BYTES, "At most 512 KiB of text.")
      .meta({ title: "Content", description: "The whole new file, as UTF-8 text." }),
    branch: z.string().trim().min(1).max(255).optional().meta({ title: "Branch", description: "The repository's default branch when left out.", examples: ["main"] }),
    sha: z
      .string()
      .trim()
      .regex(/^[0-9a-f]{40}$/, "The blob sha of the file being replaced: 40 hex digits.")
      .optional()
      .meta({ title: "Current sha", description: "Required to update an existing file: the sha it has now." }),
  }),
  output: z.object({
    path: z.string(),
    sha: z.string().describe("The file's new blob sha (give it to the next update)."),
    commitSha: z.string(),
    url: z.string().describe("The file on github.com."),
    created: z.boolean().describe("True for a new file, false for a new version."),
  }),
  request: (input, context) => {
    if (input.path.startsWith(WORKFLOWS_DIR) && !context.scopes.includes("workflow")) {
      throw new Error(`Changing files under ${WORKFLOWS_DIR} needs the workflow scope: reconnect GitHub and grant it.`);
    }
    return {
      method: "PUT",
      path: `${repoPath(input.repository)}/contents/${input.path.split("/").map(pathSegment).join("/")}`,
      body: {
        json: {
          message: input.message,
          content: utf8Base64(input.content),
          ...(input.branch ? { branch: input.branch } : {}),
          ...(input.sha ? { sha: input.sha } : {}),
        },
      },
      // A second PUT after an answer that got lost would be refused for its then-stale sha.
      maxAttempts: 1,
    };
  },
  response: (answer) =>
    githubJson(
      answer,
      { notFound: { ...REPOSITORY_NOT_FOUND, message: "there is no such repository or branch, or this connection cannot see it" }, conflictField: "sha" },
      (written: { content: { path: string; sha: string; html_url: string }; commit: { sha: string } }) => ({
        path: written.content.path,
        sha: written.content.sha,
        commitSha: written.commit.sha,
        url: written.content.html_url,
        created: answer.status === 201,
      }),
    ),
});

/**
 * The page number of the `Link` header's `rel="next"` URL, or undefined on the last page.
 * @example nextPageOf('<https://api.github.com/user/repos?page=2>; rel="next"') // "2"
 */
export function nextPageOf(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const match = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    const rel = match ? /\brel=(?:"([^"]*)"|([^\s;"]+))/.exec(match[2]!) : null;
    if (!rel || !(rel[1] ?? rel[2]!).split(/\s+/).includes("next")) continue;
    const page = URL.canParse(match![1]!) ? new URL(match![1]!).searchParams.get("page") : null;
    return page && /^\d+$/.test(page) ? page : undefined;
  }
  return undefined;
}

const PER_PAGE = 100;

/** The `page` query for a lookup cursor (a page number, as `nextPageOf` gives). */
function pageQuery(cursor: string | undefined): Record<string, string> {
  if (cursor === undefined) return {};
  if (!/^[1-9]\d{0,5}$/.test(cursor)) throw new Error("This cursor does not come from a GitHub lookup.");
  return { page: cursor };
}

type Repository = { full_name: string; private: boolean; description: string | null };

export const githubListRepositories = defineAction({
  id: "github.list_repositories",
  version: 1,
  providerId: "github",
  kind: "lookup",
  title: "List repositories",
  description: "Repositories the connected account owns, collaborates on, or sees through its organizations (private ones with the repo scope).",
  effect: "read",
  // Any token lists what it can see; `repo` adds private repositories.
  scopes: [],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: "/user/repos",
    query: { per_page: String(PER_PAGE), sort: "full_name", ...pageQuery(input.cursor) },
  }),
  response: (answer) =>
    githubJson(answer, { notFound: REPOSITORY_NOT_FOUND }, (repos: Repository[]) => ({
      options: repos.map((repo) => ({
        value: repo.full_name,
        label: repo.full_name,
        ...(repo.private ? { hint: repo.description ? `Private · ${repo.description}` : "Private" } : repo.description ? { hint: repo.description } : {}),
      })),
      nextCursor: nextPageOf(answer.headers.link),
    })),
});

type Workflow = { id: number; name: string; path: string; state: string };

export const githubListWorkflows = defineAction({
  id: "github.list_workflows",
  version: 1,
  providerId: "github",
  kind: "lookup",
  title: "List workflows",
  description: "The GitHub Actions workflows of a repository.",
  effect: "read",
  scopes: [],
  input: z.object({ cursor: lookupCursor, repository: repositoryField }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: `${repoPath(input.repository)}/actions/workflows`,
    query: { per_page: String(PER_PAGE), ...pageQuery(input.cursor) },
  }),
  response: (answer, input) =>
    githubJson(answer, { notFound: REPOSITORY_NOT_FOUND }, (body: { total_count: number; workflows: Workflow[] }) => {
      const page = Number(input.cursor ?? "1");
      const fromLink = nextPageOf(answer.headers.link);
      const more = body.total_count > page * PER_PAGE;
      return {
        options: body.workflows.map((workflow) => ({
          value: String(workflow.id),
          label: workflow.name,
          hint: workflow.state === "active" ? workflow.path : `${workflow.path} (${workflow.state.replace(/_/g, " ")})`,
        })),
        nextCursor: fromLink ?? (more ? String(page + 1) : undefined),
      };
    }),
});

export const githubActions = [
  githubCreateIssue,
  githubCommentOnIssue,
  githubDispatchWorkflow,
  githubPutFile,
  githubListRepositories,
  githubListWorkflows,
];
