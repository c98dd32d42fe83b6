/**
 * The authorization matrix: every public function of the deployment, called by every
 * kind of caller. A public function without an entry here fails the suite, so nothing
 * ships without saying who may call it.
 */
import { makeFunctionReference } from "convex/server";
import { describe, expect, test } from "vitest";
import type { Id } from "./_generated/dataModel";
import { createOrg, createUser, setupBackend, type Backend } from "./test.helpers";
import { modules } from "./test.setup";

type Level = "anonymous" | "user" | "member" | "admin" | "owner";
type Kind = "query" | "mutation" | "action";
type Fixture = {
  orgId: Id<"organizations">;
  memberMembershipId: Id<"memberships">;
  workflowId: Id<"workflows">;
  runId: Id<"workflowRuns">;
  endpointId: Id<"webhookEndpoints">;
  messageId: Id<"webhookMessages">;
  apiKeyId: Id<"apiKeys">;
  inboundEndpointId: Id<"inboundEndpoints">;
  inboundEventId: Id<"inboundEvents">;
};
type Entry =
  | { minimum: Level; args: (f: Fixture) => Record<string, unknown> }
  | { skip: string };

const org = (f: Fixture) => ({ orgId: f.orgId });

const MATRIX_STEP = { key: "post", name: "Post", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "hi" } };
const MATRIX_WORKFLOW = { name: "Matrix workflow", trigger: { kind: "manual" }, steps: [MATRIX_STEP] };

