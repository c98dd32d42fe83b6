/**
 * Asana REST API actions, below https://app.asana.com/api/1.0. Write bodies and answers are
 * wrapped in `{ data: … }`, and a compact record carries only `gid`, `name` and
 * `resource_type` unless `opt_fields` asks for more (developers.asana.com/docs/using-curl,
 * "Quick highlights"; developers.asana.com/docs/inputoutput-options).
 *
 * - developers.asana.com/reference/createtask: `POST /tasks` with `{ data: { workspace?,
 *   projects?, name, notes?, assignee?, due_on? } }` → 201 `{ data: task }`; a task needs a
 *   workspace, which may come from its projects instead. `assignee` takes a user gid, an
 *   email or `me`; `due_on` is `YYYY-MM-DD`. `opt_fields=permalink_url` asks for the link.
 * - developers.asana.com/reference/getworkspaces and /getprojects (`workspace`, `archived`).
 * - developers.asana.com/docs/pagination: `limit` 1–100 → `next_page: { offset, path, uri }`,
 *   null on the last page; the offset is opaque and expires after a while.
 * - developers.asana.com/docs/errors: `{ errors: [{ message, help, phrase? }] }`, a 400's
 *   message names the input first (`workspace: Missing input`); 402 for a premium-only
 *   feature, 403, 404, 429 with Retry-After (developers.asana.com/docs/rate-limits), 5xx with
 *   a `phrase` for support.
 * - Limits we set without a documented source (?): a name of 1,024 characters, notes of
 *   65,535, 20 projects.
 * - Scopes: the catalog asks for `default` (full access); Asana's granular scopes
 *   (`tasks:write`, developers.asana.com/docs/oauth-scopes) cannot be mixed with it, so the
 *   actions need `default`.
 */
import { z } from "zod";
import { defineAction, type ActionAnswer, type ActionMapping } from "../define";
import { failureOfStatus, providerValidationFailure, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";

const ASANA = "Asana";
const ACCEPT_JSON = { Accept: "application/json" };

/** The input names of Asana's parameters, as a 400's message names them (`due_on: …`). */
const INPUT_FIELDS: Record<string, string> = {
  workspace: "workspace",
  projects: "projects",
  name: "name",
  notes: "notes",
  assignee: "assignee",
  due_on: "dueOn",
  offset: "cursor",
};

type AsanaErrors = { errors?: Array<{ message?: unknown; phrase?: unknown }> };

/** An Asana answer's failure, or null for a 2xx. */
export function asanaFailure(answer: ActionAnswer): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const body = (typeof answer.json === "object" && answer.json !== null ? answer.json : {}) as AsanaErrors;
  const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
  const message = typeof first?.message === "string" ? first.message : "";
  const phrase = typeof first?.phrase === "string" ? first.phrase : "";
  const named = /^([a-z_]+)(?:\[\d+\])?: (.+)$/.exec(message);
  const field = named ? INPUT_FIELDS[named[1]!] : undefined;
  if (status === 400 || (field && (status === 403 || status === 404))) {
    return providerValidationFailure(ASANA, message || "the request was refused.", field ? { [field]: named![2]! } : undefined, { status });
  }
  const detail = [message.replace(/\.+$/, ""), phrase ? `(error phrase "${phrase}")` : ""].filter(Boolean).join(" ");
  return failureOfStatus(answer, ASANA, detail || undefined);
}

function asanaData<T>(answer: ActionAnswer, read: (body: never) => T): ActionMapping<T> {
  const failure = asanaFailure(answer);
  return failure ? { ok: false, error: failure } : { ok: true, output: read(answer.json as never) };
}

const gid = (message: string) => z.string().trim().regex(/^\d{1,32}$/, message);

const workspaceField = gid("Choose a workspace (its numeric gid).").meta({
  title: "Workspace",
  description: "The workspace or organization the task belongs to.",
  examples: ["1200000000000001"],
  ...fromLookup("asana.list_workspaces"),
});

/** A calendar date as Asana's `due_on` takes it, checked to exist (no February 30). */
const dateField = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "A date like 2026-12-31.")
  .refine((date) => !Number.isNaN(Date.parse(date)) && new Date(date).toISOString().startsWith(date), "That date does not exist.");

