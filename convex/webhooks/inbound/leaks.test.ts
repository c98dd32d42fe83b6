/**
 * Every scheme through the real route, sent by the provider simulator over HTTP: one
 * valid delivery each is accepted, and each one-thing-broken copy (tampered body, wrong
 * secret, stale timestamp, missing signature, where the scheme has that thing) is
 * refused. Then, after the suite, a scan: no endpoint secret, handshake secret, app-level
 * secret or verification token is in any table or in anything logged.
 */
import { afterAll, beforeAll, describe, expect, inject, test, vi } from "vitest";
import { SIM_APP_WEBHOOK_SECRETS } from "../../../tools/provider-simulator/app-webhooks";
import type { TamperMode } from "../../../tools/provider-simulator/webhooks";
import { api } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import schema from "../../schema";
import { connectOAuth, simulatedOrg } from "../../test.helpers";
import { serveConvexSite, type ConvexSite } from "../../test.site";
import type { InboundSchemeId } from "../../../lib/inbound/schemes";
import { encryptInboundSecret } from "../../shared/secrets";
import { newEndpointPublicId } from "./endpoints";

const simulatorUrl = inject("simulatorUrl");
type World = Awaited<ReturnType<typeof simulatedOrg>>;
let w: World;
let site: ConvexSite;
const secrets: string[] = [];
const logged: string[] = [];

/** An endpoint with a secret we chose, as a subscription stores it (sealed). */
async function endpointWith(providerId: string, scheme: InboundSchemeId, secret: string) {
  const publicId = newEndpointPublicId();
  const ciphertext = await encryptInboundSecret(w.orgId, publicId, 1, secret);
  await w.t.run((ctx) =>
    ctx.db.insert("inboundEndpoints", {
      orgId: w.orgId,
      publicId,
      providerId,
      scheme,
      description: providerId,
      state: "active",
      secret: { ciphertext, version: 1 },
      failedVerifications: 0,
      createdAt: Date.now(),
    }),
  );
  secrets.push(secret);
  return `${site.url}/webhooks/${providerId}/${publicId}`;
}

/**
 * A Jira dynamic-webhook endpoint, which keeps no secret: the OAuth app's client secret signs
 * (the simulator's test client while it plays the providers), and is scanned for too.
 */
async function oauthSignedEndpoint() {
  const publicId = newEndpointPublicId();
  await w.t.run((ctx) =>
    ctx.db.insert("inboundEndpoints", { orgId: w.orgId, publicId, providerId: "jira", scheme: "jira_dynamic", description: "Jira", state: "active", failedVerifications: 0, createdAt: Date.now() }),
  );
  secrets.push(SIM_JIRA_CLIENT_SECRET);
  return `${site.url}/webhooks/jira/${publicId}`;
}
const SIM_JIRA_CLIENT_SECRET = "sim-jira-secret";

beforeAll(async () => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
  process.env.SLACK_SIGNING_SECRET = SIM_APP_WEBHOOK_SECRETS.SLACK_SIGNING_SECRET;
  process.env.ZOOM_WEBHOOK_SECRET_TOKEN = SIM_APP_WEBHOOK_SECRETS.ZOOM_WEBHOOK_SECRET_TOKEN;
  process.env.GITHUB_APP_WEBHOOK_SECRET = SIM_APP_WEBHOOK_SECRETS.GITHUB_APP_WEBHOOK_SECRET;
  secrets.push(...Object.values(SIM_APP_WEBHOOK_SECRETS));
  w = await simulatedOrg(simulatorUrl);
  await connectOAuth(w.admin, w.orgId, "slack");
  site = await serveConvexSite(w.t);
  // The deployment's site URL is this server's: Trello signs the callback URL as registered.
  process.env.CONVEX_SITE_URL = site.url;
});

afterAll(async () => {
  await site?.close();
  vi.restoreAllMocks();
  delete process.env.SLACK_SIGNING_SECRET;
  delete process.env.ZOOM_WEBHOOK_SECRET_TOKEN;
  delete process.env.GITHUB_APP_WEBHOOK_SECRET;
});

type Case = { sender: string; event: string; tampers: readonly TamperMode[]; url: () => Promise<string>; secret: () => string };
const per = (providerId: string, scheme: InboundSchemeId, secret: string) => {
  let url: string | undefined;
  return { url: async () => (url ??= await endpointWith(providerId, scheme, secret)), secret: () => secret };
};
const ALL: readonly TamperMode[] = ["body", "secret", "stale_timestamp", "missing_signature"];
const UNTIMED: readonly TamperMode[] = ["body", "secret", "missing_signature"];

