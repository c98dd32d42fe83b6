/**
 * Browser test of outbound webhooks against the sandbox: an admin adds an endpoint that
 * points at a receiver on 127.0.0.1, copies its secret, sends a test event and sees it
 * delivered (the receiver verifies the signature with the standardwebhooks library);
 * then the receiver fails, the log shows the retries, and Replay delivers it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { ALICE, signUpWithOrg } from "./app";
import { check, e2eTest, eventually, expectText } from "./harness";

type Delivery = { headers: Record<string, string>; body: string };

async function startReceiver() {
  const received: Delivery[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(status).end(status === 200 ? "thanks" : "receiver is down");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    answer: (next: number) => void (status = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const webhookEndpoint = e2eTest("webhooks: add an endpoint, copy its secret, a signed test event, retries and replay", async (t) => {
  const receiver = await startReceiver();
  try {
    const { page, slug } = await t.step("Alice signs up and opens the Webhooks page", async () => {
      const made = await signUpWithOrg(t, ALICE, "alice");
      await made.page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
      await made.page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Webhooks" }).click();
      await made.page.getByRole("heading", { name: "Webhooks" }).waitFor();
      await made.page.getByText("No endpoints yet").waitFor();
      return made;
    });

    const secret = await t.step("add an endpoint; its secret is shown once and copied", async () => {
      await page.getByRole("button", { name: "Add endpoint" }).click();
      const form = page.getByRole("dialog", { name: "Add endpoint" });
      await form.getByLabel("URL").fill("http://10.0.0.1/hooks");
      await form.getByRole("button", { name: "Add endpoint" }).click();
      await expectText(form.locator("#endpoint-url-error"), /not be sent|private/i, "the URL's error");
      check((await form.getByLabel("URL").getAttribute("aria-invalid")) === "true", "the URL field is marked invalid");
      await form.getByLabel("URL").fill(receiver.url);
      await form.getByLabel("Description (optional)").fill("Ops receiver");
      await form.getByRole("button", { name: "Add endpoint" }).click();
      const shown = page.getByRole("dialog", { name: "Endpoint added" });
      await shown.waitFor();
      await t.shot(page, "secret-shown-once");
      await shown.getByRole("button", { name: "Copy secret" }).click();
      await expectText(shown.getByRole("status"), "Copied to the clipboard.", "the copy confirmation");
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      check(copied.startsWith("whsec_"), `the clipboard holds a webhook secret, got ${copied.slice(0, 6)}…`);
      await shown.getByRole("button", { name: "Done" }).click();
      await page.getByText(receiver.url).waitFor();
      return copied;
    });

    await t.step("Send test event: the receiver verifies it, and the log shows it delivered", async () => {
      await page.getByRole("button", { name: "Send test event" }).click();
      await eventually(
        async () => receiver.received.length === 1,
        async () => `the receiver got ${receiver.received.length} deliveries`,
      );
      const delivery = receiver.received[0]!;
      const payload = new Webhook(secret).verify(delivery.body, delivery.headers) as { type: string };
      check(payload.type === "endpoint.test", `the test event's type is ${payload.type}`);
      await page.getByRole("button", { name: "Show delivery log" }).click();
      const log = page.getByRole("list", { name: "Delivery log" });
      await expectText(log, "Delivered", "the delivery log");
      await expectText(log, /Attempt 1: HTTP 200, delivered/, "the attempt");
      await expectText(log, delivery.headers["webhook-id"]!, "the message's webhook-id");
      await t.shot(page, "delivered");
    });

    await t.step("the receiver fails: the log shows the message retrying, attempt after attempt", async () => {
      receiver.answer(503);
      await page.getByRole("button", { name: "Send test event" }).click();
      const log = page.getByRole("list", { name: "Delivery log" });
      const newest = log.getByRole("listitem").first();
      await expectText(newest, "Retrying", "the new message");
      // The second attempt is 5 seconds (±10%) after the first.
      await expectText(newest, /Attempt 2: HTTP 503/, "the second attempt");
      await expectText(newest, /Next attempt/, "the next attempt's time");
      await t.shot(page, "retrying");
    });

    await t.step("the receiver is back: Replay delivers the message with the same webhook-id", async () => {
      receiver.answer(200);
      const before = receiver.received.length;
      const failedId = receiver.received.at(-1)!.headers["webhook-id"]!;
      const newest = page.getByRole("list", { name: "Delivery log" }).getByRole("listitem").first();
      await newest.getByRole("button", { name: /^Replay endpoint\.test message/ }).click();
      await expectText(newest, "Delivered", "the replayed message");
      const after = receiver.received.slice(before);
      check(after.some((d) => d.headers["webhook-id"] === failedId), `the replay carried ${failedId}`);
      for (const delivery of after) new Webhook(secret).verify(delivery.body, delivery.headers);
      await expectText(page.getByText(/Success, 24 hours/).locator(".."), /%/, "the success rate");
      await t.shot(page, "replayed");
    });

    await t.step("at phone width the page does not scroll sideways", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`/o/${slug}/settings/webhooks`);
      await page.getByText(receiver.url).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      check(overflow <= 0, `the page is ${overflow}px wider than the screen`);
      await t.shot(page, "phone");
    });
  } finally {
    await receiver.close();
  }
});
