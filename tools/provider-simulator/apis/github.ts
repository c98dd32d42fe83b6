/**
 * GitHub's REST API as the actions use it, for the repositories of the `octo-org` world:
 * issues and comments, workflow dispatches, file contents with blob shas, the two
 * lists, and repository and organization webhooks (kept with their secrets in `hooks`). Owners outside this world (the `acme/app` the pipeline's own tests call) are
 * left to the echo.
 *
 * As GitHub does (docs.github.com/rest): 404 `{ message: "Not Found" }` for a repository,
 * issue or workflow the token cannot see (a private repository without the `repo` scope
 * too); 410 for issues in a repository that has them disabled; 422 `Validation Failed`
 * with `errors: [{ resource, field, code }]`; 409 for a stale file sha; `per_page` (≤ 100,
 * default 30) and `page` with a `Link` header; `x-ratelimit-*` headers on every answer,
 * and 403 with `x-ratelimit-remaining: 0` once the world's budget is spent (set it with
 * `patchWorld("github", { rateLimit: { remaining: 0 } })`).
 */
import { createHash, randomBytes } from "node:crypto";
import { empty, json, type SimResponse } from "../http-utils";
import { spendRateLimit, worldOf, type ApiCall } from "./index";

const OWNER = "octo-org";
const DOCS = "https://docs.github.com/rest";
/** People who can be assigned in the world's repositories. */
const ASSIGNABLE = ["sim-octocat", "hubot"];
/** Branches and tags every repository has. */
const REFS = ["main", "v1.0"];

type Issue = { number: number; id: number; title: string; body: string | null; labels: string[]; assignees: string[]; state: "open"; pull_request?: true };
type Comment = { id: number; issue: number; body: string };
type Workflow = { id: number; name: string; path: string; state: "active" | "disabled_manually"; dispatch: boolean; inputs: Record<string, { required: boolean }> };
type FileEntry = { sha: string; content: string };
type Repo = {
  id: number;
  name: string;
  private: boolean;
  description: string | null;
  has_issues: boolean;
  issues: Issue[];
  comments: Comment[];
  workflows: Workflow[];
  dispatches: Array<{ workflow: number; ref: string; inputs: Record<string, unknown>; runId: number }>;
  /** By branch, then path. */
  files: Record<string, Record<string, FileEntry>>;
};

/** Git's blob id: sha1 of `blob <size>\0<bytes>`. */
export function blobSha(bytes: Buffer): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function repo(id: number, name: string, extra: Partial<Repo> = {}): Repo {
  return {
    id,
    name,
    private: false,
    description: null,
    has_issues: true,
    issues: [],
    comments: [],
    workflows: [],
    dispatches: [],
    files: { main: {} },
    ...extra,
  };
}

/** app (issues, workflows, a README), docs (issues disabled), secret (private), and 130 more for pagination. */
function repos(): Repo[] {
  const readme = Buffer.from("# app\n");
  const list = [
    repo(5001, "app", {
      description: "The app",
      issues: [
        { number: 1, id: 900001, title: "Existing bug", body: null, labels: ["bug"], assignees: [], state: "open" },
        { number: 2, id: 900002, title: "Add dark mode", body: "PR", labels: [], assignees: [], state: "open", pull_request: true },
      ],
      workflows: [
        { id: 161335, name: "CI", path: ".github/workflows/ci.yml", state: "active", dispatch: false, inputs: {} },
        { id: 161336, name: "Deploy", path: ".github/workflows/deploy.yml", state: "active", dispatch: true, inputs: { environment: { required: true }, dry_run: { required: false } } },
        { id: 161337, name: "Nightly", path: ".github/workflows/nightly.yml", state: "disabled_manually", dispatch: true, inputs: {} },
      ],
      files: { main: { "README.md": { sha: blobSha(readme), content: readme.toString("base64") } }, dev: {} },
    }),
    repo(5002, "docs", { description: "Documentation", has_issues: false }),
    repo(5003, "secret", { private: true, description: "Keys" }),
  ];
  for (let i = 1; i <= 130; i += 1) list.push(repo(6000 + i, `repo-${String(i).padStart(3, "0")}`));
  return list.sort((a, b) => a.name.localeCompare(b.name));
}

