/**
 * Browser tests of provider actions and workflows against the sandbox and the provider
 * simulator: Try it on a provider page, and a workflow run end to end.
 */
import type { Page } from "playwright-core";
import { ALICE, connectInPopup, expectCardStatus, openIntegrations, signUpWithOrg } from "./app";
import { check, e2eTest, eventually, expectText, type TestContext } from "./harness";

async function aliceWithSlack(t: TestContext): Promise<{ alice: Page; slug: string }> {
  const made = await t.step("Alice signs up, creates an organization and connects Slack", async () => {
    const made = await signUpWithOrg(t, ALICE, "alice");
    await openIntegrations(made.page, made.slug);
    await connectInPopup(t, made.page, "slack", "Connect");
    await expectCardStatus(made.page, "slack", "connected", "Alice");
    return made;
  });
  return { alice: made.page, slug: made.slug };
}

export const tryAction = e2eTest("actions: Try it posts to Slack from a form with a channel dropdown; Slack's refusal shows on the field", async (t) => {
  const { alice, slug } = await aliceWithSlack(t);
  const dialog = alice.getByRole("dialog", { name: "Post a message to a channel" });

  await t.step("the Slack page lists its actions; Try it opens a form built from the schema", async () => {
    await alice.goto(`/o/${slug}/settings/integrations/slack`);
    await alice.getByRole("list", { name: "Slack actions" }).waitFor();
    await alice.getByRole("button", { name: "Try Post a message to a channel" }).click();
    await dialog.waitFor();
    // The channel dropdown is filled by slack.list_channels.
    await eventually(
      async () => (await dialog.getByLabel("Channel", { exact: true }).locator("option").count()) > 100,
      async () => `the channel dropdown has ${await dialog.getByLabel("Channel", { exact: true }).locator("option").count()} options`,
    );
    await t.shot(alice, "try-it-form");
  });

  await t.step("running it posts the message and shows the result with its correlation id", async () => {
    await dialog.getByLabel("Channel", { exact: true }).selectOption({ label: "#general — Company-wide" });
    await dialog.getByLabel("Message", { exact: true }).fill("Hello from the browser test");
    await dialog.getByRole("button", { name: "Run" }).click();
    await expectText(dialog.getByTestId("action-result"), /Done/, "the result");
    const correlationId = await dialog.getByTestId("correlation-id").textContent();
    check(correlationId?.startsWith("call_"), `a correlation id, got ${correlationId}`);
    const posted = (await t.services.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" })) as Array<{ body: unknown }>;
    check(posted.length === 1, `one message posted, got ${posted.length}`);
    check(JSON.stringify(posted[0]!.body) === JSON.stringify({ channel: "C0GENERAL", text: "Hello from the browser test" }), `posted ${JSON.stringify(posted[0]!.body)}`);
    await t.shot(alice, "try-it-result");
  });

  await t.step("a channel the app is not in: Slack's refusal is shown on the Channel field", async () => {
    await dialog.getByLabel("Channel", { exact: true }).selectOption({ label: "#random" });
    await dialog.getByRole("button", { name: "Run" }).click();
    await expectText(dialog.getByTestId("action-error"), /invite it first/, "the error");
    check((await dialog.getByLabel("Channel", { exact: true }).getAttribute("aria-invalid")) === "true", "the Channel field is marked invalid");
    await expectText(dialog.locator("#try-slack-post-message-channel-error"), /invite it first/, "the field's message");
  });

  await t.step("an empty message is refused before anything is sent", async () => {
    await dialog.getByLabel("Message", { exact: true }).fill("");
    await dialog.getByRole("button", { name: "Run" }).click();
    await expectText(dialog.locator("#try-slack-post-message-text-error"), "Message is required.", "the field's message");
    const posted = (await t.services.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" })) as unknown[];
    check(posted.length === 2, `nothing more sent, got ${posted.length} posts`);
  });
});
