/**
 * The provider simulator sends real webhooks over HTTP to the deployment's routes
 * (served by `serveConvexSite`): Slack's `tokens_revoked` for the workspace connected
 * through the real OAuth flow turns its connection to error; Slack's retry of the same
 * event is acknowledged and dropped; each broken thing (`tamper`) is refused on its own.
 */
import { afterEach, describe, expect, inject, test } from "vitest";
import { SIM_APP_WEBHOOK_SECRETS } from "../../../tools/provider-simulator/app-webhooks";
import { TAMPER_MODES } from "../../../tools/provider-simulator/webhooks";
import { connectOAuth, simulatedOrg } from "../../test.helpers";
import { serveConvexSite, type ConvexSite } from "../../test.site";

const simulatorUrl = inject("simulatorUrl");
let site: ConvexSite | undefined;

afterEach(async () => {
  await site?.close();
  site = undefined;
  delete process.env.SLACK_SIGNING_SECRET;
});

async function slackWorld() {
  process.env.SLACK_SIGNING_SECRET = SIM_APP_WEBHOOK_SECRETS.SLACK_SIGNING_SECRET;
  const w = await simulatedOrg(simulatorUrl);
  await connectOAuth(w.admin, w.orgId, "slack");
  site = await serveConvexSite(w.t);
  const send = (event: string, extra: Record<string, unknown> = {}) =>
    w.simulator.sendWebhook({ providerId: "slack", url: `${site!.url}/webhooks/slack`, secret: SIM_APP_WEBHOOK_SECRETS.SLACK_SIGNING_SECRET, event, ...extra });
  const connection = () => w.t.run((ctx) => ctx.db.query("connections").withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", w.orgId).eq("providerId", "slack")).unique());
  const events = () => w.t.run((ctx) => ctx.db.query("inboundEvents").collect());
  return { ...w, send, connection, events };
}

describe("the simulator's Slack", () => {
  test("tokens_revoked ends the connected workspace's connection; Slack's retry of it is dropped", async () => {
    const w = await slackWorld();
    const sent = await w.send("tokens_revoked");
    expect(sent.status).toBe(200);
    const retried = await w.simulator.resendWebhook(sent.deliveryId, { asRetry: true });
    expect(retried.status).toBe(200);
    await w.t.finishAllScheduledFunctions(() => undefined);
    const events = await w.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "slack.tokens_revoked", status: "processed" });
    // The first delivery is the one kept; the retry (X-Slack-Retry-Num: 1) wrote nothing.
    expect(events[0]!.headers["x-slack-retry-num"]).toBeUndefined();
    expect(await w.connection()).toMatchObject({ status: "error", statusReason: "provider_revoked" });
  });

  test.each(TAMPER_MODES)("tampered (%s): refused with 401, nothing stored, the connection untouched", async (tamper) => {
    const w = await slackWorld();
    const sent = await w.send("tokens_revoked", { tamper });
    expect(sent.status).toBe(401);
    expect(await w.events()).toEqual([]);
    expect(await w.connection()).toMatchObject({ status: "connected" });
  });

  test("a message event is stored with its type and the workspace's connection", async () => {
    const w = await slackWorld();
    expect((await w.send("message")).status).toBe(200);
    await w.t.finishAllScheduledFunctions(() => undefined);
    const [event] = await w.events();
    expect(event).toMatchObject({ type: "slack.message", status: "processed", connectionId: (await w.connection())!._id, outcome: { forwardedAs: "slack.message.posted" } });
  });
});