const notFound = () => json(404, { message: "Not Found", documentation_url: DOCS });
const invalid = (errors: Array<Record<string, unknown>>) => json(422, { message: "Validation Failed", errors, documentation_url: DOCS });
const unprocessable = (message: string) => json(422, { message, documentation_url: DOCS });

/** The repository the path names, when this token may see it. */
function visibleRepo(call: ApiCall, owner: string, name: string): Repo | null {
  if (owner.toLowerCase() !== OWNER) return null;
  const found = worldOf(call.world, "repos", repos).find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (!found || (found.private && !call.scopes.includes("repo"))) return null;
  return found;
}

/** Write access: `repo`, or `public_repo` for a public repository. */
function canWrite(call: ApiCall, target: Repo): boolean {
  return call.scopes.includes("repo") || (!target.private && call.scopes.includes("public_repo"));
}

function counter(call: ApiCall, key: string, start: number): number {
  const next = worldOf(call.world, key, () => ({ n: start }));
  next.n += 1;
  return next.n;
}

function bodyOf(call: ApiCall): Record<string, unknown> | null {
  const parsed = call.req.json;
  return call.req.bodyFormat === "json" && typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

const problemsParsing = () => json(400, { message: "Problems parsing JSON", documentation_url: DOCS });

function issueJson(call: ApiCall, target: Repo, issue: Issue) {
  return {
    id: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((name, i) => ({ id: 100 + i, name })),
    assignees: issue.assignees.map((login) => ({ login })),
    url: `https://api.github.com/repos/${OWNER}/${target.name}/issues/${issue.number}`,
    html_url: `https://github.com/${OWNER}/${target.name}/issues/${issue.number}`,
    user: { login: "sim-octocat", id: call.account.id },
    ...(issue.pull_request ? { pull_request: { url: `https://api.github.com/repos/${OWNER}/${target.name}/pulls/${issue.number}` } } : {}),
  };
}

function createIssue(call: ApiCall, target: Repo): SimResponse {
  if (!target.has_issues) return json(410, { message: "Issues are disabled for this repo", documentation_url: DOCS });
  const body = bodyOf(call);
  if (!body) return problemsParsing();
  const errors: Array<Record<string, unknown>> = [];
  const title = body.title;
  if (title === undefined || title === null || (typeof title === "string" && title.trim() === "")) errors.push({ resource: "Issue", code: "missing_field", field: "title" });
  else if (typeof title !== "string" && typeof title !== "number") errors.push({ resource: "Issue", code: "invalid", field: "title" });
  else if (String(title).length > 256) errors.push({ resource: "Issue", code: "custom", field: "title", message: "title is too long (maximum is 256 characters)" });
  if (body.body !== undefined && body.body !== null && typeof body.body !== "string") errors.push({ resource: "Issue", code: "invalid", field: "body" });
  if (typeof body.body === "string" && body.body.length > 65_536) errors.push({ resource: "Issue", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" });
  const labels = body.labels ?? [];
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== "string")) errors.push({ resource: "Issue", code: "invalid", field: "labels" });
  const assignees = body.assignees ?? [];
  if (!Array.isArray(assignees)) errors.push({ resource: "Issue", code: "invalid", field: "assignees" });
  else for (const login of assignees) if (!ASSIGNABLE.includes(String(login))) errors.push({ resource: "Issue", code: "invalid", field: "assignees", value: login });
  if (errors.length > 0) return invalid(errors);
  const number = Math.max(0, ...target.issues.map((i) => i.number)) + 1;
  const issue: Issue = {
    number,
    id: counter(call, "issueIds", 910000),
    title: String(title),
    body: typeof body.body === "string" ? body.body : null,
    labels: labels as string[],
    assignees: assignees as string[],
    state: "open",
  };
  target.issues.push(issue);
  return json(201, issueJson(call, target, issue));
}

function createComment(call: ApiCall, target: Repo, number: string): SimResponse {
  if (!target.has_issues) return json(410, { message: "Issues are disabled for this repo", documentation_url: DOCS });
  const issue = target.issues.find((i) => String(i.number) === number);
  if (!issue) return notFound();
  const body = bodyOf(call);
  if (!body) return problemsParsing();
  if (typeof body.body !== "string" || body.body === "") return invalid([{ resource: "IssueComment", code: "missing_field", field: "body" }]);
  const id = counter(call, "commentIds", 1_700_000);
  target.comments.push({ id, issue: issue.number, body: body.body });
  return json(201, {
    id,
    body: body.body,
    url: `https://api.github.com/repos/${OWNER}/${target.name}/issues/comments/${id}`,
    html_url: `https://github.com/${OWNER}/${target.name}/${issue.pull_request ? "pull" : "issues"}/${issue.number}#issuecomment-${id}`,
    issue_url: `https://api.github.com/repos/${OWNER}/${target.name}/issues/${issue.number}`,
  });
}

function dispatch(call: ApiCall, target: Repo, workflowId: string): SimResponse {
  const workflow = target.workflows.find((w) => String(w.id) === workflowId || w.path === `.github/workflows/${workflowId}`);
  if (!workflow) return notFound();
  const body = bodyOf(call);
  if (!body) return problemsParsing();
  if (!workflow.dispatch) return unprocessable("Workflow does not have 'workflow_dispatch' trigger");
  if (workflow.state !== "active") return unprocessable("Cannot trigger a 'workflow_dispatch' on a disabled workflow");
  if (typeof body.ref !== "string" || body.ref === "") return invalid([{ resource: "WorkflowDispatch", code: "missing_field", field: "ref" }]);
  const ref = body.ref.replace(/^refs\/(heads|tags)\//, "");
  if (!REFS.includes(ref) && !(ref in target.files)) return unprocessable(`No ref found for: ${body.ref}`);
  const inputs = (body.inputs ?? {}) as Record<string, unknown>;
  if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) return invalid([{ resource: "WorkflowDispatch", code: "invalid", field: "inputs" }]);
  const unexpected = Object.keys(inputs).filter((name) => !(name in workflow.inputs));
  if (unexpected.length > 0) return unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
  const missing = Object.entries(workflow.inputs).find(([name, spec]) => spec.required && inputs[name] === undefined);
  if (missing) return unprocessable(`Required input '${missing[0]}' not provided`);
  const runId = counter(call, "runIds", 30_000_000);
  target.dispatches.push({ workflow: workflow.id, ref, inputs, runId });
  if (body.return_run_details !== true) return empty(204);
  return json(200, {
    workflow_run_id: runId,
    run_url: `https://api.github.com/repos/${OWNER}/${target.name}/actions/runs/${runId}`,
    html_url: `https://github.com/${OWNER}/${target.name}/actions/runs/${runId}`,
  });
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function putFile(call: ApiCall, target: Repo, encodedPath: string): SimResponse {
  let path: string;
  try {
    path = encodedPath.split("/").map(decodeURIComponent).join("/");
  } catch {
    return notFound();
  }
  if (path.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) return notFound();
  const body = bodyOf(call);
  if (!body) return problemsParsing();
  if (typeof body.message !== "string" || body.message === "") return unprocessable('Invalid request.\n\n"message" wasn\'t supplied.');
  if (typeof body.content !== "string") return unprocessable('Invalid request.\n\n"content" wasn\'t supplied.');
  if (!BASE64.test(body.content)) return unprocessable("content is not valid Base64");
  const branch = typeof body.branch === "string" ? body.branch : "main";
  const files = target.files[branch];
  if (!files) return notFound();
  const existing = files[path];
  if (existing && body.sha === undefined) return unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.');
  if (existing && body.sha !== existing.sha) return json(409, { message: `is at ${existing.sha} but expected ${String(body.sha)}`, documentation_url: DOCS });
  const bytes = Buffer.from(body.content, "base64");
  const sha = blobSha(bytes);
  files[path] = { sha, content: body.content };
  const commitSha = randomBytes(20).toString("hex");
  const escaped = path.split("/").map(encodeURIComponent).join("/");
  return json(existing ? 200 : 201, {
    content: {
      name: path.split("/").at(-1),
      path,
      sha,
      size: bytes.length,
      type: "file",
      url: `https://api.github.com/repos/${OWNER}/${target.name}/contents/${escaped}?ref=${branch}`,
      html_url: `https://github.com/${OWNER}/${target.name}/blob/${branch}/${escaped}`,
    },
    commit: { sha: commitSha, message: body.message, html_url: `https://github.com/${OWNER}/${target.name}/commit/${commitSha}` },
  });
}

/** GitHub's `per_page` (1–100, default 30; out of range is clamped) and `page` (from 1; 0 or junk is 1). */
function paging(call: ApiCall): { perPage: number; page: number } {
  const perPage = Number(call.req.query.get("per_page") ?? "30");
  const page = Number(call.req.query.get("page") ?? "1");
  return {
    perPage: Number.isInteger(perPage) && perPage >= 1 ? Math.min(perPage, 100) : 30,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** A page of `items` and its `Link` header (next/last, prev/first), as GitHub builds it. */
function paged<T>(call: ApiCall, items: T[], apiPath: string): { page: T[]; headers: Record<string, string> } {
  const { perPage, page } = paging(call);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(call.req.query);
    query.set("page", String(n));
    return `<https://api.github.com${apiPath}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, "prev"), link(1, "first")] : []),
    ...(page < last ? [link(page + 1, "next"), link(last, "last")] : []),
  ];
  return { page: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

function listRepos(call: ApiCall): SimResponse {
  const visible = worldOf(call.world, "repos", repos).filter((r) => !r.private || call.scopes.includes("repo"));
  const { page, headers } = paged(call, visible, "/user/repos");
  return json(
    200,
    page.map((r) => ({
      id: r.id,
      name: r.name,
      full_name: `${OWNER}/${r.name}`,
      private: r.private,
      owner: { login: OWNER, type: "Organization" },
      description: r.description,
      has_issues: r.has_issues,
      html_url: `https://github.com/${OWNER}/${r.name}`,
    })),
    headers,
  );
}

