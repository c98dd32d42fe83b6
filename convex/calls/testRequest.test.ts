/** The admin's Test dialog: zod-checked input, the pipeline, and an answer with no secret in it. */
import { describe, expect, inject, test } from "vitest";
import { api } from "../_generated/api";
import { createOrg, createUser, errorOf } from "../test.helpers";
import { worldPerTest } from "./test.world";

const simulatorUrl = inject("simulatorUrl");
const setupWorld = worldPerTest();
const setup = () => setupWorld(simulatorUrl, "github", { lifetimeSeconds: 3600 });

describe("testRequest.send", () => {
  test("an admin's request goes through the pipeline and answers with its correlation id", async () => {
    const w = await setup();
    const answer = await w.admin.as.action(api.calls.testRequest.send, {
      orgId: w.orgId,
      providerId: "github",
      method: "POST",
      path: "/repos/acme/app/issues",
      query: { dry_run: "1" },
      headers: { "X-Trace": "t1" },
      body: JSON.stringify({ title: "Hello" }),
    });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer).sort()).toEqual(["body", "correlationId", "headers", "latencyMs", "status"]);
    expect(JSON.parse(answer.body)).toMatchObject({ method: "POST", body: { title: "Hello" }, query: { dry_run: "1" } });
    const [found] = await w.admin.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId: answer.correlationId });
    expect(found).toMatchObject({ method: "POST", status: 200, actor: "admin@example.com", outcome: "ok" });
  });

  test("the answer never carries the connection's own secrets", async () => {
    const w = await setup();
    const [keys] = await w.simulator.apiKeyCredentials("trello");
    await w.admin.as.action(api.integrations.credentials.connect, { orgId: w.orgId, providerId: "trello", values: keys! });
    // The simulator echoes the query, where Trello's key and token ride (on a path its
    // Trello module does not play: boards and lists are answered as Trello does).
    const answer = await w.admin.as.action(api.calls.testRequest.send, {
      orgId: w.orgId,
      providerId: "trello",
      method: "GET",
      path: "/1/members/me/cards",
    });
    expect(answer.status).toBe(200);
    // The token is the secret; Trello's API key identifies the app and is stored as plain config.
    expect(answer.body).not.toContain(keys!.token);
    expect(JSON.parse(answer.body).query.token).toBe("[REDACTED]");
  });

  test.each([
    [{ method: "TRACE" }, "method"],
    [{ path: "https://evil.example/x" }, "path"],
    [{ path: "" }, "path"],
    [{ headers: { Authorization: "Bearer mine" } }, "headers"],
    [{ headers: { Cookie: "a=b" } }, "headers"],
    [{ method: "POST", body: "{not json" }, "body"],
    [{ method: "GET", body: "{}" }, "body"],
    [{ providerId: "nope" }, "providerId"],
  ])("%j is INVALID_INPUT on %s, and nothing is sent", async (overrides, field) => {
    const w = await setup();
    const before = await w.simulator.requestCount({});
    const error = await errorOf(
      w.admin.as.action(api.calls.testRequest.send, { orgId: w.orgId, providerId: "github", method: "GET", path: "/user", ...overrides }),
    );
    expect(error).toMatchObject({ code: "INVALID_INPUT", field });
    expect(await w.simulator.requestCount({})).toBe(before);
  });

  test("members and other orgs' admins cannot send", async () => {
    const w = await setup();
    const outsider = await createUser(w.t, "outsider@example.com");
    await createOrg(w.t, "Other", [{ user: outsider, role: "admin" }]);
    const args = { orgId: w.orgId, providerId: "github", method: "GET", path: "/user" };
    expect((await errorOf(w.member.as.action(api.calls.testRequest.send, args))).code).toBe("FORBIDDEN");
    expect((await errorOf(outsider.as.action(api.calls.testRequest.send, args))).code).toBe("FORBIDDEN");
    expect((await errorOf(w.t.action(api.calls.testRequest.send, args))).code).toBe("UNAUTHENTICATED");
    expect(await w.logs()).toEqual([]);
  });

  test("a refused URL is a coded error naming its correlation id", async () => {
    const w = await setup();
    const error = await errorOf(
      w.admin.as.action(api.calls.testRequest.send, { orgId: w.orgId, providerId: "github", method: "GET", path: "/../../x" }),
    );
    expect(error.code).toBe("UNSAFE_URL");
    const correlationId = (error as { correlationId?: string }).correlationId!;
    expect(error.message).toContain(correlationId);
    expect(await w.admin.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId })).toHaveLength(1);
  });
});
