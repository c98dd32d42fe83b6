/**
 * Browser tests of inbound webhooks against the sandbox and the provider simulator:
 * a workflow triggered by a Slack event runs when the simulator's Slack sends one,
 * Slack's `tokens_revoked` turns the open dashboard's Slack card to Error without a reload,
 * the Events page shows both (headers redacted), and a Standard Webhooks endpoint made
 * there receives a delivery signed with the secret it showed once.
 */
import { SIM_APP_WEBHOOK_SECRETS } from "../../tools/provider-simulator/app-webhooks";
import { stepField } from "./actions.flows";
import { ALICE, card, connectInPopup, expectCardStatus, openIntegrations, signUpWithOrg } from "./app";
import { check, e2eTest, eventually, expectText } from "./harness";

export const inboundEvents = e2eTest("inbound webhooks: a Slack mention runs its workflow; tokens_revoked turns the card to Error live", async (t) => {
  const made = await t.step("Alice signs up, creates an organization and connects Slack", async () => {
    const made = await signUpWithOrg(t, ALICE, "alice");
    await openIntegrations(made.page, made.slug);
    await connectInPopup(t, made.page, "slack", "Connect");
    await expectCardStatus(made.page, "slack", "connected", "Alice");
    return made;
  });
  const alice = made.page;
  const slackUrl = `${t.services.siteUrl}/webhooks/slack`;
  const send = (event: string, data?: Record<string, unknown>) =>
    t.services.simulator.sendWebhook({ providerId: "slack", url: slackUrl, secret: SIM_APP_WEBHOOK_SECRETS.SLACK_SIGNING_SECRET, event, ...(data ? { data } : {}) });

  await t.step("a workflow 'when an event arrives' (slack.app_mention) that answers in Slack", async () => {
    await alice.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Workflows" }).click();
    await alice.getByRole("link", { name: "New workflow" }).click();
    await alice.getByLabel("Name", { exact: true }).fill("Answer mentions");
    await alice.getByLabel("Trigger", { exact: true }).selectOption("event");
    await alice.getByLabel("Event type", { exact: true }).fill("slack.app_mention");
    await alice.getByLabel("Add a step").selectOption({ label: "slack: Post a message to a channel" });
    await alice.getByRole("button", { name: "Add step" }).click();
    await eventually(
      async () => (await stepField(alice, 1, "Channel").locator("option").count()) > 100,
      async () => "the channel dropdown is filled by slack.list_channels",
    );
    await stepField(alice, 1, "Channel").selectOption({ label: "#general — Company-wide" });
    await stepField(alice, 1, "Message").fill("You said: {{trigger.payload.event.text}}");
    await alice.getByRole("button", { name: "Create workflow" }).click();
    await alice.waitForURL(/\/settings\/workflows\/[a-z0-9]+$/);
    await expectText(alice.getByText(/When a slack\.app_mention event arrives/).first(), "slack.app_mention", "the trigger in words");
  });

  await t.step("the simulator's Slack sends an app_mention: the run appears and succeeds, live", async () => {
    const sent = await send("app_mention", { event: { text: "hello bot" } });
    check(sent.status === 200, `Slack got ${sent.status}: ${sent.body}`);
    const run = alice.getByRole("list", { name: "Runs" }).locator("li").first();
    await eventually(
      async () => (await run.getAttribute("data-run-status", { timeout: 1_000 }).catch(() => null)) === "succeeded",
      async () => `the run should succeed, it is ${await run.getAttribute("data-run-status", { timeout: 1_000 }).catch(() => "missing")}`,
      30_000,
    );
    const posted = (await t.services.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" })) as Array<{ body: { text?: string } }>;
    check(posted.some((p) => p.body.text === "You said: hello bot"), `posted ${JSON.stringify(posted.map((p) => p.body))}`);
    await t.shot(alice, "event-workflow-run");
  });

  await t.step("tokens_revoked: the open dashboard's Slack card turns to Error in Slack's words, without a reload", async () => {
    await openIntegrations(alice, made.slug);
    await expectCardStatus(alice, "slack", "connected", "Alice");
    const marker = await alice.evaluate(() => ((window as unknown as { e2eMarker: number }).e2eMarker = Math.random()));
    const sent = await send("tokens_revoked");
    check(sent.status === 200, `Slack got ${sent.status}: ${sent.body}`);
    await expectCardStatus(alice, "slack", "error", "Alice");
    await expectText(card(alice, "slack"), "Slack says the app's tokens were revoked.", "the card's explanation");
    const still = await alice.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker);
    check(still === marker, "the page was not reloaded");
    await t.shot(alice, "slack-revoked-by-webhook");
  });

  await t.step("Settings → Events lists both, newest first; a delivery's detail shows its headers redacted and offers Replay", async () => {
    await alice.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Events" }).click();
    const table = alice.getByRole("region", { name: "Received events table" });
    await expectText(table, "slack.tokens_revoked", "the events table");
    await expectText(table, "slack.app_mention", "the events table");
    await table.getByRole("button", { name: /^Open slack\.tokens_revoked/ }).click();
    const detail = alice.getByRole("dialog", { name: "slack.tokens_revoked" });
    await expectText(detail, "Slack says the app's tokens were revoked.", "what the provider said");
    await expectText(detail.getByRole("region", { name: "Headers table" }), "[REDACTED]", "the redacted signature");
    const headers = (await detail.getByRole("region", { name: "Headers table" }).textContent()) ?? "";
    check(!headers.includes("v0="), "no Slack signature is shown");
    await detail.getByRole("button", { name: "Replay" }).waitFor();
    // The dialog's opening animation finished, so the picture is the dialog, not a blend.
    await detail.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
    await t.shot(alice, "event-detail");
    await alice.keyboard.press("Escape");
    await detail.waitFor({ state: "hidden" });
  });

  await t.step("a Standard Webhooks endpoint: its secret is shown once, and a delivery signed with it arrives live", async () => {
    await alice.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await alice.getByRole("button", { name: "New endpoint" }).click();
    const form = alice.getByRole("dialog", { name: "New endpoint" });
    await form.getByLabel(/^Description/).fill("Billing system");
    await form.getByRole("button", { name: "Make endpoint" }).click();
    const shown = alice.getByRole("dialog", { name: "Endpoint made" });
    await shown.waitFor();
    await shown.getByRole("button", { name: "Copy secret" }).click();
    const secret = await alice.evaluate(() => navigator.clipboard.readText());
    check(secret.startsWith("whsec_"), `the clipboard holds a whsec_ secret, got ${secret.slice(0, 6)}…`);
    await shown.getByRole("button", { name: "Done" }).click();
    const url = (await alice.locator("code", { hasText: "/webhooks/custom-webhook/ie_" }).first().textContent())!.trim();
    const sent = await t.services.simulator.sendWebhook({ providerId: "standard_webhooks", url, secret, event: "invoice.paid" });
    check(sent.status === 200, `the endpoint answered ${sent.status}: ${sent.body}`);
    const refused = await t.services.simulator.sendWebhook({ providerId: "standard_webhooks", url, secret, event: "invoice.paid", tamper: "secret" });
    check(refused.status === 401, `a wrong secret is refused, got ${refused.status}`);
    await expectText(alice.getByRole("region", { name: "Received events table" }), "webhook.invoice.paid", "the events table");
    await expectText(alice.getByText(/1 delivery refused|refused/).first(), "refused", "the endpoint's refusal count");
    await t.shot(alice, "events-page");
  });
});