function listWorkflows(call: ApiCall, target: Repo, apiPath: string): SimResponse {
  const { page, headers } = paged(call, target.workflows, apiPath);
  return json(
    200,
    {
      total_count: target.workflows.length,
      workflows: page.map((w) => ({ id: w.id, node_id: `W_${w.id}`, name: w.name, path: w.path, state: w.state })),
    },
    headers,
  );
}

/**
 * A repository or organization webhook [docs.github.com/rest/repos/webhooks,
 * docs.github.com/rest/orgs/webhooks], kept in the world's `hooks` with its secret, so
 * tests assert what was registered (`world("github").hooks`).
 */
export type GitHubHook = {
  id: number;
  /** `repo:octo-org/app` or `org:octo-org`. */
  target: string;
  name: "web";
  active: boolean;
  events: string[];
  config: { url: string; content_type: string; insecure_ssl: string; secret?: string };
  created_at: string;
};

/** GitHub's webhook event names the simulator knows; `*` is every event. */
const HOOK_EVENTS = new Set(["*", "issues", "issue_comment", "pull_request", "pull_request_review", "push", "release", "repository", "create", "delete", "fork", "star", "watch", "workflow_run", "member", "organization"]);
/** "You can create up to 20 webhooks for each event on each installation target" [docs.github.com/webhooks/using-webhooks/creating-webhooks]. */
const HOOKS_PER_EVENT = 20;

