/**
 * The public API's authorization suite: every route of the route table, called with
 * every kind of key that must not work (and two that work, but only on their own
 * things). A route without an entry here fails the suite.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { API_KEY_SCOPES, generateApiKey, hashApiKey, type ApiKeyScope } from "../../lib/api-keys";
import { OPERATION_IDS, ROUTES, type OperationId } from "../../lib/public-api";
import { api } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { createOrg, createUser, setupBackend, type Backend } from "../test.helpers";
import { callApi, makeKey, type ApiRequest } from "./test.api";

type Fixture = {
  workflowId: Id<"workflows">;
  runId: Id<"workflowRuns">;
  correlationId: string;
  /** Public ids of two webhook endpoints: one to read and change, one that the delete route may remove. */
  endpointId: string;
  deletableEndpointId: string;
  /** An inbound event of the org's github connection. */
  eventId: Id<"inboundEvents">;
};
type Expected = { status: number; code?: string };

/**
 * Per route: a request for the org's own things, and what a key of another org, and a
 * key limited to another connection (slack; the things are github's), get for it.
 */
const SUITE: Record<OperationId, { request: (f: Fixture) => ApiRequest; otherOrg: Expected; otherConnection: Expected }> = {
  listConnections: {
    request: () => ({ method: "GET", path: "/v1/connections" }),
    // Lists answer, with only what the key may see (checked below).
    otherOrg: { status: 200 },
    otherConnection: { status: 200 },
  },
  getConnection: {
    request: () => ({ method: "GET", path: "/v1/connections/github" }),
    otherOrg: { status: 404, code: "not_found" },
    otherConnection: { status: 403, code: "connection_not_allowed" },
  },
  listActions: {
    request: () => ({ method: "GET", path: "/v1/actions" }),
    otherOrg: { status: 200 },
    otherConnection: { status: 200 },
  },
  runAction: {
    request: () => ({
      method: "POST",
      path: "/v1/actions/github.create_issue/run",
      body: { input: { repository: "acme/app", title: "From the suite" } },
    }),
    // The other org has no GitHub connection: its key gets past authorization to the step contract's answer.
    otherOrg: { status: 409, code: "not_connected" },
    otherConnection: { status: 403, code: "connection_not_allowed" },
  },
  startWorkflowRun: {
    request: (f) => ({ method: "POST", path: `/v1/workflows/${f.workflowId}/runs`, body: {} }),
    otherOrg: { status: 404, code: "not_found" },
    otherConnection: { status: 403, code: "connection_not_allowed" },
  },
  getWorkflowRun: {
    request: (f) => ({ method: "GET", path: `/v1/workflow-runs/${f.runId}` }),
    otherOrg: { status: 404, code: "not_found" },
    otherConnection: { status: 403, code: "connection_not_allowed" },
  },
  getCalls: {
    request: (f) => ({ method: "GET", path: `/v1/calls/${f.correlationId}` }),
    otherOrg: { status: 404, code: "not_found" },
    otherConnection: { status: 404, code: "not_found" },
  },
  listEvents: {
    request: () => ({ method: "GET", path: "/v1/events" }),
    // Lists answer, without the github event (checked below).
    otherOrg: { status: 200 },
    otherConnection: { status: 200 },
  },
  getEvent: {
    request: (f) => ({ method: "GET", path: `/v1/events/${f.eventId}` }),
    otherOrg: { status: 404, code: "not_found" },
    otherConnection: { status: 403, code: "connection_not_allowed" },
  },
  // Webhook endpoints belong to the org, not to a connection: a key limited to one reaches them.
  listWebhookEndpoints: {
    request: () => ({ method: "GET", path: "/v1/webhook-endpoints" }),
    otherOrg: { status: 200 },
    otherConnection: { status: 200 },
  },
  getWebhookEndpoint: {
    request: (f) => ({ method: "GET", path: `/v1/webhook-endpoints/${f.endpointId}` }),
    otherOrg: { status: 404, code: "not_found" },
    otherConnection: { status: 200 },
  },
  createWebhookEndpoint: {
    request: () => ({ method: "POST", path: "/v1/webhook-endpoints", body: { url: "https://hooks.example.com/made-by-the-suite" } }),
    // Created in the key's own org.
    otherOrg: { status: 201 },
    otherConnection: { status: 201 },
  },
  updateWebhookEndpoint: {
    request: (f) => ({ method: "PATCH", path: `/v1/webhook-endpoints/${f.endpointId}`, body: { description: "Changed by the suite" } }),
    otherOrg: { status: 404, code: "not_found" },
    otherConnection: { status: 200 },
  },
  deleteWebhookEndpoint: {
    request: (f) => ({ method: "DELETE", path: `/v1/webhook-endpoints/${f.deletableEndpointId}` }),
    // The other org's key runs after the limited one removed it: 404 either way, and never its own org's.
    otherOrg: { status: 404, code: "not_found" },
    otherConnection: { status: 200 },
  },
  rotateWebhookEndpointSecret: {
    request: (f) => ({ method: "POST", path: `/v1/webhook-endpoints/${f.endpointId}/rotate-secret` }),
    otherOrg: { status: 404, code: "not_found" },
    otherConnection: { status: 200 },
  },
  getOpenApiDocument: {
    request: () => ({ method: "GET", path: "/v1/openapi.json" }),
    otherOrg: { status: 200 },
    otherConnection: { status: 200 },
  },
};

