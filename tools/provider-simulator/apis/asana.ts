/**
 * Asana's REST API (below https://app.asana.com/api/1.0) as the actions use it: create a
 * task, list workspaces, list a workspace's projects. Bodies go in and come out wrapped in
 * `{ data }` (developers.asana.com/reference/createtask); `opt_fields` limits a record to
 * `gid` and the fields named (developers.asana.com/docs/inputoutput-options); lists page
 * with `limit` (1–100) and an opaque `offset` → `next_page: { offset, path, uri }` or null
 * (developers.asana.com/docs/pagination). Errors are `{ errors: [{ message, help }] }`, a
 * 400's message naming the parameter first (developers.asana.com/docs/errors).
 *
 * Strictness: JSON bodies must be an object with `data`; a task needs a workspace, from
 * `workspace` or its projects, and the projects must be in that workspace; gids must be known,
 * `assignee` a member of the workspace (gid, email or `me`), `due_on` a real YYYY-MM-DD date;
 * a field the endpoint does not know is refused (our wording (?); Asana's for the other
 * cases follows its "<parameter>: <problem>" pattern, the exact sentences are ours (?)).
 * The grant must hold `default` (full access) or the granular scope the endpoint lists.
 * Webhooks: POST /webhooks runs the X-Hook-Secret handshake against the target before it
 * answers, DELETE /webhooks/{gid}; kept in the world's `webhooks` with their secrets.
 */
import { json, type SimResponse } from "../http-utils";
import { asanaHandshake } from "../webhook-handshakes";
import { worldOf, type ApiCall } from "./index";

type Workspace = { gid: string; name: string; is_organization: boolean };
type Project = { gid: string; name: string; workspace: string; archived: boolean };
type User = { gid: string; name: string; email: string; workspaces: string[] };
type Task = { gid: string; name: string; notes: string; workspace: string; projects: string[]; assignee: string | null; due_on: string | null };
type World = { workspaces: Workspace[]; projects: Project[]; users: User[]; tasks: Task[]; nextTask: number };

export const ASANA_WORKSPACE = "1200000000000001";
const PERSONAL = "1200000000000002";
/** The connected user's gid in this world. */
const ME = "1200000000000100";

/** 120 live projects and one archived in the main workspace: two pages of 100. */
function createWorld(email: string, name: string): World {
  const projects: Project[] = [
    { gid: "1200000000000200", name: "Launch", workspace: ASANA_WORKSPACE, archived: false },
    { gid: "1200000000000199", name: "Old launch", workspace: ASANA_WORKSPACE, archived: true },
    { gid: "1200000000000900", name: "Garden", workspace: PERSONAL, archived: false },
  ];
  for (let i = 1; i < 120; i += 1) {
    projects.push({ gid: String(1200000000000200 + i), name: `Project ${i}`, workspace: ASANA_WORKSPACE, archived: false });
  }
  return {
    workspaces: [
      { gid: ASANA_WORKSPACE, name: "Acme", is_organization: true },
      { gid: PERSONAL, name: "Personal Projects", is_organization: false },
    ],
    projects,
    users: [
      { gid: ME, name, email, workspaces: [ASANA_WORKSPACE, PERSONAL] },
      { gid: "1200000000000101", name: "Ada Lovelace", email: "ada@example.com", workspaces: [ASANA_WORKSPACE] },
    ],
    tasks: [],
    nextTask: 1200000000001000,
  };
}

const fail = (status: number, message: string) =>
  json(status, { errors: [{ message, help: "For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors" }] });

/** Offsets are opaque to clients: ours are base64url of `{"o":<index>}`. */
const offsetToken = (index: number) => Buffer.from(JSON.stringify({ o: index })).toString("base64url");

function offsetIndex(token: string): number | null {
  try {
    const value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown };
    return typeof value.o === "number" && Number.isInteger(value.o) && value.o >= 0 ? value.o : null;
  } catch {
    return null;
  }
}

/** A list answer, paginated when `limit` is given (unpaginated otherwise, as on grandfathered endpoints). */
function listed<T extends { gid: string; name: string }>(call: ApiCall, items: T[], resourceType: string, path: string): SimResponse {
  const rawLimit = call.req.query.get("limit");
  const rawOffset = call.req.query.get("offset");
  const compact = (item: T) => ({ gid: item.gid, name: item.name, resource_type: resourceType });
  if (rawLimit === null) {
    if (rawOffset !== null) return fail(400, "offset: Pagination requires a limit.");
    return json(200, { data: items.map(compact) });
  }
  if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > 100) return fail(400, "limit: Must be between 1 and 100.");
  const limit = Number(rawLimit);
  const start = rawOffset === null ? 0 : offsetIndex(rawOffset);
  if (start === null) return fail(400, "offset: Your pagination token is invalid.");
  const end = start + limit;
  const next = end < items.length ? offsetToken(end) : null;
  const query = new URLSearchParams([...call.req.query].filter(([key]) => key !== "offset"));
  if (next) query.set("offset", next);
  return json(200, {
    data: items.slice(start, end).map(compact),
    next_page: next ? { offset: next, path: `${path}?${query}`, uri: `https://app.asana.com/api/1.0${path}?${query}` } : null,
  });
}