function hookJson(hook: GitHubHook) {
  const [kind, name] = hook.target.split(":") as [string, string];
  const base = kind === "repo" ? `https://api.github.com/repos/${name}/hooks/${hook.id}` : `https://api.github.com/orgs/${name}/hooks/${hook.id}`;
  return {
    type: kind === "repo" ? "Repository" : "Organization",
    id: hook.id,
    name: hook.name,
    active: hook.active,
    events: hook.events,
    // GitHub never shows the secret back; it answers asterisks.
    config: { url: hook.config.url, content_type: hook.config.content_type, insecure_ssl: hook.config.insecure_ssl, ...(hook.config.secret ? { secret: "********" } : {}) },
    updated_at: hook.created_at,
    created_at: hook.created_at,
    url: base,
    ping_url: `${base}/pings`,
    deliveries_url: `${base}/deliveries`,
    ...(kind === "repo" ? { test_url: `${base}/test` } : {}),
    last_response: { code: null, status: "unused", message: null },
  };
}

/** POST …/hooks: GitHub's 422 `Validation Failed` for a missing URL, an unknown event or content type, a duplicate, a full event. */
function createHook(call: ApiCall, target: string): SimResponse {
  const body = bodyOf(call);
  if (!body) return problemsParsing();
  const config = (body.config ?? null) as Record<string, unknown> | null;
  if (body.name !== undefined && body.name !== "web") return invalid([{ resource: "Hook", code: "custom", field: "name", message: "Name must be \"web\"" }]);
  if (typeof config !== "object" || config === null || typeof config.url !== "string" || config.url === "") {
    return invalid([{ resource: "Hook", code: "custom", message: "Config must contain URL" }]);
  }
  if (!URL.canParse(config.url) || !/^https?:$/.test(new URL(config.url).protocol)) return invalid([{ resource: "Hook", code: "custom", message: "Config url is not a valid URL (?)" }]);
  const contentType = config.content_type ?? "form";
  if (contentType !== "json" && contentType !== "form") return invalid([{ resource: "Hook", code: "custom", message: "Config content_type must be json or form (?)" }]);
  const events = body.events ?? ["push"];
  if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== "string")) return invalid([{ resource: "Hook", code: "invalid", field: "events" }]);
  const unknown = (events as string[]).find((e) => !HOOK_EVENTS.has(e));
  if (unknown) return invalid([{ resource: "Hook", code: "custom", message: `${unknown} is not a valid event name (?)` }]);
  const hooks = worldOf<GitHubHook[]>(call.world, "hooks", () => []);
  const mine = hooks.filter((h) => h.target === target);
  if (mine.some((h) => h.config.url === config.url && h.events.some((e) => (events as string[]).includes(e)))) {
    return invalid([{ resource: "Hook", code: "custom", message: "Hook already exists on this repository" }]);
  }
  const full = (events as string[]).find((e) => mine.filter((h) => h.events.includes(e) || h.events.includes("*")).length >= HOOKS_PER_EVENT);
  if (full) return invalid([{ resource: "Hook", code: "custom", message: `The "${full}" event cannot have more than ${HOOKS_PER_EVENT} hooks (?)` }]);
  const hook: GitHubHook = {
    id: counter(call, "hookIds", 480_000_000),
    target,
    name: "web",
    active: body.active !== false,
    events: events as string[],
    config: { url: config.url, content_type: String(contentType), insecure_ssl: String(config.insecure_ssl ?? "0"), ...(typeof config.secret === "string" && config.secret !== "" ? { secret: config.secret } : {}) },
    created_at: new Date(call.now).toISOString(),
  };
  hooks.push(hook);
  return json(201, hookJson(hook));
}