const ALL_SCOPES = [...API_KEY_SCOPES];

let t: Backend;
let fixture: Fixture;
/** The keys of each case, by name. */
const keys: Record<string, string | null> = {};
const authorizations: Record<string, string> = {};

beforeAll(async () => {
  t = await setupBackend();
  const admin = await createUser(t, "admin@example.com");
  const otherAdmin = await createUser(t, "other@example.com");
  const orgId = await createOrg(t, "Acme", [{ user: admin, role: "owner" }]);
  const otherOrgId = await createOrg(t, "Other", [{ user: otherAdmin, role: "owner" }]);
  const stored = await t.run(async (ctx) => {
    await ctx.db.insert("connections", {
      orgId,
      providerId: "github",
      status: "connected",
      scopes: ["repo"],
      secrets: {},
      config: {},
      connectedAt: 1_700_000_000_000,
      connectedBy: admin.userId,
    });
    const connectionId = (await ctx.db.query("connections").withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", orgId).eq("providerId", "github")).unique())!._id;
    const eventId = await ctx.db.insert("inboundEvents", {
      orgId,
      providerId: "github",
      connectionId,
      type: "github.issues.opened",
      dedupeKey: "github:suite-delivery",
      deliveryId: "suite-delivery",
      verification: "GitHub (X-Hub-Signature-256)",
      headers: { "x-github-event": "issues", "x-hub-signature-256": "[REDACTED]" },
      payload: JSON.stringify({ action: "opened", issue: { title: "Suite workflow" } }),
      payloadBytes: 60,
      payloadTruncated: false,
      receivedAt: 1_700_000_000_000,
      status: "processed",
      attempts: 1,
      attemptLimit: 5,
      processedAt: 1_700_000_000_500,
    });
    const step = { key: "open", name: "Open", actionId: "github.create_issue", input: { repository: "acme/app", title: "x" } };
    const retry = { maxAttempts: 1, initialDelayMs: 1_000 };
    const workflowId = await ctx.db.insert("workflows", {
      orgId,
      name: "Suite workflow",
      trigger: { kind: "manual", sampleInput: {} },
      steps: [{ ...step, retry }],
      // Off: a key that gets through is refused with CONFLICT, and nothing runs.
      enabled: false,
      createdBy: admin.userId,
      updatedAt: 0,
    });
    const { input, ...rest } = step;
    const runId = await ctx.db.insert("workflowRuns", {
      orgId,
      workflowId,
      workflowName: "Suite workflow",
      status: "succeeded",
      trigger: { kind: "manual", input: {} },
      actor: { kind: "user", id: admin.userId },
      steps: [{ ...rest, inputTemplate: input, retry, status: "succeeded", attempts: 1 }],
      currentStep: 0,
      createdAt: 1_700_000_000_000,
      finishedAt: 1_700_000_001_000,
    });
    const correlationId = "call_suite";
    await ctx.db.insert("callLogs", {
      orgId,
      providerId: "github",
      correlationId,
      method: "GET",
      path: "/user",
      status: 200,
      outcome: "ok",
      latencyMs: 12,
      attempts: 1,
      at: 1_700_000_000_000,
      actor: { kind: "user", id: admin.userId },
      request: "GET /user",
    });
    return { workflowId, runId, correlationId, eventId };
  });
  fixture = { ...stored, endpointId: "", deletableEndpointId: "" };
  const endpoint = (description: string) =>
    admin.as.action(api.webhooks.outbound.endpoints.create, { orgId, url: "https://hooks.example.com/suite", description, filter: ["*"] });
  fixture.endpointId = (await endpoint("Suite endpoint")).publicId;
  fixture.deletableEndpointId = (await endpoint("Suite endpoint to delete")).publicId;

  const valid = (await makeKey(admin, orgId, { scopes: ALL_SCOPES })).key;
  keys.valid = valid;
  keys["no key"] = null;
  authorizations.malformed = "Bearer not-a-key";
  const last = valid.at(-1) === "A" ? "B" : "A";
  keys["bad checksum"] = `${valid.slice(0, -1)}${last}`;
  keys.unknown = generateApiKey();
  const revoked = await makeKey(admin, orgId, { scopes: ALL_SCOPES });
  await admin.as.mutation(api.apiKeys.keys.revoke, { orgId, keyId: revoked.id });
  keys.revoked = revoked.key;
  const expired = await makeKey(admin, orgId, { scopes: ALL_SCOPES, expiresAt: Date.now() + 60_000 });
  await t.run((ctx) => ctx.db.patch(expired.id, { expiresAt: Date.now() - 1 }));
  keys.expired = expired.key;
  const rotated = await makeKey(admin, orgId, { scopes: ALL_SCOPES });
  await admin.as.action(api.apiKeys.keys.rotate, { orgId, keyId: rotated.id, graceMs: 0 });
  keys["rotated past its grace"] = rotated.key;
  // Per scope, a key with every other one: the route's own is what it lacks.
  for (const scope of API_KEY_SCOPES) {
    keys[`missing ${scope}`] = (await makeKey(admin, orgId, { scopes: API_KEY_SCOPES.filter((other) => other !== scope) })).key;
  }
  keys["limited to another connection"] = (await makeKey(admin, orgId, { scopes: ALL_SCOPES, providerIds: ["slack"] })).key;
  keys["another org's key"] = (await makeKey(otherAdmin, otherOrgId, { scopes: ALL_SCOPES })).key;
});

const REFUSED: Record<string, Expected> = {
  "no key": { status: 401, code: "unauthenticated" },
  malformed: { status: 401, code: "malformed_key" },
  "bad checksum": { status: 401, code: "invalid_key_checksum" },
  unknown: { status: 401, code: "unknown_key" },
  revoked: { status: 401, code: "key_revoked" },
  expired: { status: 401, code: "key_expired" },
  "rotated past its grace": { status: 401, code: "key_rotated" },
  "missing scope": { status: 403, code: "insufficient_scope" },
};

describe("the public API's authorization", () => {
  test("every route of the table has an entry in this suite", () => {
    expect(Object.keys(SUITE).sort()).toEqual([...OPERATION_IDS].sort());
  });

  for (const operationId of OPERATION_IDS) {
    const spec = ROUTES[operationId];
    const entry = SUITE[operationId];
    describe(`${spec.method} ${spec.path}`, () => {
      for (const [kind, expected] of Object.entries(REFUSED)) {
        // The document is public: every caller reads it.
        const want = spec.scope === null ? { status: 200 } : expected;
        test(`${kind} → ${want.status}${want.code ? ` ${want.code}` : ""}`, async () => {
          const keyOf = kind === "missing scope" && spec.scope !== null ? `missing ${spec.scope satisfies ApiKeyScope}` : kind;
          const answer = await callApi(t, entry.request(fixture), keys[keyOf], authorizations[kind]);
          expect({ status: answer.status, code: answer.body?.code }).toEqual({ status: want.status, code: want.code });
          if (want.status >= 400) {
            expect(answer.headers.get("Content-Type")).toBe("application/problem+json");
            expect(answer.body).toMatchObject({ type: `urn:switchboard:problem:${want.code}`, status: want.status, title: expect.any(String), detail: expect.any(String) });
          }
          if (want.status === 401) expect(answer.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="switchboard"/);
        });
      }
      for (const [kind, expected] of [
        ["limited to another connection", entry.otherConnection],
        ["another org's key", entry.otherOrg],
      ] as const) {
        test(`${kind} → ${expected.status}${expected.code ? ` ${expected.code}` : ""}`, async () => {
          const answer = await callApi(t, entry.request(fixture), keys[kind]);
          expect({ status: answer.status, code: answer.body?.code }).toEqual({ status: expected.status, code: expected.code });
          // Whatever answers, nothing of the org's github things is in it.
          if (spec.scope !== null) expect(answer.text).not.toMatch(/"provider_id":"github"|call_suite|Suite workflow/);
          // Nor, for another org's key, anything of the org's webhook endpoints.
          if (kind === "another org's key") expect(answer.text).not.toMatch(new RegExp(`Suite endpoint|${fixture.endpointId}|${fixture.deletableEndpointId}`));
        });
      }
    });
  }

  test("the org's own valid key passes authorization on every route", async () => {
    for (const operationId of OPERATION_IDS) {
      const answer = await callApi(t, SUITE[operationId].request(fixture), keys.valid);
      expect([401, 403], `${operationId}: ${answer.text}`).not.toContain(answer.status);
    }
  });

  test("a key's hash is what is stored; the key is not", async () => {
    const stored = await t.run((ctx) => ctx.db.query("apiKeys").collect());
    const hashes = stored.map((row) => row.keyHash);
    expect(hashes).toContain(await hashApiKey(keys.valid!));
    expect(JSON.stringify(stored)).not.toContain(keys.valid!);
  });
});