/** Who may call what. The key is the function path, as clients name it. */
const MATRIX: Record<string, Entry> = {
  "auth:signIn": { skip: "Convex Auth's sign-in entry point; covered by users/auth.test.ts" },
  "auth:signOut": { skip: "Convex Auth's sign-out; a no-op for anonymous callers by design" },
  "auth:isAuthenticated": { minimum: "anonymous", args: () => ({}) },
  "users/viewer:get": { minimum: "anonymous", args: () => ({}) },
  "orgs/organizations:create": { minimum: "user", args: () => ({ name: "Matrix Org" }) },
  "orgs/organizations:listMine": { minimum: "user", args: () => ({}) },
  "orgs/organizations:getBySlug": { minimum: "user", args: () => ({ slug: "acme" }) },
  "orgs/settings:rename": { minimum: "owner", args: (f) => ({ ...org(f), name: "Acme Renamed" }) },
  "orgs/settings:changeSlug": { minimum: "owner", args: (f) => ({ ...org(f), slug: "acme-moved" }) },
  // A wrong name: an owner gets past authorization to INVALID_INPUT, and nothing is deleted.
  "orgs/deletion:remove": { minimum: "owner", args: (f) => ({ ...org(f), confirmName: "Not Acme" }) },
  "orgs/members:list": {
    minimum: "member",
    args: (f) => ({ ...org(f), paginationOpts: { numItems: 10, cursor: null } }),
  },
  "orgs/members:canLeave": { minimum: "member", args: org },
  "orgs/members:add": {
    minimum: "admin",
    args: (f) => ({ ...org(f), email: "newcomer@example.com", role: "member" }),
  },
  "orgs/members:changeRole": {
    minimum: "admin",
    args: (f) => ({ ...org(f), membershipId: f.memberMembershipId, role: "admin" }),
  },
  "orgs/members:remove": { minimum: "admin", args: (f) => ({ ...org(f), membershipId: f.memberMembershipId }) },
  "orgs/members:leave": { minimum: "member", args: org },
  "integrations/connections:list": { minimum: "member", args: org },
  "integrations/details:get": { minimum: "member", args: (f) => ({ ...org(f), providerId: "github" }) },
  "audit/events:list": {
    minimum: "member",
    args: (f) => ({ ...org(f), paginationOpts: { numItems: 10, cursor: null } }),
  },
  "integrations/connections:test": { minimum: "admin", args: (f) => ({ ...org(f), providerId: "github" }) },
  "integrations/connections:disconnect": { minimum: "admin", args: (f) => ({ ...org(f), providerId: "github" }) },
  "integrations/credentials:connect": {
    minimum: "admin",
    args: (f) => ({ ...org(f), providerId: "wordpress", values: {} }),
  },
  "integrations/oauth:start": {
    minimum: "admin",
    args: (f) => ({ ...org(f), providerId: "github", mode: "redirect", returnTo: "/o/acme/settings/integrations" }),
  },
  "integrations/oauth:complete": { minimum: "user", args: () => ({ providerId: "github", state: "unknown" }) },
  "calls/logs:listForProvider": {
    minimum: "member",
    args: (f) => ({ ...org(f), providerId: "github", paginationOpts: { numItems: 10, cursor: null } }),
  },
  "calls/logs:byCorrelationId": { minimum: "admin", args: (f) => ({ ...org(f), correlationId: "call_matrix" }) },
  // Nothing is connected in the matrix's org: an admin gets past authorization to NOT_CONNECTED.
  "providerActions/catalog:forProvider": { minimum: "member", args: (f) => ({ ...org(f), providerId: "slack" }) },
  "providerActions/catalog:available": { minimum: "member", args: org },
  // Nothing is connected: an admin gets past authorization to a not_connected result.
  "providerActions/tryIt:run": {
    minimum: "admin",
    args: (f) => ({ ...org(f), actionId: "slack.post_message", input: { channel: "C1", text: "x" } }),
  },
  "providerActions/tryIt:lookup": { minimum: "admin", args: (f) => ({ ...org(f), actionId: "slack.list_channels", input: {} }) },
  "calls/testRequest:send": {
    minimum: "admin",
    args: (f) => ({ ...org(f), providerId: "github", method: "GET", path: "/user" }),
  },
  "workflows/definitions:list": { minimum: "member", args: org },
  "workflows/definitions:get": { minimum: "member", args: (f) => ({ ...org(f), workflowId: f.workflowId }) },
  "workflows/definitions:create": { minimum: "admin", args: (f) => ({ ...org(f), definition: MATRIX_WORKFLOW }) },
  "workflows/definitions:update": {
    minimum: "admin",
    args: (f) => ({ ...org(f), workflowId: f.workflowId, definition: MATRIX_WORKFLOW }),
  },
  "workflows/definitions:setEnabled": { minimum: "admin", args: (f) => ({ ...org(f), workflowId: f.workflowId, enabled: false }) },
  "workflows/definitions:remove": { minimum: "admin", args: (f) => ({ ...org(f), workflowId: f.workflowId }) },
  "workflows/runs:list": {
    minimum: "member",
    args: (f) => ({ ...org(f), workflowId: f.workflowId, paginationOpts: { numItems: 10, cursor: null } }),
  },
  "workflows/runs:get": { minimum: "member", args: (f) => ({ ...org(f), runId: f.runId }) },
  // The fixture's workflow is turned off: an admin gets past authorization to CONFLICT, and nothing runs.
  "workflows/runs:start": { minimum: "admin", args: (f) => ({ ...org(f), workflowId: f.workflowId }) },
  "workflows/runs:cancel": { minimum: "admin", args: (f) => ({ ...org(f), runId: f.runId }) },
  // Nothing is connected: an admin gets past authorization to a not_connected result.
  "workflows/runs:testStep": { minimum: "admin", args: (f) => ({ ...org(f), workflowId: f.workflowId, stepKey: "post" }) },
  "webhooks/outbound/endpoints:list": { minimum: "member", args: org },
  "webhooks/outbound/endpoints:create": {
    minimum: "admin",
    args: (f) => ({ ...org(f), url: "https://hooks.example.com/matrix", description: "", filter: ["*"] }),
  },
  "webhooks/outbound/endpoints:update": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.endpointId, description: "x" }) },
  "webhooks/outbound/endpoints:setEnabled": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.endpointId, enabled: false }) },
  "webhooks/outbound/endpoints:remove": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.endpointId }) },
  "webhooks/outbound/endpoints:rotateSecret": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.endpointId }) },
  // The fixture's endpoint is turned off: an admin gets past authorization to CONFLICT, and nothing is sent.
  "webhooks/outbound/endpoints:sendTest": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.endpointId }) },
  "webhooks/outbound/deliveries:listMessages": {
    minimum: "member",
    args: (f) => ({ ...org(f), endpointId: f.endpointId, paginationOpts: { numItems: 10, cursor: null } }),
  },
  "webhooks/outbound/deliveries:replay": { minimum: "admin", args: (f) => ({ ...org(f), messageId: f.messageId }) },
  "webhooks/outbound/deliveries:recover": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.endpointId, since: 0 }) },
  "webhooks/inbound/endpoints:list": { minimum: "member", args: org },
  "webhooks/inbound/endpoints:setup": { minimum: "member", args: (f) => ({ ...org(f), providerId: "slack" }) },
  "webhooks/inbound/endpoints:create": { minimum: "admin", args: (f) => ({ ...org(f), providerId: "custom-webhook", description: "Matrix sender" }) },
  // No token waiting: an admin gets past authorization to CONFLICT.
  "webhooks/inbound/endpoints:revealVerificationToken": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.inboundEndpointId }) },
  "webhooks/inbound/endpoints:rotateSecret": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.inboundEndpointId }) },
  "webhooks/inbound/endpoints:remove": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.inboundEndpointId }) },
  // No GitHub connection in the fixture: an admin gets past authorization to NOT_CONNECTED.
  "webhooks/inbound/subscriptions:subscribe": { minimum: "admin", args: (f) => ({ ...org(f), providerId: "github", resource: "octo-org/app" }) },
  // A pasted endpoint, not a subscription: an admin gets past authorization to CONFLICT.
  "webhooks/inbound/subscriptions:unsubscribe": { minimum: "admin", args: (f) => ({ ...org(f), endpointId: f.inboundEndpointId }) },
  "webhooks/inbound/events:list": { minimum: "member", args: (f) => ({ ...org(f), filter: {}, paginationOpts: { numItems: 10, cursor: null } }) },
  "webhooks/inbound/events:get": { minimum: "member", args: (f) => ({ ...org(f), eventId: f.inboundEventId }) },
  "webhooks/inbound/events:replay": { minimum: "admin", args: (f) => ({ ...org(f), eventId: f.inboundEventId }) },
  "apiKeys/keys:list": { minimum: "member", args: org },
  "apiKeys/keys:create": { minimum: "admin", args: (f) => ({ ...org(f), name: "Matrix key", scopes: ["connections:read"] }) },
  "apiKeys/keys:rotate": { minimum: "admin", args: (f) => ({ ...org(f), keyId: f.apiKeyId }) },
  "apiKeys/keys:revoke": { minimum: "admin", args: (f) => ({ ...org(f), keyId: f.apiKeyId }) },
  "apiKeys/usage:forKey": { minimum: "member", args: (f) => ({ ...org(f), keyId: f.apiKeyId }) },
};