/** `/hooks`, `/hooks/{id}` under a repository or organization: create, list, get, delete. */
function hookRoute(call: ApiCall, target: string, rest: string): SimResponse | null {
  const { method } = call.req;
  const hooks = worldOf<GitHubHook[]>(call.world, "hooks", () => []);
  if (rest === "/hooks") {
    if (method === "POST") return createHook(call, target);
    if (method === "GET") return json(200, hooks.filter((h) => h.target === target).map(hookJson));
    return notFound();
  }
  const one = /^\/hooks\/(\d+)$/.exec(rest);
  if (!one) return null;
  const index = hooks.findIndex((h) => h.target === target && String(h.id) === one[1]);
  if (index === -1) return notFound();
  if (method === "GET") return json(200, hookJson(hooks[index]!));
  if (method === "DELETE") {
    hooks.splice(index, 1);
    return empty(204);
  }
  return notFound();
}

/**
 * The scopes GitHub checks for hooks: repository hooks take `repo`, or `admin:repo_hook`
 * (`write:repo_hook` to create and list, `read:repo_hook` to list); organization hooks
 * take `admin:org_hook` [docs.github.com/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps].
 * Without them GitHub answers 404, as for anything the token may not see.
 */
function mayManageHooks(call: ApiCall, kind: "repo" | "org"): boolean {
  const method = call.req.method;
  const held = (scopes: string[]) => scopes.some((scope) => call.scopes.includes(scope));
  if (kind === "org") return held(["admin:org_hook"]);
  if (method === "DELETE") return held(["repo", "admin:repo_hook"]);
  if (method === "GET") return held(["repo", "admin:repo_hook", "write:repo_hook", "read:repo_hook"]);
  return held(["repo", "admin:repo_hook", "write:repo_hook"]);
}

