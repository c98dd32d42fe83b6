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

  await t.step("the call is in the provider's list, and opening it shows what was sent and answered", async () => {
    await dialog.getByRole("form").getByRole("button", { name: "Close" }).click();
    const row = alice.getByTestId("call-row").filter({ hasText: "POST /chat.postMessage" }).last();
    const id = await row.getAttribute("data-correlation-id");
    await row.getByRole("button", { name: `Open call ${id}` }).click();
    const detail = alice.getByRole("dialog", { name: `Call ${id}` });
    await expectText(detail.getByRole("region", { name: "Request as logged" }), "Hello from the browser test", "the logged request");
    await expectText(detail.getByRole("region", { name: "Answer as logged" }), '"ok": true', "the logged answer");
    check(alice.url().includes(`?call=${id}`), `the page's address names the call: ${alice.url()}`);
    await t.shot(alice, "call-detail");
  });
});

type Delivery = { headers: Record<string, string>; body: unknown };

/** Fills one step's input field by its label, inside the step's own list item. */
export function stepField(page: Page, index: number, label: string) {
  return page.locator(`li[aria-label^="Step ${index}:"]`).getByLabel(label, { exact: true });
}

export const workflowRun = e2eTest("workflows: GitHub issue → Slack message with its URL → custom webhook; a retry, then a cancelled run", async (t) => {
  const { alice } = await aliceWithSlack(t);
  const hookUrl = (await t.services.simulator.webhookUrl("custom-webhook")) as string;

  await t.step("connect GitHub and a custom webhook with a Bearer token", async () => {
    await connectInPopup(t, alice, "github", "Connect");
    await expectCardStatus(alice, "github", "connected", "Alice");
    await alice.getByTestId("integration-card-custom-webhook").getByRole("button", { name: "Connect" }).click();
    const dialog = alice.getByRole("dialog", { name: /Connect Custom webhook/ });
    await dialog.getByLabel("Endpoint URL").fill(hookUrl);
    await dialog.getByLabel("Authentication").selectOption({ label: "Bearer token" });
    await dialog.getByLabel("Bearer token").fill("e2e-receiver-token");
    await dialog.getByRole("button", { name: "Connect" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expectCardStatus(alice, "custom-webhook", "connected", "Alice");
  });

  await t.step("a new workflow with three steps, each input from the trigger or an earlier step", async () => {
    await alice.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Workflows" }).click();
    await alice.getByRole("link", { name: "New workflow" }).click();
    await alice.getByLabel("Name", { exact: true }).fill("Triage crash reports");
    await alice.getByLabel(/^Sample input/).fill('{ "title": "Crash on save" }');

    const addStep = async (label: string) => {
      await alice.getByLabel("Add a step").selectOption({ label });
      await alice.getByRole("button", { name: "Add step" }).click();
    };
    await addStep("github: Create an issue");
    await eventually(
      async () => (await stepField(alice, 1, "Repository").locator("option").count()) > 1,
      async () => "the repository dropdown is filled by github.list_repositories",
    );
    await stepField(alice, 1, "Repository").selectOption("octo-org/app");
    await stepField(alice, 1, "Title").fill("{{trigger.title}}");

    await addStep("slack: Post a message to a channel");
    await eventually(
      async () => (await stepField(alice, 2, "Channel").locator("option").count()) > 100,
      async () => "the channel dropdown is filled by slack.list_channels",
    );
    await stepField(alice, 2, "Channel").selectOption({ label: "#general — Company-wide" });
    await stepField(alice, 2, "Message").fill("New crash report: {{steps.create_issue.output.url}}");
    await stepField(alice, 2, "First retry after (seconds; then doubling)").fill("1");

    await addStep("custom-webhook: Send a request");
    await stepField(alice, 3, "Body").fill('{ "issue": "{{steps.create_issue.output.url}}", "message": "{{steps.post_message.output.ts}}" }');
    await t.shot(alice, "editor");
    await alice.getByRole("button", { name: "Create workflow" }).click();
    await alice.waitForURL(/\/settings\/workflows\/[a-z0-9]+$/);
    await alice.getByRole("button", { name: "Run now" }).waitFor();
  });

  await t.step("Run now: Slack's 429 makes the second step retry, then the run succeeds", async () => {
    await t.services.simulator.failNext("slack", "api", { kind: "rate_limit", retryAfterSeconds: 1 });
    await alice.getByRole("button", { name: "Run now" }).click();
    const run = alice.getByRole("list", { name: "Runs" }).locator("li").first();
    await eventually(
      async () => (await run.getAttribute("data-run-status", { timeout: 1_000 })) === "succeeded",
      async () => `the run should succeed, it is ${await run.getAttribute("data-run-status", { timeout: 1_000 }).catch(() => "missing")}`,
      30_000,
    );
    await run.getByRole("button").first().click();
    const detail = run.getByTestId("run-detail");
    await expectText(detail.locator('[aria-label^="Step Post a message"]'), /2 attempts/, "the Slack step's attempts");
    const issues = (await t.services.simulator.apiCalls({ providerId: "github", method: "POST" })) as Array<{ apiPath: string; body: { title?: string } }>;
    check(issues.length === 1 && issues[0]!.body.title === "Crash on save", `GitHub got ${JSON.stringify(issues.map((c) => c.body))}`);
    const posts = (await t.services.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" })) as Array<{ body: { text?: string } }>;
    const url = posts.at(-1)?.body.text?.replace("New crash report: ", "");
    check(url?.startsWith("https://github.com/octo-org/app/issues/"), `Slack got ${JSON.stringify(posts.map((p) => p.body))}`);
    const deliveries = (await t.services.simulator.webhookDeliveries({ providerId: "custom-webhook" })) as Delivery[];
    const last = deliveries.at(-1)!;
    check(last.headers.authorization === "Bearer e2e-receiver-token", `the webhook's auth header was ${last.headers.authorization}`);
    check((last.body as { issue?: string }).issue === url, `the webhook got ${JSON.stringify(last.body)}`);
    await t.shot(alice, "run-succeeded");
  });

  await t.step("a run whose webhook step keeps failing waits to retry, and Cancel stops it", async () => {
    await stepField(alice, 3, "First retry after (seconds; then doubling)").fill("600");
    await alice.getByRole("button", { name: "Save workflow" }).click();
    await expectText(alice.locator("[data-sonner-toaster]"), "Workflow saved.", "the toasts");
    await t.services.simulator.failNext("custom-webhook", "api", { kind: "status", status: 503 }, 5);
    const attempts = async () => ((await t.services.simulator.apiCalls({ providerId: "custom-webhook" })) as unknown[]).length;
    const before = await attempts();
    await alice.getByRole("button", { name: "Run now" }).click();
    const run = alice.getByRole("list", { name: "Runs" }).locator("li").first();
    await eventually(
      async () => (await run.getAttribute("data-run-status", { timeout: 1_000 })) === "retrying",
      async () => `the run should be retrying, it is ${await run.getAttribute("data-run-status", { timeout: 1_000 }).catch(() => "missing")}`,
      30_000,
    );
    await run.getByRole("button").first().click();
    await run.getByRole("button", { name: "Cancel run" }).click();
    await eventually(
      async () => (await run.getAttribute("data-run-status", { timeout: 1_000 })) === "cancelled",
      async () => "the run should be cancelled",
    );
    await t.shot(alice, "run-cancelled");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await attempts();
    check(after === before + 1, `one attempt reached the receiver, and none after Cancel: ${before} → ${after}`);
  });
});