const CASES: Case[] = [
  { sender: "slack", event: "message", tampers: ALL, url: async () => `${site.url}/webhooks/slack`, secret: () => SIM_APP_WEBHOOK_SECRETS.SLACK_SIGNING_SECRET },
  { sender: "github", event: "issues.opened", tampers: UNTIMED, ...per("github", "github", "gh-hook-secret-3f9a1c") },
  { sender: "linear", event: "Issue.create", tampers: ALL, ...per("linear", "linear", "lin_wh_secret_7d2e") },
  { sender: "notion", event: "page.created", tampers: UNTIMED, ...per("notion", "notion", "secret_notion_token_9b1f") },
  { sender: "asana", event: "task.added", tampers: UNTIMED, ...per("asana", "asana", "asana-hook-secret-c41d") },
  { sender: "trello", event: "createCard", tampers: UNTIMED, ...per("trello", "trello", "trello-app-secret-5e6f") },
  { sender: "jira", event: "jira:issue_created", tampers: UNTIMED, ...per("jira", "jira", "jira-wh-secret-1a2b") },
  (() => {
    let url: string | undefined;
    // The JWT does not sign the body: nothing to tamper there.
    return { sender: "jira_dynamic", event: "jira:issue_updated", tampers: ["secret", "stale_timestamp", "missing_signature"] as TamperMode[], url: async () => (url ??= await oauthSignedEndpoint()), secret: () => SIM_JIRA_CLIENT_SECRET };
  })(),
  { sender: "microsoft_graph", event: "created", tampers: ["secret", "missing_signature"] as TamperMode[], ...per("microsoft", "microsoft_graph", "graph-client-state-8c7d") },
  { sender: "google_calendar", event: "exists", tampers: ["secret", "missing_signature"] as TamperMode[], ...per("google-calendar", "google_calendar", "goog-channel-token-2f3e") },
  { sender: "standard_webhooks", event: "invoice.paid", tampers: ALL, ...per("custom-webhook", "standard_webhooks", `whsec_${Buffer.alloc(24, 5).toString("base64")}`) },
];

describe.each(CASES)("$sender", ({ sender, event, tampers, url, secret }) => {
  test("a valid delivery is accepted and stored once", async () => {
    const before = (await w.t.run((ctx) => ctx.db.query("inboundEvents").collect())).length;
    const sent = await w.simulator.sendWebhook({ providerId: sender, url: await url(), secret: secret(), event });
    expect([200, 202], `${sent.status} ${sent.body}`).toContain(sent.status);
    const resent = await w.simulator.resendWebhook(sent.deliveryId);
    expect([200, 202]).toContain(resent.status);
    const after = await w.t.run((ctx) => ctx.db.query("inboundEvents").collect());
    expect(after.length).toBe(before + 1);
  });

  test.each(tampers)("tampered (%s): 401, nothing stored", async (tamper) => {
    const before = (await w.t.run((ctx) => ctx.db.query("inboundEvents").collect())).length;
    const sent = await w.simulator.sendWebhook({ providerId: sender, url: await url(), secret: secret(), event, tamper });
    expect(sent.status).toBe(401);
    expect((await w.t.run((ctx) => ctx.db.query("inboundEvents").collect())).length).toBe(before);
  });
});

describe("after the suite", () => {
  test("a Standard Webhooks endpoint made and rotated through the app adds its secrets to the scan", async () => {
    const created = await w.admin.as.action(api.webhooks.inbound.endpoints.create, { orgId: w.orgId, providerId: "custom-webhook", description: "Scan" });
    const rotated = await w.admin.as.action(api.webhooks.inbound.endpoints.rotateSecret, { orgId: w.orgId, endpointId: created.endpointId as Id<"inboundEndpoints"> });
    secrets.push(created.secret!, rotated.secret);
    const sent = await w.simulator.sendWebhook({ providerId: "standard_webhooks", url: created.url.replace(/^https?:\/\/[^/]+/, site.url), secret: rotated.secret, event: "scan.done" });
    expect(sent.status).toBe(200);
  });

  test("no secret is in any table or in anything logged", async () => {
    await w.t.finishAllScheduledFunctions(() => undefined);
    const dump = await w.t.run(async (ctx) => {
      const rows: unknown[] = [];
      for (const table of Object.keys(schema.tables)) rows.push(...(await ctx.db.query(table as never).collect()));
      return JSON.stringify(rows);
    });
    expect(secrets.length).toBeGreaterThan(12);
    for (const secret of secrets) {
      expect(dump.includes(secret), `a table holds ${secret.slice(0, 6)}…`).toBe(false);
      expect(logged.join("\n").includes(secret), `a log line holds ${secret.slice(0, 6)}…`).toBe(false);
    }
  });
});
