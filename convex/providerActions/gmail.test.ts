/** Gmail's action through the step contract, against the simulator's Gmail API. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";
import type { SentMessage } from "../../tools/provider-simulator/apis/gmail";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const SEND = "/gmail/v1/users/me/messages/send";

describe("gmail actions", () => {
  test("send_email posts a raw RFC 5322 message that Gmail reads back as written", async () => {
    const w = await setup(simulatorUrl, "gmail");
    const result = await w.runAction("gmail.send_email", {
      to: ["ada@example.com", "bob@example.org"],
      cc: ["carol@example.net"],
      bcc: ["audit@example.com"],
      subject: "Réunion de lundi — ordre du jour",
      text: "Bonjour,\nvoici l'ordre du jour.",
      html: "<p>Bonjour,<br>voici l'ordre du jour.</p>",
    });
    expect(result).toEqual({ ok: true, output: { id: "18c0000000000001", threadId: "18c0000000000001" }, correlationId: expect.any(String) });

    const [sent] = await w.simulator.apiCalls({ providerId: "gmail", apiPath: SEND });
    expect(sent).toMatchObject({ method: "POST", body: { raw: expect.stringMatching(/^[A-Za-z0-9_-]+=*$/) } });
    expect(Object.keys(sent!.body as object)).toEqual(["raw"]);
    expect(sent!.headers["content-type"]).toBe("application/json");
    const message = Buffer.from((sent!.body as { raw: string }).raw, "base64url").toString("utf8");
    // Headers are ASCII, lines end in CRLF, the subject is encoded-words.
    expect(message).toMatch(/^To: ada@example\.com, bob@example\.org\r\nCc: carol@example\.net\r\nBcc: audit@example\.com\r\nSubject: =\?UTF-8\?B\?/);
    expect(message.split("\r\n\r\n")[0]).toMatch(/^[\x20-\x7e\r\n]+$/);
    expect(message.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);

    const world = (await w.simulator.world("gmail")) as { sent: SentMessage[] };
    expect(world.sent).toEqual([
      {
        id: "18c0000000000001",
        threadId: "18c0000000000001",
        to: ["ada@example.com", "bob@example.org"],
        cc: ["carol@example.net"],
        bcc: ["audit@example.com"],
        subject: "Réunion de lundi — ordre du jour",
        text: "Bonjour,\nvoici l'ordre du jour.",
        html: "<p>Bonjour,<br>voici l'ordre du jour.</p>",
        headerNames: ["To", "Cc", "Bcc", "Subject", "MIME-Version", "Content-Type"],
      },
    ]);
  });

  test("a plain-text email, and a subject in ASCII as written", async () => {
    const w = await setup(simulatorUrl, "gmail");
    const result = await w.runAction("gmail.send_email", { to: ["ada@example.com"], subject: "Build 42 passed", text: "All green." });
    expect(result.ok).toBe(true);
    const world = (await w.simulator.world("gmail")) as { sent: SentMessage[] };
    expect(world.sent[0]).toMatchObject({ subject: "Build 42 passed", text: "All green.", html: null, cc: [], bcc: [] });
    expect(world.sent[0]!.headerNames).toEqual(["To", "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"]);
  });

  test("header injection never reaches Gmail", async () => {
    const w = await setup(simulatorUrl, "gmail");
    const injected = await w.runAction("gmail.send_email", { to: ["ada@example.com"], subject: "Hi\r\nBcc: evil@example.com", text: "x" });
    expect(injected).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { subject: "A subject is one line." } } });
    const inAddress = await w.runAction("gmail.send_email", { to: ["ada@example.com\nBcc: evil@example.com"], subject: "Hi", text: "x" });
    expect(inAddress).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { "to.0": expect.any(String) } } });
    expect(await w.simulator.apiCalls({ providerId: "gmail" })).toEqual([]);
  });

  test("Google's refusals: a dead token is auth_revoked, a 429 rate_limited with Retry-After", async () => {
    const w = await setup(simulatorUrl, "gmail");
    await w.simulator.failNext("gmail", "api", { kind: "rate_limit", retryAfterSeconds: 30 });
    expect(await w.runAction("gmail.send_email", { to: ["ada@example.com"], subject: "s", text: "t" })).toMatchObject({
      ok: false,
      error: { code: "rate_limited", retryable: true, retryAfterMs: 30_000, status: 429 },
    });
    await w.simulator.revokeAll("gmail");
    expect(await w.runAction("gmail.send_email", { to: ["ada@example.com"], subject: "s", text: "t" })).toMatchObject({
      ok: false,
      error: { code: "auth_revoked", retryable: false },
    });
  });
});