const TASK_FIELDS = new Set(["workspace", "projects", "parent", "name", "notes", "assignee", "due_on"]);

function createTask(call: ApiCall, world: World): SimResponse {
  const { req } = call;
  if (req.bodyFormat !== "json") return fail(400, "Request data must be JSON or form encoded.");
  const envelope = req.json as { data?: unknown } | null;
  const data = envelope && typeof envelope === "object" && !Array.isArray(envelope) ? envelope.data : undefined;
  if (typeof data !== "object" || data === null || Array.isArray(data)) return fail(400, "data: Missing input");
  const d = data as Record<string, unknown>;
  const unknown = Object.keys(d).find((key) => !TASK_FIELDS.has(key));
  if (unknown) return fail(400, `${unknown}: Unknown field`);

  const projectIds = d.projects === undefined ? [] : d.projects;
  if (!Array.isArray(projectIds) || projectIds.some((gid) => typeof gid !== "string")) return fail(400, "projects: Must be an array of gids.");
  const projects: Project[] = [];
  for (const [index, gid] of (projectIds as string[]).entries()) {
    const project = world.projects.find((p) => p.gid === gid);
    if (!project) return fail(400, `projects[${index}]: Not a recognized ID: ${gid}`);
    projects.push(project);
  }
  let workspace: string | undefined;
  if (d.workspace !== undefined) {
    if (typeof d.workspace !== "string" || !world.workspaces.some((w) => w.gid === d.workspace)) {
      return fail(400, `workspace: Not a recognized ID: ${String(d.workspace)}`);
    }
    workspace = d.workspace;
  }
  if (workspace === undefined) workspace = projects[0]?.workspace;
  if (workspace === undefined) return fail(400, "You should specify one of workspace, parent, projects");
  if (projects.some((p) => p.workspace !== workspace)) return fail(400, "projects: Every project must be in the task's workspace.");
  const me = world.users.find((u) => u.gid === ME)!;
  if (!me.workspaces.includes(workspace)) return fail(403, "workspace: You do not have access to this workspace.");

  if (d.name !== undefined && typeof d.name !== "string") return fail(400, "name: Must be a string.");
  if (d.notes !== undefined && typeof d.notes !== "string") return fail(400, "notes: Must be a string.");
  let assignee: string | null = null;
  if (d.assignee !== undefined && d.assignee !== null) {
    const wanted = d.assignee;
    const user =
      typeof wanted === "string" ? world.users.find((u) => (wanted === "me" ? u.gid === ME : u.gid === wanted || u.email === wanted.toLowerCase())) : undefined;
    if (!user) return fail(400, `assignee: Not a recognized ID: ${String(wanted)}`);
    if (!user.workspaces.includes(workspace)) return fail(400, "assignee: The user is not a member of the task's workspace.");
    assignee = user.gid;
  }
  let dueOn: string | null = null;
  if (d.due_on !== undefined && d.due_on !== null) {
    const value = d.due_on;
    const valid = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().startsWith(value);
    if (!valid) return fail(400, "due_on: Must be a date string of the form YYYY-MM-DD.");
    dueOn = value;
  }

  const gid = String(world.nextTask++);
  const task: Task = { gid, name: (d.name as string | undefined) ?? "", notes: (d.notes as string | undefined) ?? "", workspace, projects: projects.map((p) => p.gid), assignee, due_on: dueOn };
  world.tasks.push(task);
  const full: Record<string, unknown> = {
    gid,
    resource_type: "task",
    name: task.name,
    notes: task.notes,
    completed: false,
    assignee: assignee ? { gid: assignee, resource_type: "user" } : null,
    due_on: dueOn,
    workspace: { gid: workspace, resource_type: "workspace" },
    projects: task.projects.map((p) => ({ gid: p, resource_type: "project" })),
    permalink_url: `https://app.asana.com/0/${task.projects[0] ?? "0"}/${gid}`,
    created_at: new Date(call.now).toISOString(),
  };
  const optFields = req.query.get("opt_fields");
  const answer = optFields === null ? full : Object.fromEntries([["gid", gid], ...optFields.split(",").filter((f) => f in full).map((f) => [f, full[f]])]);
  return json(201, { data: answer });
}

