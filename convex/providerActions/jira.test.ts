/** Jira's actions through the step contract, against the simulator's Jira Cloud REST API v3. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
/** Every Jira call goes under the connected site's REST base. */
const SITE = "/ex/jira/sim-jira-account/rest/api/3";

describe("jira actions", () => {
  test("create_issue posts the fields with an ADF description under the site's base and answers id, key and url", async () => {
    const w = await setup(simulatorUrl, "jira");
    expect((await w.connection()).config.cloudId).toBe("sim-jira-account");
    const result = await w.runAction("jira.create_issue", {
      project: "OPS",
      issueType: "10002",
      summary: "Checkout fails for EU cards",
      description: "Seen since 1.4.\n\nSteps:\n1. Pay with a EU card",
    });
    expect(result).toEqual({
      ok: true,
      output: { id: "10100", key: "OPS-1", url: `${simulatorUrl}/jira${SITE}/issue/10100` },
      correlationId: expect.any(String),
    });
    const [sent] = await w.simulator.apiCalls({ providerId: "jira", apiPath: `${SITE}/issue` });
    expect(sent).toMatchObject({
      method: "POST",
      body: {
        fields: {
          project: { key: "OPS" },
          issuetype: { id: "10002" },
          summary: "Checkout fails for EU cards",
          description: {
            type: "doc",
            version: 1,
            content: [
              { type: "paragraph", content: [{ type: "text", text: "Seen since 1.4." }] },
              { type: "paragraph", content: [{ type: "text", text: "Steps:" }, { type: "hardBreak" }, { type: "text", text: "1. Pay with a EU card" }] },
            ],
          },
        },
      },
    });
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(sent!.headers.accept).toBe("application/json");
    expect(sent!.headers.authorization).toBeUndefined();
  });

  test("a comment and a transition chosen from the issue's transitions", async () => {
    const w = await setup(simulatorUrl, "jira");
    const issue = await w.runAction("jira.create_issue", { project: "10000", issueType: "10001", summary: "Rotate keys" });
    if (!issue.ok) throw new Error(issue.error.message);
    const comment = await w.runAction("jira.comment_on_issue", { issue: "ops-1", body: "Started.\nETA Friday." });
    expect(comment).toMatchObject({ ok: true, output: { id: "10500" } });

    const transitions = await w.runAction("jira.list_transitions", { issue: issue.output.key });
    expect(transitions).toMatchObject({
      ok: true,
      output: {
        options: [
          { value: "21", label: "Start progress", hint: "→ In Progress" },
          { value: "31", label: "Done", hint: "→ Done" },
        ],
      },
    });
    expect(await w.runAction("jira.transition_issue", { issue: "OPS-1", transition: "31" })).toMatchObject({ ok: true, output: { transitioned: true } });
    const after = await w.runAction("jira.list_transitions", { issue: "OPS-1" });
    expect(after).toMatchObject({ ok: true, output: { options: [{ value: "41", label: "Reopen", hint: "→ To Do" }] } });

    const calls = await w.simulator.apiCalls({ providerId: "jira" });
    expect(calls.map((c) => [c.method, c.apiPath, c.body])).toEqual([
      ["POST", `${SITE}/issue`, { fields: { project: { id: "10000" }, issuetype: { id: "10001" }, summary: "Rotate keys" } }],
      [
        "POST",
        `${SITE}/issue/OPS-1/comment`,
        {
          body: {
            type: "doc",
            version: 1,
            content: [{ type: "paragraph", content: [{ type: "text", text: "Started." }, { type: "hardBreak" }, { type: "text", text: "ETA Friday." }] }],
          },
        },
      ],
      ["GET", `${SITE}/issue/OPS-1/transitions`, null],
      ["POST", `${SITE}/issue/OPS-1/transitions`, { transition: { id: "31" } }],
      ["GET", `${SITE}/issue/OPS-1/transitions`, null],
    ]);
  });

  test("Jira's errors become typed errors with the form's field at fault", async () => {
    const w = await setup(simulatorUrl, "jira");
    // Task is not one of the Platform project's issue types.
    const wrongType = await w.runAction("jira.create_issue", { project: "PLAT", issueType: "10001", summary: "x" });
    expect(wrongType).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 400, retryable: false, fields: { issueType: "Specify a valid issue type" } },
    });
    const subtask = await w.runAction("jira.create_issue", { project: "OPS", issueType: "10003", summary: "x" });
    expect(subtask).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { issueType: expect.stringMatching(/parent/) } } });
    const noProject = await w.runAction("jira.create_issue", { project: "NOPE", issueType: "10001", summary: "x" });
    expect(noProject).toMatchObject({ ok: false, error: { fields: { project: "Specify a valid project ID or key" } } });

    const missing = await w.runAction("jira.comment_on_issue", { issue: "OPS-99", body: "hello" });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 404, fields: { issue: "Issue does not exist or you do not have permission to see it." } },
    });
    const created = await w.runAction("jira.create_issue", { project: "OPS", issueType: "10001", summary: "y" });
    if (!created.ok) throw new Error(created.error.message);
    const invalid = await w.runAction("jira.transition_issue", { issue: created.output.key, transition: "41" });
    expect(invalid).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 400, message: "Jira refused the input: Transition id '41' is not valid for this issue." },
    });
    const unknownProject = await w.runAction("jira.list_issue_types", { project: "NOPE" });
    expect(unknownProject).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { project: "No project could be found with key 'NOPE'." } } });
  });

  test("a 429 is rate_limited with Jira's Retry-After, and nothing is sent twice", async () => {
    const w = await setup(simulatorUrl, "jira");
    await w.simulator.failNext("jira", "api", { kind: "rate_limit", retryAfterSeconds: 30 });
    const limited = await w.runAction("jira.create_issue", { project: "OPS", issueType: "10001", summary: "x" });
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryable: true, retryAfterMs: 30_000, status: 429 } });
    expect(await w.simulator.apiCalls({ providerId: "jira" })).toHaveLength(1);
  });

  test("lookups page with startAt/maxResults: projects the user can create in, and a project's issue types", async () => {
    const w = await setup(simulatorUrl, "jira");
    const first = await w.runAction("jira.list_projects", {});
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options).toHaveLength(50);
    expect(first.output.options.slice(0, 3)).toEqual([
      { value: "10000", label: "Operations", hint: "OPS" },
      { value: "10001", label: "Platform", hint: "PLAT" },
      { value: "10003", label: "Team 01", hint: "T1" },
    ]);
    expect(first.output.nextCursor).toBe("50");
    const second = await w.runAction("jira.list_projects", { cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    // 60 projects, one the user cannot create issues in.
    expect(second.output.options).toHaveLength(9);
    expect(second.output.nextCursor).toBeUndefined();
    const calls = await w.simulator.apiCalls({ providerId: "jira", apiPath: `${SITE}/project/search` });
    expect(calls.map((c) => c.query)).toEqual([
      { action: "create", orderBy: "name", startAt: "0", maxResults: "50" },
      { action: "create", orderBy: "name", startAt: "50", maxResults: "50" },
    ]);

    const types = await w.runAction("jira.list_issue_types", { project: "PLAT" });
    if (!types.ok) throw new Error(types.error.message);
    expect(types.output.options).toHaveLength(50);
    expect(types.output.options[0]).toEqual({ value: "20001", label: "Platform type 1" });
    const more = await w.runAction("jira.list_issue_types", { project: "PLAT", cursor: types.output.nextCursor });
    expect(more).toMatchObject({ ok: true, output: { options: expect.arrayContaining([{ value: "20055", label: "Platform type 55" }]) } });
    expect(more.ok && more.output.options).toHaveLength(5);
    expect(more.ok && more.output.nextCursor).toBeUndefined();
    const ops = await w.runAction("jira.list_issue_types", { project: "OPS" });
    // The sub-task type needs a parent, which create_issue does not take.
    expect(ops).toMatchObject({
      ok: true,
      output: {
        options: [
          { value: "10001", label: "Task", hint: "A small, distinct piece of work." },
          { value: "10002", label: "Bug" },
        ],
      },
    });
    const typeCalls = await w.simulator.apiCalls({ providerId: "jira", apiPath: `${SITE}/issue/createmeta/PLAT/issuetypes` });
    expect(typeCalls.map((c) => c.query)).toEqual([
      { startAt: "0", maxResults: "50" },
      { startAt: "50", maxResults: "50" },
    ]);
  });
});
