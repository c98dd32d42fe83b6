/** Asana's actions through the step contract, against the simulator's Asana REST API. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const ACME = "1200000000000001";
const LAUNCH = "1200000000000200";

describe("asana actions", () => {
  test("create_task posts the task wrapped in data, asks for the permalink, and answers gid and url", async () => {
    const w = await setup(simulatorUrl, "asana");
    const result = await w.runAction("asana.create_task", {
      workspace: ACME,
      projects: [LAUNCH],
      name: "Renew the TLS certificate",
      notes: "Before Friday.",
      assignee: "ada@example.com",
      dueOn: "2026-12-31",
    });
    expect(result).toEqual({
      ok: true,
      output: { gid: "1200000000001000", url: `https://app.asana.com/0/${LAUNCH}/1200000000001000` },
      correlationId: expect.any(String),
    });
    const [sent] = await w.simulator.apiCalls({ providerId: "asana", apiPath: "/tasks" });
    expect(sent).toMatchObject({
      method: "POST",
      query: { opt_fields: "permalink_url" },
      body: {
        data: {
          workspace: ACME,
          projects: [LAUNCH],
          name: "Renew the TLS certificate",
          notes: "Before Friday.",
          assignee: "ada@example.com",
          due_on: "2026-12-31",
        },
      },
    });
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(sent!.headers.authorization).toBeUndefined();

    // The workspace may come from the projects alone.
    const fromProject = await w.runAction("asana.create_task", { projects: [LAUNCH], name: "Write the notes", assignee: "me" });
    expect(fromProject).toMatchObject({ ok: true, output: { gid: "1200000000001001" } });
  });

  test("Asana's errors become typed errors on the field its message names", async () => {
    const w = await setup(simulatorUrl, "asana");
    const unknownAssignee = await w.runAction("asana.create_task", { workspace: ACME, name: "x", assignee: "nobody@example.com" });
    expect(unknownAssignee).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 400, retryable: false, fields: { assignee: "Not a recognized ID: nobody@example.com" } },
    });
    const foreignProject = await w.runAction("asana.create_task", { workspace: ACME, projects: ["1200000000000900"], name: "x" });
    expect(foreignProject).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { projects: "Every project must be in the task's workspace." } } });
    const unknownProject = await w.runAction("asana.create_task", { projects: ["42"], name: "x" });
    expect(unknownProject).toMatchObject({ ok: false, error: { fields: { projects: "Not a recognized ID: 42" } } });
    const unknownWorkspace = await w.runAction("asana.list_projects", { workspace: "99" });
    expect(unknownWorkspace).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { workspace: "Not a recognized ID: 99" } } });
  });

  test("a 429 is rate_limited with Asana's Retry-After", async () => {
    const w = await setup(simulatorUrl, "asana");
    await w.simulator.failNext("asana", "api", { kind: "rate_limit", retryAfterSeconds: 30 });
    const limited = await w.runAction("asana.create_task", { workspace: ACME, name: "x" });
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryable: true, retryAfterMs: 30_000, status: 429 } });
  });

  test("lookups: the user's workspaces, and a workspace's live projects page by Asana's offset", async () => {
    const w = await setup(simulatorUrl, "asana");
    expect(await w.runAction("asana.list_workspaces", {})).toMatchObject({
      ok: true,
      output: {
        options: [
          { value: ACME, label: "Acme" },
          { value: "1200000000000002", label: "Personal Projects" },
        ],
      },
    });
    const first = await w.runAction("asana.list_projects", { workspace: ACME });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options).toHaveLength(100);
    expect(first.output.options[0]).toEqual({ value: LAUNCH, label: "Launch" });
    expect(first.output.options.map((o: { label: string }) => o.label)).not.toContain("Old launch");
    expect(first.output.nextCursor).toEqual(expect.any(String));
    const second = await w.runAction("asana.list_projects", { workspace: ACME, cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.output.options).toHaveLength(20);
    expect(second.output.options.at(-1)).toEqual({ value: "1200000000000319", label: "Project 119" });
    expect(second.output.nextCursor).toBeUndefined();

    const calls = await w.simulator.apiCalls({ providerId: "asana" });
    expect(calls.map((c) => [c.method, c.apiPath, c.query])).toEqual([
      ["GET", "/workspaces", { limit: "100" }],
      ["GET", "/projects", { workspace: ACME, archived: "false", limit: "100" }],
      ["GET", "/projects", { workspace: ACME, archived: "false", limit: "100", offset: first.output.nextCursor }],
    ]);
    const bad = await w.runAction("asana.list_projects", { workspace: ACME, cursor: "not-a-token" });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { cursor: "Your pagination token is invalid." } } });
  });
});