/** The granular scope each endpoint lists (developers.asana.com/docs/oauth-scopes); `default` covers all. */
/** A webhook made by POST /webhooks, kept in the world's `webhooks` with the handshake's secret, for tests. */
export type AsanaWebhook = { gid: string; resource: string; target: string; active: boolean; secret: string };

/**
 * POST /webhooks {data: {resource, target}} [developers.asana.com/reference/createwebhook]:
 * a known project or task, an absolute target URL (Asana wants HTTPS; loopback http is
 * taken here), then the handshake against the target, before Asana answers: a target that
 * does not echo X-Hook-Secret gets no webhook. The refusals' wording is ours (?).
 */
async function createWebhook(call: ApiCall, world: World): Promise<SimResponse> {
  const body = call.req.json as { data?: { resource?: unknown; target?: unknown } } | undefined;
  const data = call.req.bodyFormat === "json" && typeof body?.data === "object" && body.data !== null ? body.data : null;
  if (!data) return fail(400, "data: Missing input");
  if (typeof data.resource !== "string" || data.resource === "") return fail(400, "resource: Missing input");
  const project = world.projects.find((p) => p.gid === data.resource);
  const task = world.tasks.find((t) => t.gid === data.resource);
  if (!project && !task) return fail(400, `resource: Not a recognized ID: ${data.resource}`);
  if (typeof data.target !== "string" || !URL.canParse(data.target) || !/^https?:$/.test(new URL(data.target).protocol)) return fail(400, "target: Not a valid URL (?)");
  const handshake = await asanaHandshake(data.target);
  if (!handshake.ok) return fail(400, `target: The handshake with the target failed: it ${handshake.why} (?)`);
  const webhooks = worldOf<AsanaWebhook[]>(call.world, "webhooks", () => []);
  const next = worldOf(call.world, "nextWebhook", () => ({ n: 1300000000000000 }));
  next.n += 1;
  const gid = String(next.n);
  const webhook: AsanaWebhook = { gid, resource: data.resource, target: data.target, active: true, secret: handshake.secret };
  webhooks.push(webhook);
  return json(201, {
    data: {
      gid,
      resource_type: "webhook",
      active: true,
      resource: project ? { gid: project.gid, resource_type: "project", name: project.name } : { gid: task!.gid, resource_type: "task", name: task!.name },
      target: data.target,
      created_at: new Date(call.now).toISOString(),
      last_failure_at: null,
      last_failure_content: "",
      last_success_at: null,
    },
  });
}

/** DELETE /webhooks/{webhook_gid}: 200 `{data: {}}`; an unknown gid is 404 [developers.asana.com/reference/deletewebhook]. */
function deleteWebhook(call: ApiCall, gid: string): SimResponse {
  const webhooks = worldOf<AsanaWebhook[]>(call.world, "webhooks", () => []);
  const index = webhooks.findIndex((w) => w.gid === gid);
  if (index === -1) return fail(404, `webhook: Unknown object: ${gid}`);
  webhooks.splice(index, 1);
  return json(200, { data: {} });
}

const SCOPES: Record<string, string> = { "POST /tasks": "tasks:write", "GET /workspaces": "workspaces:read", "GET /projects": "projects:read", "POST /webhooks": "webhooks:write", "DELETE /webhooks": "webhooks:delete" };

export function asanaApi(call: ApiCall): SimResponse | null | Promise<SimResponse> {
  const webhook = /^\/webhooks\/(\d+)$/.exec(call.apiPath);
  const route = webhook ? `${call.req.method} /webhooks` : `${call.req.method} ${call.apiPath}`;
  const scope = SCOPES[route];
  if (!scope) return null;
  if (!call.scopes.includes("default") && !call.scopes.includes(scope)) {
    return fail(403, `This request requires the scope ${scope}, which the token was not granted.`);
  }
  const world = worldOf(call.world, "asana", () => createWorld(call.account.email, call.account.name));
  if (route === "POST /tasks") return createTask(call, world);
  if (route === "POST /webhooks" && !webhook) return createWebhook(call, world);
  if (route === "DELETE /webhooks" && webhook) return deleteWebhook(call, webhook[1]!);
  if (route.endsWith(" /webhooks")) return null;
  const me = world.users.find((u) => u.gid === ME)!;
  if (route === "GET /workspaces") return listed(call, world.workspaces.filter((w) => me.workspaces.includes(w.gid)), "workspace", "/workspaces");
  const workspace = call.req.query.get("workspace");
  if (workspace === null) return fail(400, "workspace: Missing input");
  if (!world.workspaces.some((w) => w.gid === workspace)) return fail(400, `workspace: Not a recognized ID: ${workspace}`);
  const archived = call.req.query.get("archived");
  const projects = world.projects.filter((p) => p.workspace === workspace && (archived === null || String(p.archived) === archived));
  return listed(call, projects, "project", "/projects");
}