export const asanaCreateTask = defineAction({
  id: "asana.create_task",
  version: 1,
  providerId: "asana",
  title: "Create a task",
  description: "Creates a task in a workspace or in projects, optionally assigned and with a due date.",
  effect: "write",
  scopes: ["default"],
  input: z
    .object({
      workspace: workspaceField.optional(),
      projects: z
        .array(gid("A project's numeric gid."))
        .max(20, "At most 20 projects.")
        .optional()
        .meta({ title: "Projects", description: "Projects to add the task to; the workspace then comes from them.", ...fromLookup("asana.list_projects", { workspace: "workspace" }) }),
      name: z.string().trim().min(1, "Name the task.").max(1024, "Asana takes a name of at most 1,024 characters.").meta({ title: "Name", examples: ["Renew the TLS certificate"] }),
      notes: z.string().max(65_535, "Asana takes notes of at most 65,535 characters.").optional().meta({ title: "Notes", description: "Plain text." }),
      assignee: z
        .string()
        .trim()
        .regex(/^(\d{1,32}|me|[^\s@]+@[^\s@]+\.[^\s@]+)$/, "A user's gid, their email, or me.")
        .optional()
        .meta({ title: "Assignee", description: "A user's gid or email, or me for the connected user.", examples: ["me", "ada@example.com"] }),
      dueOn: dateField.optional().meta({ title: "Due on", description: "A date, YYYY-MM-DD.", examples: ["2026-12-31"] }),
    })
    .refine((input) => input.workspace !== undefined || (input.projects?.length ?? 0) > 0, {
      message: "Choose a workspace or at least one project.",
      path: ["workspace"],
    }),
  output: z.object({
    gid: z.string().describe("The task's gid."),
    url: z.string().describe("The task's page in Asana."),
  }),
  request: (input) => ({
    method: "POST",
    path: "/tasks",
    query: { opt_fields: "permalink_url" },
    headers: ACCEPT_JSON,
    body: {
      json: {
        data: {
          ...(input.workspace !== undefined ? { workspace: input.workspace } : {}),
          ...(input.projects?.length ? { projects: input.projects } : {}),
          name: input.name,
          ...(input.notes ? { notes: input.notes } : {}),
          ...(input.assignee !== undefined ? { assignee: input.assignee } : {}),
          ...(input.dueOn !== undefined ? { due_on: input.dueOn } : {}),
        },
      },
    },
  }),
  response: (answer) =>
    asanaData(answer, (body: { data: { gid: string; permalink_url: string } }) => ({ gid: body.data.gid, url: body.data.permalink_url })),
});

/** Options per page: Asana's largest `limit`. */
const PAGE_SIZE = "100";

type Compact = { gid: string; name: string };
type Page = { data: Compact[]; next_page?: { offset?: string } | null };

const pageOf = (body: Page) => ({
  options: body.data.map((item) => ({ value: item.gid, label: item.name })),
  nextCursor: body.next_page?.offset || undefined,
});

export const asanaListWorkspaces = defineAction({
  id: "asana.list_workspaces",
  version: 1,
  providerId: "asana",
  kind: "lookup",
  title: "List workspaces",
  description: "The workspaces and organizations the connected user belongs to.",
  effect: "read",
  scopes: ["default"],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: "/workspaces",
    headers: ACCEPT_JSON,
    query: { limit: PAGE_SIZE, ...(input.cursor ? { offset: input.cursor } : {}) },
  }),
  response: (answer) => asanaData(answer, pageOf),
});

export const asanaListProjects = defineAction({
  id: "asana.list_projects",
  version: 1,
  providerId: "asana",
  kind: "lookup",
  title: "List projects",
  description: "A workspace's projects, without archived ones.",
  effect: "read",
  scopes: ["default"],
  input: z.object({ cursor: lookupCursor, workspace: workspaceField }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: "/projects",
    headers: ACCEPT_JSON,
    query: { workspace: input.workspace, archived: "false", limit: PAGE_SIZE, ...(input.cursor ? { offset: input.cursor } : {}) },
  }),
  response: (answer) => asanaData(answer, pageOf),
});

export const asanaActions = [asanaCreateTask, asanaListWorkspaces, asanaListProjects];