const RANK: Record<Level, number> = { anonymous: 0, user: 1, member: 2, admin: 3, owner: 4 };

/** Callers, and the level each has in the org under test. */
const CALLERS = {
  anonymous: "anonymous",
  "signed-in stranger": "user",
  "other org's admin": "user",
  member: "member",
  admin: "admin",
  owner: "owner",
} as const satisfies Record<string, Level>;

type RegisteredFn = { isPublic?: boolean; isQuery?: boolean; isMutation?: boolean; isAction?: boolean };

async function publicFunctions(): Promise<Array<{ path: string; kind: Kind }>> {
  const found: Array<{ path: string; kind: Kind }> = [];
  for (const [file, load] of Object.entries(modules)) {
    if (file.includes("_generated") || !/\.(ts|js)$/.test(file)) continue;
    const mod = (await load()) as Record<string, RegisteredFn>;
    const modulePath = file.replace(/^\.\//, "").replace(/\.(ts|js)$/, "");
    for (const [name, fn] of Object.entries(mod)) {
      if (!fn || typeof fn !== "function" && typeof fn !== "object") continue;
      if (!fn.isPublic) continue;
      const kind: Kind | null = fn.isQuery ? "query" : fn.isMutation ? "mutation" : fn.isAction ? "action" : null;
      if (kind) found.push({ path: `${modulePath}:${name}`, kind });
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

async function world(t: Backend) {
  const owner = await createUser(t, "owner@example.com");
  const admin = await createUser(t, "admin@example.com");
  const member = await createUser(t, "member@example.com");
  const stranger = await createUser(t, "stranger@example.com");
  const otherAdmin = await createUser(t, "other-admin@example.com");
  await createUser(t, "newcomer@example.com");
  const orgId = await createOrg(t, "Acme", [
    { user: owner, role: "owner" },
    { user: admin, role: "admin" },
    { user: member, role: "member" },
  ]);
  await createOrg(t, "Other", [{ user: otherAdmin, role: "admin" }]);
  const memberMembershipId = (await t.run((ctx) =>
    ctx.db
      .query("memberships")
      .withIndex("by_orgId_and_userId", (q) => q.eq("orgId", orgId).eq("userId", member.userId))
      .unique(),
  ))!._id;
  const { workflowId, runId, apiKeyId } = await t.run(async (ctx) => {
    const retry = { maxAttempts: 3, initialDelayMs: 5_000 };
    const workflowId = await ctx.db.insert("workflows", {
      orgId,
      name: "Matrix workflow",
      trigger: { kind: "manual", sampleInput: {} },
      steps: [{ ...MATRIX_STEP, retry }],
      enabled: false,
      createdBy: owner.userId,
      updatedAt: 0,
    });
    const { input, ...step } = MATRIX_STEP;
    const runId = await ctx.db.insert("workflowRuns", {
      orgId,
      workflowId,
      workflowName: "Matrix workflow",
      status: "running",
      trigger: { kind: "manual", input: {} },
      actor: { kind: "user", id: owner.userId },
      steps: [{ ...step, inputTemplate: input, retry, status: "running", attempts: 0 }],
      currentStep: 0,
      createdAt: 0,
    });
    const apiKeyId = await ctx.db.insert("apiKeys", {
      orgId,
      name: "Matrix key",
      keyHash: "0".repeat(64),
      prefix: "sbk_abcd",
      lastFour: "wxyz",
      scopes: ["connections:read"],
      rateLimitPerMinute: 60,
      createdBy: owner.userId,
      createdAt: 0,
    });
    return { workflowId, runId, apiKeyId };
  });
  const { endpointId, messageId } = await t.run(async (ctx) => {
    const endpointId = await ctx.db.insert("webhookEndpoints", {
      orgId,
      publicId: "ep_matrix",
      url: "https://hooks.example.com/matrix",
      description: "",
      filter: ["*"],
      enabled: false,
      disabled: { reason: "manual", at: 0 },
      secret: { ciphertext: "not-a-real-ciphertext", version: 1 },
      createdAt: 0,
    });
    const messageId = await ctx.db.insert("webhookMessages", {
      orgId,
      endpointId,
      eventType: "endpoint.test",
      body: "{}",
      status: "failed",
      attempts: 8,
    });
    return { endpointId, messageId };
  });
  const { inboundEndpointId, inboundEventId } = await t.run(async (ctx) => {
    const inboundEndpointId = await ctx.db.insert("inboundEndpoints", {
      orgId,
      publicId: "ie_matrixmatrixmatrixmatr",
      providerId: "custom-webhook",
      scheme: "standard_webhooks",
      description: "Matrix sender",
      state: "active",
      secret: { ciphertext: "not-a-real-ciphertext", version: 1 },
      failedVerifications: 0,
      createdAt: 0,
    });
    const inboundEventId = await ctx.db.insert("inboundEvents", {
      orgId,
      providerId: "custom-webhook",
      endpointId: inboundEndpointId,
      type: "webhook.matrix",
      dedupeKey: "standard_webhooks:id:matrix",
      verification: "Standard Webhooks",
      headers: {},
      payload: "{}",
      payloadBytes: 2,
      payloadTruncated: false,
      receivedAt: 0,
      status: "dead",
      attempts: 5,
      attemptLimit: 5,
    });
    return { inboundEndpointId, inboundEventId };
  });
  const clients = {
    anonymous: t,
    "signed-in stranger": stranger.as,
    "other org's admin": otherAdmin.as,
    member: member.as,
    admin: admin.as,
    owner: owner.as,
  };
  return { fixture: { orgId, memberMembershipId, workflowId, runId, endpointId, messageId, apiKeyId, inboundEndpointId, inboundEventId }, clients };
}

async function call(client: Backend | ReturnType<Backend["withIdentity"]>, kind: Kind, path: string, args: object) {
  try {
    if (kind === "query") await client.query(makeFunctionReference<"query">(path), args);
    else if (kind === "mutation") await client.mutation(makeFunctionReference<"mutation">(path), args);
    else await client.action(makeFunctionReference<"action">(path), args);
    return "allowed";
  } catch (error) {
    const code = (error as { data?: { code?: string } }).data?.code;
    // An uncoded error (bad arguments, a crash) is a broken matrix entry, not a verdict.
    if (code === undefined) throw error;
    // Domain errors (LAST_OWNER, ALREADY_MEMBER, …) mean the caller got past authorization.
    return code === "UNAUTHENTICATED" || code === "FORBIDDEN" ? code : "allowed";
  }
}

describe("authorization matrix", async () => {
  const functions = await publicFunctions();

  test("every public function has an entry, and every entry is a public function", () => {
    const paths = functions.map((f) => f.path);
    expect(paths.filter((p) => !(p in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((p) => !paths.includes(p))).toEqual([]);
  });

  for (const { path, kind } of functions) {
    const entry = MATRIX[path];
    if (!entry || "skip" in entry) continue;
    for (const [caller, level] of Object.entries(CALLERS)) {
      const allowed = RANK[level] >= RANK[entry.minimum];
      const expected = allowed ? "allowed" : level === "anonymous" ? "UNAUTHENTICATED" : "FORBIDDEN";
      test(`${path} called by ${caller} is ${expected}`, async () => {
        const t = await setupBackend();
        const { fixture, clients } = await world(t);
        expect(await call(clients[caller as keyof typeof clients], kind, path, entry.args(fixture))).toBe(expected);
      });
    }
  }
});
