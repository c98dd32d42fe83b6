import { describe, expect, it } from "vitest";
import type { ActionAnswer, ActionContext, AnyAction } from "../define";
import { actionSpec } from "../spec";
import { parseInput, readAnswer } from "../prepare";
import { scopeNames } from "../scopes";
import { getProvider } from "../../providers";
import { asanaActions, asanaCreateTask, asanaFailure, asanaListProjects, asanaListWorkspaces } from "./asana";

const context: ActionContext = { config: {}, scopes: ["default"], correlationId: "run_1" };

function answer(status: number, json?: unknown, headers: Record<string, string> = {}): ActionAnswer {
  return { status, headers, body: json === undefined ? "" : JSON.stringify(json), json };
}

function requestOf(action: AnyAction, input: unknown) {
  const parsed = parseInput(action, input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return action.request(parsed.input, context);
}

function fieldsOf(action: AnyAction, input: unknown) {
  const parsed = parseInput(action, input);
  return parsed.ok ? null : parsed.error.fields;
}

function read(action: AnyAction, input: unknown, given: ActionAnswer) {
  const parsed = parseInput(action, input);
  if (!parsed.ok) throw new Error("bad input");
  return readAnswer(action, parsed.input, given, "Asana");
}

const WS = "1200000000000001";

describe("asana.create_task", () => {
  it("posts every field wrapped in data and asks for the permalink", () => {
    expect(
      requestOf(asanaCreateTask, {
        workspace: ` ${WS} `,
        projects: ["1200000000000201"],
        name: "  Renew the certificate ",
        notes: "Before it expires.",
        assignee: " ada@example.com ",
        dueOn: "2026-12-31",
      }),
    ).toStrictEqual({
      method: "POST",
      path: "/tasks",
      query: { opt_fields: "permalink_url" },
      headers: { Accept: "application/json" },
      body: {
        json: {
          data: {
            workspace: WS,
            projects: ["1200000000000201"],
            name: "Renew the certificate",
            notes: "Before it expires.",
            assignee: "ada@example.com",
            due_on: "2026-12-31",
          },
        },
      },
    });
  });

  it("sends only what was given: a workspace alone, or projects alone", () => {
    const data = (input: unknown) => (requestOf(asanaCreateTask, input).body as { json: { data: unknown } }).json.data;
    expect(data({ workspace: WS, name: "x", notes: "", projects: [] })).toStrictEqual({ workspace: WS, name: "x" });
    expect(data({ projects: ["7"], name: "x", assignee: "me" })).toStrictEqual({ projects: ["7"], name: "x", assignee: "me" });
    expect(data({ workspace: WS, name: "x", assignee: "1200000000000100" })).toStrictEqual({ workspace: WS, name: "x", assignee: "1200000000000100" });
  });

  it("refuses a task Asana could not place, and malformed ids, people and dates", () => {
    expect(fieldsOf(asanaCreateTask, { name: "x" })).toEqual({ workspace: "Choose a workspace or at least one project." });
    expect(fieldsOf(asanaCreateTask, { name: "x", projects: [] })).toEqual({ workspace: "Choose a workspace or at least one project." });
    expect(fieldsOf(asanaCreateTask, { workspace: "acme", projects: ["p1"], name: " ", assignee: "ada", dueOn: "31/12/2026" })).toEqual({
      workspace: "Choose a workspace (its numeric gid).",
      "projects.0": "A project's numeric gid.",
      name: "Name the task.",
      assignee: "A user's gid, their email, or me.",
      dueOn: "A date like 2026-12-31.",
    });
    expect(fieldsOf(asanaCreateTask, { workspace: "1".repeat(33), name: "x" })).toEqual({ workspace: "Choose a workspace (its numeric gid)." });
    expect(fieldsOf(asanaCreateTask, { workspace: WS, name: "x", dueOn: "2026-02-29" })).toEqual({ dueOn: "That date does not exist." });
    expect(fieldsOf(asanaCreateTask, { workspace: WS, name: "x", dueOn: "2026-13-01" })).toEqual({ dueOn: "That date does not exist." });
    expect(fieldsOf(asanaCreateTask, { workspace: WS, name: "x", dueOn: "2024-02-29" })).toBeNull();
    expect(fieldsOf(asanaCreateTask, { workspace: WS, name: "x", assignee: "a b@example.com" })).toEqual({ assignee: "A user's gid, their email, or me." });
    expect(fieldsOf(asanaCreateTask, { workspace: WS, name: "x", assignee: "mee" })).toEqual({ assignee: "A user's gid, their email, or me." });
    expect(
      fieldsOf(asanaCreateTask, { workspace: WS, name: "n".repeat(1025), notes: "n".repeat(65_536), projects: Array.from({ length: 21 }, () => "1") }),
    ).toEqual({
      name: "Asana takes a name of at most 1,024 characters.",
      notes: "Asana takes notes of at most 65,535 characters.",
      projects: "At most 20 projects.",
    });
    expect(
      fieldsOf(asanaCreateTask, { workspace: WS, name: "n".repeat(1024), notes: "n".repeat(65_535), projects: Array.from({ length: 20 }, () => "1") }),
    ).toBeNull();
  });

  it("answers Asana's refusal as the typed error", () => {
    expect(read(asanaCreateTask, { workspace: WS, name: "x" }, answer(400, { errors: [{ message: "assignee: Not a recognized ID: 9" }] }))).toEqual({
      ok: false,
      error: { code: "invalid_input", message: "Asana refused the input: assignee: Not a recognized ID: 9", retryable: false, fields: { assignee: "Not a recognized ID: 9" }, status: 400 },
    });
  });

  it("answers the gid and the permalink", () => {
    const created = answer(201, { data: { gid: "1200000000000301", permalink_url: "https://app.asana.com/0/0/1200000000000301" } });
    expect(read(asanaCreateTask, { workspace: WS, name: "x" }, created)).toEqual({
      ok: true,
      output: { gid: "1200000000000301", url: "https://app.asana.com/0/0/1200000000000301" },
    });
  });
});

describe("the lookups", () => {
  it("list_workspaces pages by Asana's offset, 100 at a time", () => {
    expect(requestOf(asanaListWorkspaces, {})).toEqual({ method: "GET", path: "/workspaces", headers: { Accept: "application/json" }, query: { limit: "100" } });
    expect(requestOf(asanaListWorkspaces, { cursor: "eyJvIjoxMDB9" }).query).toEqual({ limit: "100", offset: "eyJvIjoxMDB9" });
    const page = answer(200, { data: [{ gid: WS, name: "Acme", resource_type: "workspace" }], next_page: { offset: "tok", path: "/workspaces?offset=tok", uri: "u" } });
    expect(read(asanaListWorkspaces, {}, page)).toEqual({ ok: true, output: { options: [{ value: WS, label: "Acme" }], nextCursor: "tok" } });
    expect(read(asanaListWorkspaces, {}, answer(200, { data: [], next_page: null }))).toEqual({ ok: true, output: { options: [] } });
    expect(read(asanaListWorkspaces, {}, answer(200, { data: [] }))).toEqual({ ok: true, output: { options: [] } });
    expect(read(asanaListWorkspaces, {}, answer(200, { data: [], next_page: { offset: "" } }))).toEqual({ ok: true, output: { options: [] } });
  });

  it("list_projects asks a workspace's unarchived projects", () => {
    expect(requestOf(asanaListProjects, { workspace: WS, cursor: "tok" })).toEqual({
      method: "GET",
      path: "/projects",
      headers: { Accept: "application/json" },
      query: { workspace: WS, archived: "false", limit: "100", offset: "tok" },
    });
    expect(requestOf(asanaListProjects, { workspace: WS, cursor: "" }).query).toEqual({ workspace: WS, archived: "false", limit: "100" });
    expect(fieldsOf(asanaListProjects, {})).toEqual({ workspace: expect.any(String) });
    const page = answer(200, { data: [{ gid: "9", name: "Launch" }], next_page: null });
    expect(read(asanaListProjects, { workspace: WS }, page)).toEqual({ ok: true, output: { options: [{ value: "9", label: "Launch" }] } });
  });
});

describe("asanaFailure", () => {
  it("is null for every 2xx", () => {
    for (const status of [200, 201, 204, 299]) expect(asanaFailure(answer(status))).toBeNull();
    expect(asanaFailure(answer(300))).toMatchObject({ code: "provider_error", status: 300 });
  });

  it("a 400 names the input field its message starts with", () => {
    expect(asanaFailure(answer(400, { errors: [{ message: "due_on: Must be a date string", help: "See the docs." }] }))).toEqual({
      code: "invalid_input",
      message: "Asana refused the input: due_on: Must be a date string",
      retryable: false,
      fields: { dueOn: "Must be a date string" },
      status: 400,
    });
    expect(asanaFailure(answer(400, { errors: [{ message: "projects[10]: Not a recognized ID: 42" }] }))).toMatchObject({
      fields: { projects: "Not a recognized ID: 42" },
    });
    // A message on several lines is not read as one field's.
    expect(asanaFailure(answer(400, { errors: [{ message: "name: first\nsecond" }] }))).not.toHaveProperty("fields");
    for (const [name, field] of [
      ["workspace", "workspace"],
      ["name", "name"],
      ["notes", "notes"],
      ["assignee", "assignee"],
      ["offset", "cursor"],
    ]) {
      expect(asanaFailure(answer(400, { errors: [{ message: `${name}: bad` }] }))).toMatchObject({ fields: { [field!]: "bad" } });
    }
  });

  it("a 400 without a known field, or without a readable body, is still invalid input", () => {
    expect(asanaFailure(answer(400, { errors: [{ message: "You should specify one of workspace, parent, projects" }] }))).toEqual({
      code: "invalid_input",
      message: "Asana refused the input: You should specify one of workspace, parent, projects",
      retryable: false,
      status: 400,
    });
    expect(asanaFailure(answer(400, { errors: [{ message: "tags: Unknown field" }] }))).not.toHaveProperty("fields");
    expect(asanaFailure(answer(400, { errors: [{ message: "Workspace: capitalised" }] }))).not.toHaveProperty("fields");
    expect(asanaFailure(answer(400, { errors: [{ message: "x workspace: inside" }] }))).not.toHaveProperty("fields");
    expect(asanaFailure(answer(400))).toEqual({ code: "invalid_input", message: "Asana refused the input: the request was refused.", retryable: false, status: 400 });
    expect(asanaFailure(answer(400, { errors: "x" }))).toMatchObject({ message: "Asana refused the input: the request was refused." });
    expect(asanaFailure(answer(400, { errors: [{ message: 4 }] }))).toMatchObject({ message: "Asana refused the input: the request was refused." });
    expect(asanaFailure(answer(400, { errors: [] }))).toMatchObject({ message: "Asana refused the input: the request was refused." });
  });

  it("a 403 or 404 about a named input is that field's; otherwise it goes by status", () => {
    expect(asanaFailure(answer(404, { errors: [{ message: "workspace: Unknown object: 5" }] }))).toEqual({
      code: "invalid_input",
      message: "Asana refused the input: workspace: Unknown object: 5",
      retryable: false,
      fields: { workspace: "Unknown object: 5" },
      status: 404,
    });
    expect(asanaFailure(answer(403, { errors: [{ message: "projects: Forbidden" }] }))).toMatchObject({ code: "invalid_input", fields: { projects: "Forbidden" } });
    expect(asanaFailure(answer(403, { errors: [{ message: "Forbidden." }] }))).toEqual({
      code: "provider_error",
      message: "Asana answered HTTP 403: Forbidden.",
      retryable: false,
      status: 403,
    });
    expect(asanaFailure(answer(404, { errors: [{ message: "tags: Unknown object" }] }))).toMatchObject({ code: "provider_error", status: 404 });
    expect(asanaFailure(answer(500, { errors: [{ message: "workspace: v1.2 broke.." }] }))).toEqual({
      code: "provider_error",
      message: "Asana answered HTTP 500: workspace: v1.2 broke.",
      retryable: true,
      status: 500,
    });
    expect(asanaFailure(answer(402, { errors: [{ message: "Premium only" }] }))).toMatchObject({ code: "provider_error", message: "Asana answered HTTP 402: Premium only." });
    expect(asanaFailure(answer(401, { errors: [{ message: "Not Authorized" }] }))).toMatchObject({ code: "auth_revoked", status: 401 });
  });

  it("a 429 waits as Retry-After says; a 5xx keeps Asana's error phrase for support", () => {
    expect(asanaFailure(answer(429, { errors: [{ message: "Rate limit enforced" }] }, { "retry-after": "12" }))).toEqual({
      code: "rate_limited",
      message: "Asana is rate limiting these requests: Rate limit enforced.",
      retryable: true,
      retryAfterMs: 12_000,
      status: 429,
    });
    expect(asanaFailure(answer(500, { errors: [{ message: "Server Error", phrase: "6 sad squid snuggle softly" }] }))).toEqual({
      code: "provider_error",
      message: 'Asana answered HTTP 500: Server Error (error phrase "6 sad squid snuggle softly").',
      retryable: true,
      status: 500,
    });
    expect(asanaFailure(answer(500, { errors: [{ phrase: "a b c" }] }))).toMatchObject({ message: 'Asana answered HTTP 500: (error phrase "a b c").' });
    expect(asanaFailure(answer(503, { errors: [{ phrase: 7 }] }))).toMatchObject({ message: "Asana answered HTTP 503." });
    expect(asanaFailure(answer(302))).toMatchObject({ code: "provider_error", status: 302 });
    expect(asanaFailure(answer(199))).toMatchObject({ code: "provider_error", status: 199 });
  });
});

describe("the Asana actions", () => {
  it("name only scopes the catalog knows for Asana", () => {
    const asana = getProvider("asana");
    if (asana?.authKind !== "oauth2") throw new Error("Asana is an OAuth provider");
    const known = new Set([...asana.defaultScopes, ...asana.optionalScopes.map((scope) => scope.scope)]);
    for (const action of asanaActions) {
      expect(action.providerId).toBe("asana");
      expect(action.id.startsWith("asana.")).toBe(true);
      for (const scope of scopeNames(action.scopes)) expect(known.has(scope)).toBe(true);
    }
  });

  it("describe themselves to forms", () => {
    expect(asanaActions.map((action) => actionSpec(action))).toMatchSnapshot();
  });
});
