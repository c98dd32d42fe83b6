/** Linear's actions through the step contract, against the simulator's Linear GraphQL API. */
import { describe, expect, inject, test } from "vitest";
import { COMMENT_CREATE, ISSUE_CREATE, TEAMS } from "../../lib/actions/providers/linear";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const ENGINEERING = "4b0c3f5e-8f1a-4c2b-9d3e-5f6a7b8c9d0e";
const ADA = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

describe("linear actions", () => {
  test("create_issue sends issueCreate with its variables and answers id, identifier and url", async () => {
    const w = await setup(simulatorUrl, "linear");
    const result = await w.runAction("linear.create_issue", { teamId: ENGINEERING, title: "Checkout fails", description: "On Safari", priority: 2, assigneeId: ADA });
    expect(result).toMatchObject({
      ok: true,
      output: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), identifier: "ENG-2", url: "https://linear.app/sim-org/issue/ENG-2/checkout-fails" },
    });
    const [sent] = await w.simulator.apiCalls({ providerId: "linear", apiPath: "/graphql" });
    expect(sent).toMatchObject({
      method: "POST",
      body: { query: ISSUE_CREATE, variables: { input: { teamId: ENGINEERING, title: "Checkout fails", description: "On Safari", priority: 2, assigneeId: ADA } } },
    });
    expect(sent!.headers["content-type"]).toBe("application/json");
  });

  test("comment_on_issue comments by identifier; an unknown issue is invalid input on issueId", async () => {
    const w = await setup(simulatorUrl, "linear");
    const result = await w.runAction("linear.comment_on_issue", { issueId: "ENG-1", body: "Fixed in 1.4" });
    expect(result).toMatchObject({ ok: true, output: { id: expect.any(String), url: expect.stringMatching(/\/issue\/ENG-1\/existing-issue#comment-/) } });
    const [sent] = await w.simulator.apiCalls({ providerId: "linear" });
    expect(sent!.body).toEqual({ query: COMMENT_CREATE, variables: { input: { issueId: "ENG-1", body: "Fixed in 1.4" } } });
    const missing = await w.runAction("linear.comment_on_issue", { issueId: "ENG-999", body: "x" });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: "invalid_input", providerCode: "INVALID_INPUT", status: 400, fields: { issueId: "Entity not found: Issue" } },
    });
  });

  test("Linear's GraphQL errors: an unknown team, a missing scope, a spent rate budget", async () => {
    const w = await setup(simulatorUrl, "linear");
    const noTeam = await w.runAction("linear.create_issue", { teamId: "00000000-0000-4000-8000-999999999999", title: "x" });
    expect(noTeam).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { teamId: "Entity not found: Team" } } });
    const noUser = await w.runAction("linear.create_issue", { teamId: ENGINEERING, title: "x", assigneeId: "00000000-0000-4000-8000-999999999999" });
    expect(noUser).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { assigneeId: "Entity not found: User" } } });

    const resetAt = Date.now() + 40_000;
    await w.simulator.patchWorld("linear", { rateLimit: { limit: 1500, remaining: 0, resetAt } });
    const limited = await w.runAction("linear.create_issue", { teamId: ENGINEERING, title: "x" });
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryable: true, providerCode: "RATELIMITED" } });
    const wait = !limited.ok ? limited.error.retryAfterMs! : 0;
    expect(wait).toBeGreaterThan(30_000);
    expect(wait).toBeLessThanOrEqual(40_000);
  });

  test("a connection granted neither write nor comments:create is refused before anything is sent", async () => {
    const w = await setup(simulatorUrl, "linear");
    // The catalog's default grant has write: take it away from the stored connection.
    const row = await w.connection();
    await w.t.run((ctx) => ctx.db.patch(row._id, { scopes: ["read", "issues:create"] }));
    const teams = await w.runAction("linear.list_teams", {});
    expect(teams.ok).toBe(true);
    const refused = await w.runAction("linear.comment_on_issue", { issueId: "ENG-1", body: "x" });
    expect(refused).toMatchObject({ ok: false, error: { code: "missing_scope", message: expect.stringMatching(/grant write/) } });
    expect(await w.simulator.apiCalls({ providerId: "linear" })).toHaveLength(1);
  });

  test("list_teams pages through 60 teams, 50 at a time, with Linear's cursors", async () => {
    const w = await setup(simulatorUrl, "linear");
    const first = await w.runAction("linear.list_teams", {});
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options).toHaveLength(50);
    expect(first.output.options[0]).toEqual({ value: ENGINEERING, label: "Engineering", hint: "ENG" });
    expect(first.output.nextCursor).toEqual(expect.any(String));
    const second = await w.runAction("linear.list_teams", { cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.output.options).toHaveLength(10);
    expect(second.output.options.at(-1)).toEqual({ value: "00000000-0000-4000-8000-000000000060", label: "Team 60", hint: "T60" });
    expect(second.output.nextCursor).toBeUndefined();
    const calls = await w.simulator.apiCalls({ providerId: "linear", apiPath: "/graphql" });
    expect(calls.map((c) => c.body)).toEqual([
      { query: TEAMS, variables: { first: 50 } },
      { query: TEAMS, variables: { first: 50, after: first.output.nextCursor } },
    ]);
    const bad = await w.runAction("linear.list_teams", { cursor: "bogus" });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { cursor: "after is not a valid cursor." } } });
  });
});
