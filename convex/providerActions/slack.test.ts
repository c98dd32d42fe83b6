/** Slack's actions through the step contract, against the simulator's Slack Web API. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const ALL = ["users:read", "reactions:write", "groups:read"];

describe("slack actions", () => {
  test("post_message sends chat.postMessage as JSON with charset and answers channel and ts", async () => {
    const w = await setup(simulatorUrl, "slack", { extraScopes: ALL });
    const result = await w.runAction("slack.post_message", { channel: "C0GENERAL", text: "Deploy finished" });
    expect(result).toMatchObject({ ok: true, output: { channel: "C0GENERAL", ts: expect.stringMatching(/^\d+\.\d{6}$/) } });
    const [sent] = await w.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" });
    expect(sent).toMatchObject({ method: "POST", body: { channel: "C0GENERAL", text: "Deploy finished" } });
    expect(sent!.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(sent!.headers.authorization).toBeUndefined();
    const [log] = await w.logs();
    expect(log).toMatchObject({ method: "POST", path: "/chat.postMessage", status: 200, correlationId: result.correlationId });
  });

  test("a reply goes under its thread, a DM to the user's app channel, and a reaction on the message", async () => {
    const w = await setup(simulatorUrl, "slack", { extraScopes: ALL });
    const parent = await w.runAction("slack.post_message", { channel: "C0GENERAL", text: "Release 1.2" });
    if (!parent.ok) throw new Error(parent.error.message);
    const reply = await w.runAction("slack.reply_in_thread", {
      channel: "C0GENERAL",
      threadTs: parent.output.ts,
      text: "Notes attached",
      alsoSendToChannel: true,
    });
    expect(reply.ok).toBe(true);
    const dm = await w.runAction("slack.send_direct_message", { user: "U0ADA", text: "Your build passed" });
    expect(dm).toMatchObject({ ok: true, output: { channel: "D0ADA" } });
    const reaction = await w.runAction("slack.add_reaction", { channel: "C0GENERAL", timestamp: parent.output.ts, name: ":white_check_mark:" });
    expect(reaction).toMatchObject({ ok: true, output: { reacted: true } });

    const bodies = (await w.simulator.apiCalls({ providerId: "slack" })).map((c) => c.body);
    expect(bodies).toEqual([
      { channel: "C0GENERAL", text: "Release 1.2" },
      { channel: "C0GENERAL", thread_ts: parent.output.ts, text: "Notes attached", reply_broadcast: true },
      { channel: "U0ADA", text: "Your build passed" },
      { channel: "C0GENERAL", timestamp: parent.output.ts, name: "white_check_mark" },
    ]);
  });

  test("Slack's ok:false errors become typed errors with the field at fault", async () => {
    const w = await setup(simulatorUrl, "slack", { extraScopes: ALL });
    const missing = await w.runAction("slack.post_message", { channel: "C0NOPE", text: "hi" });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: "invalid_input", providerCode: "channel_not_found", fields: { channel: expect.any(String) }, retryable: false },
    });
    const outside = await w.runAction("slack.post_message", { channel: "C0OUTSIDE", text: "hi" });
    expect(outside).toMatchObject({ ok: false, error: { providerCode: "not_in_channel", message: expect.stringMatching(/invite/) } });
    const thread = await w.runAction("slack.reply_in_thread", { channel: "C0GENERAL", threadTs: "1.000001", text: "x" });
    expect(thread).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { threadTs: expect.any(String) } } });
    const posted = await w.runAction("slack.post_message", { channel: "C0GENERAL", text: "once" });
    if (!posted.ok) throw new Error("post failed");
    const input = { channel: "C0GENERAL", timestamp: posted.output.ts, name: "tada" };
    expect((await w.runAction("slack.add_reaction", input)).ok).toBe(true);
    expect(await w.runAction("slack.add_reaction", input)).toMatchObject({ ok: false, error: { providerCode: "already_reacted" } });
  });

  test("a 429 is rate_limited with Slack's Retry-After", async () => {
    const w = await setup(simulatorUrl, "slack", { extraScopes: ALL });
    await w.simulator.failNext("slack", "api", { kind: "rate_limit", retryAfterSeconds: 30 });
    const limited = await w.runAction("slack.post_message", { channel: "C0GENERAL", text: "hi" });
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryable: true, retryAfterMs: 30_000 } });
  });

  test("lookups page through channels and people as Slack paginates (cursor, 200 a page)", async () => {
    const w = await setup(simulatorUrl, "slack", { extraScopes: ALL });
    const first = await w.runAction("slack.list_channels", {});
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options).toHaveLength(200);
    expect(first.output.options.slice(0, 2)).toEqual([
      { value: "C0GENERAL", label: "#general", hint: "Company-wide" },
      { value: "C0PRIVATE", label: "🔒leads" },
    ]);
    expect(first.output.nextCursor).toEqual(expect.any(String));
    const second = await w.runAction("slack.list_channels", { cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    // 250 channels, one archived and left out.
    expect(second.output.options).toHaveLength(49);
    expect(second.output.nextCursor).toBeUndefined();
    const calls = await w.simulator.apiCalls({ providerId: "slack", apiPath: "/conversations.list" });
    expect(calls.map((c) => c.query)).toEqual([
      { types: "public_channel,private_channel", exclude_archived: "true", limit: "200" },
      { types: "public_channel,private_channel", exclude_archived: "true", limit: "200", cursor: first.output.nextCursor },
    ]);

    const people = await w.runAction("slack.list_users", {});
    if (!people.ok) throw new Error(people.error.message);
    expect(people.output.options[0]).toEqual({ value: "U0ADA", label: "Ada Lovelace", hint: "@ada" });
    expect(people.output.options.map((o: { value: string }) => o.value)).not.toContain("U0GONE");
    expect(people.output.options.map((o: { value: string }) => o.value)).not.toContain("U0BOT");
  });

  test("without groups:read the channel lookup asks only for public channels", async () => {
    const w = await setup(simulatorUrl, "slack");
    const page = await w.runAction("slack.list_channels", {});
    expect(page.ok).toBe(true);
    const [sent] = await w.simulator.apiCalls({ providerId: "slack", apiPath: "/conversations.list" });
    expect(sent!.query.types).toBe("public_channel");
  });
});
