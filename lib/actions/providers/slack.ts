/**
 * Slack Web API actions. Every method answers HTTP 200 with `{ ok: false, error }` on
 * failure ("Callers should always check the value of the ok params",
 * api.slack.com/methods/oauth.v2.exchange); 429 carries Retry-After
 * (docs.slack.dev/apis/web-api/rate-limits). JSON bodies need `charset=utf-8`, or Slack
 * warns `missing_charset` (docs.slack.dev/apis/web-api/#posting_json).
 * Methods: docs.slack.dev/reference/methods/{chat.postMessage, reactions.add,
 * conversations.list, users.list}. A user ID as `channel` posts to the app's DM with
 * that user (chat.postMessage, "Channels").
 */
import { z } from "zod";
import { defineAction, type ActionAnswer, type ActionMapping } from "../define";
import { failureOfStatus, retryAfterMs, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";

const SLACK = "Slack";
const JSON_UTF8 = { "Content-Type": "application/json; charset=utf-8" };

/** Slack `error` codes that mean the token is dead. */
const AUTH_ERRORS = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"]);
/** Slack `error` codes that mean the caller's input is wrong. */
const INPUT_ERRORS: Record<string, string> = {
  channel_not_found: "channel",
  not_in_channel: "channel",
  is_archived: "channel",
  user_not_found: "channel",
  no_text: "text",
  msg_too_long: "text",
  invalid_blocks: "blocks",
  thread_not_found: "threadTs",
  message_not_found: "timestamp",
  invalid_name: "name",
  already_reacted: "name",
  invalid_cursor: "cursor",
};

const HUMAN: Record<string, string> = {
  channel_not_found: "the channel does not exist or the app cannot see it",
  not_in_channel: "the app is not a member of this channel; invite it first",
  is_archived: "the channel is archived",
  no_text: "the message has no text",
  msg_too_long: "the message is too long",
  thread_not_found: "there is no such thread",
  message_not_found: "there is no such message",
  invalid_name: "there is no emoji with that name",
  already_reacted: "the app already reacted with that emoji",
};

/** A Slack answer's failure: HTTP status first, then `ok: false`. Null when it succeeded. */
export function slackFailure(answer: ActionAnswer): ActionFailure | null {
  if (answer.status !== 200) return failureOfStatus(answer, SLACK);
  const body = answer.json as { ok?: unknown; error?: unknown; needed?: unknown } | undefined;
  if (body?.ok === true) return null;
  const code = typeof body?.error === "string" ? body.error : "unknown_error";
  if (AUTH_ERRORS.has(code)) {
    return { code: "auth_revoked", message: `Slack refused the token (${code}); reconnect Slack.`, retryable: false, providerCode: code, status: 200 };
  }
  if (code === "missing_scope") {
    const needed = typeof body?.needed === "string" ? body.needed : "a scope";
    return { code: "missing_scope", message: `Slack needs the scope ${needed}: reconnect Slack and grant it.`, retryable: false, providerCode: code, status: 200 };
  }
  if (code === "ratelimited") {
    const after = retryAfterMs(answer.headers);
    return { code: "rate_limited", message: "Slack is rate limiting these requests.", retryable: true, ...(after !== undefined ? { retryAfterMs: after } : {}), providerCode: code, status: 200 };
  }
  const field = INPUT_ERRORS[code];
  const said = HUMAN[code] ?? code;
  if (field) {
    return { code: "invalid_input", message: `Slack refused the input: ${said}.`, retryable: false, fields: { [field]: said }, providerCode: code, status: 200 };
  }
  const retryable = code === "internal_error" || code === "service_unavailable" || code === "fatal_error";
  return { code: "provider_error", message: `Slack answered ${code}.`, retryable, providerCode: code, status: 200 };
}

function slackJson<T>(answer: ActionAnswer, read: (body: never) => T): ActionMapping<T> {
  const failure = slackFailure(answer);
  return failure ? { ok: false, error: failure } : { ok: true, output: read(answer.json as never) };
}

const channelField = z
  .string()
  .trim()
  .min(1, "Choose a channel.")
  .meta({ title: "Channel", description: "A channel ID (C…); the app must be a member.", examples: ["C0123456789"], ...fromLookup("slack.list_channels") });
const textField = z
  .string()
  .min(1, "Write the message.")
  .max(40_000, "Slack takes at most 40,000 characters.")
  .meta({ title: "Message", description: "Slack mrkdwn: *bold*, _italic_, <https://example.com|links>.", examples: ["Deploy finished :rocket:"] });
const blocksField = z
  .array(z.record(z.string(), z.unknown()))
  .max(50, "Slack takes at most 50 blocks.")
  .optional()
  .meta({ title: "Blocks", description: "Block Kit blocks; the text is then the notification fallback." });

const postedMessage = z.object({
  channel: z.string().describe("The channel (or DM) the message went to."),
  ts: z.string().describe("The message's timestamp id: reply or react to it with this."),
});

type Posted = { channel: string; ts: string };
const readPosted = (body: Posted) => ({ channel: body.channel, ts: body.ts });

export const slackPostMessage = defineAction({
  id: "slack.post_message",
  version: 1,
  providerId: "slack",
  title: "Post a message to a channel",
  description: "Posts a message as the app to a channel it has been invited to.",
  effect: "write",
  scopes: ["chat:write"],
  input: z.object({ channel: channelField, text: textField, blocks: blocksField }),
  output: postedMessage,
  request: (input) => ({
    method: "POST",
    path: "/chat.postMessage",
    headers: JSON_UTF8,
    body: { json: { channel: input.channel, text: input.text, ...(input.blocks ? { blocks: input.blocks } : {}) } },
  }),
  response: (answer) => slackJson(answer, readPosted),
});

export const slackSendDirectMessage = defineAction({
  id: "slack.send_direct_message",
  version: 1,
  providerId: "slack",
  title: "Send a direct message",
  description: "Sends a message from the app to one person (it appears in the app's Messages tab).",
  effect: "write",
  scopes: ["chat:write"],
  input: z.object({
    user: z
      .string()
      .trim()
      .regex(/^[UW][A-Z0-9]{2,}$/, "A Slack user ID starts with U or W (U0123456789).")
      .meta({ title: "Person", description: "The user's Slack ID.", examples: ["U0123456789"], ...fromLookup("slack.list_users") }),
    text: textField,
  }),
  output: postedMessage,
  request: (input) => ({
    method: "POST",
    path: "/chat.postMessage",
    headers: JSON_UTF8,
    body: { json: { channel: input.user, text: input.text } },
  }),
  response: (answer) => slackJson(answer, readPosted),
});

const messageTs = z
  .string()
  .trim()
  .regex(/^\d+\.\d+$/, "A Slack message timestamp looks like 1503435956.000247.");

export const slackReplyInThread = defineAction({
  id: "slack.reply_in_thread",
  version: 1,
  providerId: "slack",
  title: "Reply in a thread",
  description: "Replies under a message; optionally also shows the reply in the channel.",
  effect: "write",
  scopes: ["chat:write"],
  input: z.object({
    channel: channelField,
    threadTs: messageTs.meta({ title: "Thread", description: "The parent message's ts (from Post a message).", examples: ["1503435956.000247"] }),
    text: textField,
    alsoSendToChannel: z.boolean().default(false).meta({ title: "Also send to the channel" }),
  }),
  output: postedMessage,
  request: (input) => ({
    method: "POST",
    path: "/chat.postMessage",
    headers: JSON_UTF8,
    body: {
      json: {
        channel: input.channel,
        thread_ts: input.threadTs,
        text: input.text,
        ...(input.alsoSendToChannel ? { reply_broadcast: true } : {}),
      },
    },
  }),
  response: (answer) => slackJson(answer, readPosted),
});

export const slackAddReaction = defineAction({
  id: "slack.add_reaction",
  version: 1,
  providerId: "slack",
  title: "Add a reaction",
  description: "Reacts to a message with an emoji.",
  effect: "write",
  scopes: ["reactions:write"],
  input: z.object({
    channel: channelField,
    timestamp: messageTs.meta({ title: "Message", description: "The message's ts.", examples: ["1503435956.000247"] }),
    name: z
      .string()
      .trim()
      .transform((name) => name.replace(/^:|:$/g, ""))
      .pipe(z.string().regex(/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/, "An emoji name like thumbsup or white_check_mark."))
      .meta({ title: "Emoji", description: "Its name, without colons.", examples: ["white_check_mark"] }),
  }),
  output: z.object({ reacted: z.literal(true) }),
  request: (input) => ({
    method: "POST",
    path: "/reactions.add",
    headers: JSON_UTF8,
    body: { json: { channel: input.channel, timestamp: input.timestamp, name: input.name } },
  }),
  response: (answer) => slackJson(answer, () => ({ reacted: true as const })),
});

/** Slack's cursor pagination: `response_metadata.next_cursor`, empty on the last page. */
function nextCursorOf(body: { response_metadata?: { next_cursor?: string } }): string | undefined {
  return body.response_metadata?.next_cursor || undefined;
}

/** Options per page: Slack recommends no more than 200 (conversations.list, "limit"). */
const PAGE_SIZE = "200";

export const slackListChannels = defineAction({
  id: "slack.list_channels",
  version: 1,
  providerId: "slack",
  kind: "lookup",
  title: "List channels",
  description: "Channels the app can see, not archived; private ones too when it was granted groups:read.",
  effect: "read",
  scopes: ["channels:read"],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input, context) => ({
    method: "GET",
    path: "/conversations.list",
    query: {
      // Asking for private channels without groups:read is a missing_scope error.
      types: context.scopes.includes("groups:read") ? "public_channel,private_channel" : "public_channel",
      exclude_archived: "true",
      limit: PAGE_SIZE,
      ...(input.cursor ? { cursor: input.cursor } : {}),
    },
  }),
  response: (answer) =>
    slackJson(answer, (body: { channels: Array<{ id: string; name: string; is_private?: boolean; topic?: { value?: string } }>; response_metadata?: { next_cursor?: string } }) => ({
      options: body.channels.map((channel) => ({
        value: channel.id,
        label: `${channel.is_private ? "🔒" : "#"}${channel.name}`,
        ...(channel.topic?.value ? { hint: channel.topic.value } : {}),
      })),
      nextCursor: nextCursorOf(body),
    })),
});

export const slackListUsers = defineAction({
  id: "slack.list_users",
  version: 1,
  providerId: "slack",
  kind: "lookup",
  title: "List people",
  description: "People in the workspace, without deactivated accounts and bots.",
  effect: "read",
  scopes: ["users:read"],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: "/users.list",
    query: { limit: PAGE_SIZE, ...(input.cursor ? { cursor: input.cursor } : {}) },
  }),
  response: (answer) =>
    slackJson(answer, (body: { members: Array<{ id: string; name: string; real_name?: string; deleted?: boolean; is_bot?: boolean }>; response_metadata?: { next_cursor?: string } }) => ({
      options: body.members
        .filter((member) => !member.deleted && !member.is_bot)
        .map((member) => ({ value: member.id, label: member.real_name || member.name, hint: `@${member.name}` })),
      nextCursor: nextCursorOf(body),
    })),
});

export const slackActions = [
  slackPostMessage,
  slackSendDirectMessage,
  slackReplyInThread,
  slackAddReaction,
  slackListChannels,
  slackListUsers,
];