/** The world's hourly budget: every call spends one; GitHub's headers go on every answer. */
function spend(call: ApiCall): { headers: Record<string, string>; exhausted: boolean } {
  const { limit, exhausted } = spendRateLimit(call);
  return {
    exhausted,
    headers: {
      "x-ratelimit-limit": String(limit.limit),
      "x-ratelimit-remaining": String(Math.max(0, limit.remaining)),
      "x-ratelimit-reset": String(Math.ceil(limit.resetAt / 1000)),
      "x-ratelimit-used": String(limit.limit - Math.max(0, limit.remaining)),
      "x-ratelimit-resource": "core",
    },
  };
}

function withHeaders(response: SimResponse, headers: Record<string, string>): SimResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}

const REPO_PATH = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/;
const ORG_HOOKS_PATH = /^\/orgs\/([^/]+)(\/hooks(?:\/.*)?)$/;

export function githubApi(call: ApiCall): SimResponse | null {
  const { req, apiPath } = call;
  const repoMatch = REPO_PATH.exec(apiPath);
  const orgHooks = ORG_HOOKS_PATH.exec(apiPath);
  const ours = apiPath === "/user/repos" || (repoMatch !== null && repoMatch[1]!.toLowerCase() === OWNER) || (orgHooks !== null && orgHooks[1]!.toLowerCase() === OWNER);
  if (!ours) return null;
  const budget = spend(call);
  const done = (response: SimResponse) => withHeaders(response, budget.headers);
  if (budget.exhausted) {
    return done(json(403, { message: "API rate limit exceeded for user ID 1001.", documentation_url: `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api` }));
  }
  if (apiPath === "/user/repos") return done(req.method === "GET" ? listRepos(call) : notFound());
  if (orgHooks) return done(mayManageHooks(call, "org") ? (hookRoute(call, `org:${OWNER}`, orgHooks[2]!) ?? notFound()) : notFound());
  const target = visibleRepo(call, repoMatch![1]!, repoMatch![2]!);
  if (!target) return done(notFound());
  const rest = repoMatch![3] ?? "";
  if (rest === "/hooks" || rest.startsWith("/hooks/")) {
    return done(mayManageHooks(call, "repo") ? (hookRoute(call, `repo:${OWNER}/${target.name}`, rest) ?? notFound()) : notFound());
  }
  const writing = req.method !== "GET";
  // GitHub answers 404, not 403, when an OAuth token lacks the scope for a write.
  if (writing && !canWrite(call, target)) return done(notFound());
  if (rest === "/issues" && req.method === "POST") return done(createIssue(call, target));
  const comments = /^\/issues\/(\d+)\/comments$/.exec(rest);
  if (comments && req.method === "POST") return done(createComment(call, target, comments[1]!));
  const dispatches = /^\/actions\/workflows\/([^/]+)\/dispatches$/.exec(rest);
  if (dispatches && req.method === "POST") {
    if (!call.scopes.includes("repo")) return done(notFound());
    let workflow: string;
    try {
      workflow = decodeURIComponent(dispatches[1]!);
    } catch {
      return done(notFound());
    }
    return done(dispatch(call, target, workflow));
  }
  if (rest === "/actions/workflows" && req.method === "GET") return done(listWorkflows(call, target, apiPath));
  const contents = /^\/contents\/(.+)$/.exec(rest);
  if (contents && req.method === "PUT") return done(putFile(call, target, contents[1]!));
  return done(notFound());
}
