import { describe, expect, test } from "vitest";
import { actionAnswer, buildRequest, parseInput, readAnswer } from "../prepare";
import type { AnyAction } from "../define";
import { slackActions, slackFailure } from "./slack";

const byId = Object.fromEntries(slackActions.map((a) => [a.id, a])) as Record<string, AnyAction>;
const context = (scopes: string[] = []) => ({ config: {}, scopes, correlationId: "call_slack_test" });
const ok = (body: object, headers: Record<string, string> = {}) => actionAnswer(200, headers, JSON.stringify({ ok: true, ...body }));
const no = (error: string, extra: object = {}, headers: Record<string, string> = {}) =>
  actionAnswer(200, headers, JSON.stringify({ ok: false, error, ...extra }));

function requestOf(id: string, input: unknown, scopes?: string[]) {
  const parsed = parseInput(byId[id]!, input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildRequest(byId[id]!, parsed.input, context(scopes));
  if (!built.ok) throw new Error(built.error.message);
  return built.request;
}

const JSON_UTF8 = { "Content-Type": "application/json; charset=utf-8" };

describe("slack requests", () => {
  test("post_message, with and without blocks", () => {
    expect(requestOf("slack.post_message", { channel: " C1 ", text: "hi" })).toEqual({
      method: "POST",
      path: "/chat.postMessage",
      headers: JSON_UTF8,
      body: { json: { channel: "C1", text: "hi" } },
    });
    expect(requestOf("slack.post_message", { channel: "C1", text: "hi", blocks: [{ type: "divider" }] }).body).toEqual({
      json: { channel: "C1", text: "hi", blocks: [{ type: "divider" }] },
    });
  });
  test("a DM goes to the user id as the channel", () => {
    expect(requestOf("slack.send_direct_message", { user: "U0ADA", text: "x" })).toEqual({
      method: "POST",
      path: "/chat.postMessage",
      headers: JSON_UTF8,
      body: { json: { channel: "U0ADA", text: "x" } },
    });
  });
  test("a reply carries thread_ts, and reply_broadcast only when asked", () => {
    expect(requestOf("slack.reply_in_thread", { channel: "C1", threadTs: "1.2", text: "x" }).body).toEqual({
      json: { channel: "C1", thread_ts: "1.2", text: "x" },
    });
    expect(requestOf("slack.reply_in_thread", { channel: "C1", threadTs: "1.2", text: "x", alsoSendToChannel: true }).body).toEqual({
      json: { channel: "C1", thread_ts: "1.2", text: "x", reply_broadcast: true },
    });
  });
  test("a reaction's name loses its colons", () => {
    expect(requestOf("slack.add_reaction", { channel: "C1", timestamp: "1.2", name: ":tada:" })).toEqual({
      method: "POST",
      path: "/reactions.add",
      headers: JSON_UTF8,
      body: { json: { channel: "C1", timestamp: "1.2", name: "tada" } },
    });
    expect(requestOf("slack.add_reaction", { channel: "C1", timestamp: "1.2", name: "+1::skin-tone-3" }).body).toMatchObject({ json: { name: "+1::skin-tone-3" } });
  });
  test("lookups ask for 200 at a time, with the cursor when there is one", () => {
    expect(requestOf("slack.list_channels", {})).toEqual({
      method: "GET",
      path: "/conversations.list",
      query: { types: "public_channel", exclude_archived: "true", limit: "200" },
    });
    expect(requestOf("slack.list_channels", { cursor: "abc" }, ["groups:read"]).query).toEqual({
      types: "public_channel,private_channel",
      exclude_archived: "true",
      limit: "200",
      cursor: "abc",
    });
    expect(requestOf("slack.list_users", {})).toEqual({ method: "GET", path: "/users.list", query: { limit: "200" } });
    expect(requestOf("slack.list_users", { cursor: "n" }).query).toEqual({ limit: "200", cursor: "n" });
  });
});

describe("slack input checks", () => {
  const fields = (id: string, input: unknown) => {
    const parsed = parseInput(byId[id]!, input);
    return parsed.ok ? null : parsed.error.fields;
  };
  test("each field says what is wrong", () => {
    expect(fields("slack.post_message", { channel: " ", text: "" })).toEqual({ channel: "Choose a channel.", text: "Write the message." });
    expect(fields("slack.post_message", { channel: "C1", text: "x".repeat(40_001) })).toEqual({ text: "Slack takes at most 40,000 characters." });
    expect(fields("slack.post_message", { channel: "C1", text: "x".repeat(40_000) })).toBeNull();
    expect(fields("slack.post_message", { channel: "C1", text: "x", blocks: Array(51).fill({}) })).toEqual({ blocks: "Slack takes at most 50 blocks." });
    expect(fields("slack.send_direct_message", { user: "C123", text: "x" })).toEqual({ user: "A Slack user ID starts with U or W (U0123456789)." });
    expect(fields("slack.send_direct_message", { user: "W0A", text: "x" })).toBeNull();
    expect(fields("slack.send_direct_message", { user: "U0", text: "x" })).not.toBeNull();
    expect(fields("slack.reply_in_thread", { channel: "C1", threadTs: "yesterday", text: "x" })).toEqual({
      threadTs: "A Slack message timestamp looks like 1503435956.000247.",
    });
    expect(fields("slack.reply_in_thread", { channel: "C1", threadTs: "x1.2", text: "x" })).not.toBeNull();
    expect(fields("slack.reply_in_thread", { channel: "C1", threadTs: "1.2x", text: "x" })).not.toBeNull();
    expect(fields("slack.add_reaction", { channel: "C1", timestamp: "1.2", name: "Big Smile" })).toEqual({ name: "An emoji name like thumbsup or white_check_mark." });
    expect(fields("slack.add_reaction", { channel: "C1", timestamp: "1.2", name: "x::skin-tone-7" })).not.toBeNull();
  });
});

describe("slack answers", () => {
  test("posts answer channel and ts; reactions answer reacted", () => {
    for (const id of ["slack.post_message", "slack.send_direct_message", "slack.reply_in_thread"]) {
      expect(readAnswer(byId[id]!, {}, ok({ channel: "C1", ts: "1.2", message: {} }), "Slack")).toEqual({ ok: true, output: { channel: "C1", ts: "1.2" } });
    }
    expect(readAnswer(byId["slack.add_reaction"]!, {}, ok({}), "Slack")).toEqual({ ok: true, output: { reacted: true } });
  });
  test("lookups map options and the next cursor; an empty cursor is the last page", () => {
    const channels = ok({
      channels: [
        { id: "C1", name: "general", is_private: false, topic: { value: "Hello" } },
        { id: "C2", name: "leads", is_private: true, topic: { value: "" } },
        { id: "C3", name: "x" },
      ],
      response_metadata: { next_cursor: "next" },
    });
    expect(readAnswer(byId["slack.list_channels"]!, {}, channels, "Slack")).toEqual({
      ok: true,
      output: {
        options: [
          { value: "C1", label: "#general", hint: "Hello" },
          { value: "C2", label: "🔒leads" },
          { value: "C3", label: "#x" },
        ],
        nextCursor: "next",
      },
    });
    const users = ok({
      members: [
        { id: "U1", name: "ada", real_name: "Ada" },
        { id: "U2", name: "bob", real_name: "" },
        { id: "U3", name: "gone", deleted: true },
        { id: "U4", name: "bot", is_bot: true },
      ],
      response_metadata: { next_cursor: "" },
    });
    expect(readAnswer(byId["slack.list_users"]!, {}, users, "Slack")).toEqual({
      ok: true,
      output: { options: [{ value: "U1", label: "Ada", hint: "@ada" }, { value: "U2", label: "bob", hint: "@bob" }] },
    });
    expect(readAnswer(byId["slack.list_users"]!, {}, ok({ members: [] }), "Slack")).toEqual({ ok: true, output: { options: [] } });
  });
});

describe("slackFailure", () => {
  test("success is no failure; a non-200 status is mapped by status", () => {
    expect(slackFailure(ok({}))).toBeNull();
    expect(slackFailure(actionAnswer(429, { "retry-after": "3" }, ""))).toMatchObject({ code: "rate_limited", retryAfterMs: 3000 });
    expect(slackFailure(actionAnswer(500, {}, ""))).toMatchObject({ code: "provider_error", retryable: true });
  });
  test("dead tokens", () => {
    for (const code of ["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"]) {
      expect(slackFailure(no(code))).toEqual({
        code: "auth_revoked",
        message: `Slack refused the token (${code}); reconnect Slack.`,
        retryable: false,
        providerCode: code,
        status: 200,
      });
    }
  });
  test("missing_scope names what Slack says is needed", () => {
    expect(slackFailure(no("missing_scope", { needed: "groups:read" }))).toEqual({
      code: "missing_scope",
      message: "Slack needs the scope groups:read: reconnect Slack and grant it.",
      retryable: false,
      providerCode: "missing_scope",
      status: 200,
    });
    expect(slackFailure(no("missing_scope"))?.message).toBe("Slack needs the scope a scope: reconnect Slack and grant it.");
  });
  test("ratelimited in the body, with and without Retry-After", () => {
    expect(slackFailure(no("ratelimited", {}, { "retry-after": "9" }))).toEqual({
      code: "rate_limited",
      message: "Slack is rate limiting these requests.",
      retryable: true,
      retryAfterMs: 9000,
      providerCode: "ratelimited",
      status: 200,
    });
    expect(slackFailure(no("ratelimited"))).not.toHaveProperty("retryAfterMs");
  });
  test("input errors name their field and say it in words", () => {
    const cases: Array<[string, string, string]> = [
      ["channel_not_found", "channel", "the channel does not exist or the app cannot see it"],
      ["not_in_channel", "channel", "the app is not a member of this channel; invite it first"],
      ["is_archived", "channel", "the channel is archived"],
      ["user_not_found", "channel", "user_not_found"],
      ["no_text", "text", "the message has no text"],
      ["msg_too_long", "text", "the message is too long"],
      ["invalid_blocks", "blocks", "invalid_blocks"],
      ["thread_not_found", "threadTs", "there is no such thread"],
      ["message_not_found", "timestamp", "there is no such message"],
      ["invalid_name", "name", "there is no emoji with that name"],
      ["already_reacted", "name", "the app already reacted with that emoji"],
      ["invalid_cursor", "cursor", "invalid_cursor"],
    ];
    for (const [code, field, said] of cases) {
      expect(slackFailure(no(code))).toEqual({
        code: "invalid_input",
        message: `Slack refused the input: ${said}.`,
        retryable: false,
        fields: { [field]: said },
        providerCode: code,
        status: 200,
      });
    }
  });
  test("Slack's own outages retry; anything else does not; an unreadable body is unknown_error", () => {
    for (const code of ["internal_error", "service_unavailable", "fatal_error"]) {
      expect(slackFailure(no(code))).toEqual({ code: "provider_error", message: `Slack answered ${code}.`, retryable: true, providerCode: code, status: 200 });
    }
    expect(slackFailure(no("team_added_to_org"))).toMatchObject({ code: "provider_error", retryable: false });
    expect(slackFailure(actionAnswer(200, {}, "<html>"))).toMatchObject({ providerCode: "unknown_error", retryable: false });
    expect(slackFailure(actionAnswer(200, {}, '{"ok":false,"error":5}'))).toMatchObject({ providerCode: "unknown_error" });
    expect(slackFailure(actionAnswer(200, {}, '{"ok":"true"}'))).toMatchObject({ code: "provider_error" });
  });
});
