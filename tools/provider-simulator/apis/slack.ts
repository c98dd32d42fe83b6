/**
 * Slack's Web API as the actions use it: chat.postMessage, reactions.add,
 * conversations.list, users.list. Slack answers HTTP 200 with `{ ok: false, error }`
 * (docs.slack.dev/reference/methods/chat.postMessage, "Errors"), accepts JSON bodies
 * only with `charset=utf-8` for POST methods (else `ok: true` with a `missing_charset`
 * warning — the simulator is stricter and refuses, so the mistake shows in tests), and
 * paginates with `cursor`/`limit` → `response_metadata.next_cursor` (empty at the end).
 */
import { header, json, type SimResponse } from "../http-utils";
import { pageOf, worldOf, type ApiCall } from "./index";

type Channel = { id: string; name: string; is_private: boolean; is_archived: boolean; is_member: boolean; topic: { value: string } };
type User = { id: string; name: string; real_name: string; deleted: boolean; is_bot: boolean };
type Message = { channel: string; ts: string; text: string; thread_ts?: string; reactions: string[] };

/** 250 channels, so a lookup needs two pages at Slack's 200 limit; three special ones first. */
function channels(): Channel[] {
  const list: Channel[] = [
    { id: "C0GENERAL", name: "general", is_private: false, is_archived: false, is_member: true, topic: { value: "Company-wide" } },
    { id: "C0PRIVATE", name: "leads", is_private: true, is_archived: false, is_member: true, topic: { value: "" } },
    { id: "C0OUTSIDE", name: "random", is_private: false, is_archived: false, is_member: false, topic: { value: "" } },
    { id: "C0ARCHIVE", name: "old-news", is_private: false, is_archived: true, is_member: true, topic: { value: "" } },
  ];
  for (let i = 1; list.length < 250; i += 1) {
    list.push({ id: `C${String(i).padStart(8, "0")}`, name: `team-${i}`, is_private: false, is_archived: false, is_member: true, topic: { value: "" } });
  }
  return list;
}

function users(): User[] {
  const list: User[] = [
    { id: "U0ADA", name: "ada", real_name: "Ada Lovelace", deleted: false, is_bot: false },
    { id: "U0GONE", name: "gone", real_name: "Former Person", deleted: true, is_bot: false },
    { id: "U0BOT", name: "switchboard", real_name: "Switchboard", deleted: false, is_bot: true },
  ];
  for (let i = 1; list.length < 230; i += 1) {
    list.push({ id: `U${String(i).padStart(8, "0")}`, name: `person${i}`, real_name: `Person ${i}`, deleted: false, is_bot: false });
  }
  return list;
}

const fail = (error: string, extra: Record<string, unknown> = {}) => json(200, { ok: false, error, ...extra });

/** Slack's POST methods take a JSON body only as `application/json; charset=utf-8`, or a form. */
function bodyOf(call: ApiCall): { body: Record<string, unknown> } | { refused: SimResponse } {
  const { req } = call;
  if (req.bodyFormat === "json") {
    const type = header(req, "content-type") ?? "";
    if (!/charset=utf-8/i.test(type)) return { refused: fail("missing_charset") };
    if (typeof req.json !== "object" || req.json === null || Array.isArray(req.json)) return { refused: fail("invalid_json") };
    return { body: req.json as Record<string, unknown> };
  }
  if (req.bodyFormat === "form") return { body: req.params };
  return { refused: fail("invalid_arguments") };
}

function nextTs(world: Record<string, unknown>, now: number): string {
  const counter = worldOf(world, "tsCounter", () => ({ n: 0 }));
  counter.n += 1;
  return `${Math.floor(now / 1000)}.${String(counter.n).padStart(6, "0")}`;
}

function postMessage(call: ApiCall, body: Record<string, unknown>): SimResponse {
  const channelList = worldOf(call.world, "channels", channels);
  const userList = worldOf(call.world, "users", users);
  const messages = worldOf<Message[]>(call.world, "messages", () => []);
  const target = typeof body.channel === "string" ? body.channel : "";
  const text = typeof body.text === "string" ? body.text : "";
  const hasBlocks = Array.isArray(body.blocks) && body.blocks.length > 0;
  if (!target) return fail("channel_not_found");
  if (!text && !hasBlocks) return fail("no_text");
  if (text.length > 40_000) return fail("msg_too_long");
  let channelId = target;
  if (/^[UW]/.test(target)) {
    const user = userList.find((u) => u.id === target);
    if (!user || user.deleted) return fail("user_not_found");
    channelId = `D${target.slice(1)}`;
  } else {
    const channel = channelList.find((c) => c.id === target || c.name === target.replace(/^#/, ""));
    if (!channel) return fail("channel_not_found");
    if (channel.is_archived) return fail("is_archived");
    if (!channel.is_member) return fail("not_in_channel");
    channelId = channel.id;
  }
  const threadTs = typeof body.thread_ts === "string" ? body.thread_ts : undefined;
  if (threadTs !== undefined && !messages.some((m) => m.channel === channelId && m.ts === threadTs)) {
    return fail("thread_not_found");
  }
  const ts = nextTs(call.world, call.now);
  messages.push({ channel: channelId, ts, text, reactions: [], ...(threadTs ? { thread_ts: threadTs } : {}) });
  return json(200, {
    ok: true,
    channel: channelId,
    ts,
    message: { type: "message", text, ts, bot_id: "B0SWITCH", ...(threadTs ? { thread_ts: threadTs } : {}) },
  });
}

function addReaction(call: ApiCall, body: Record<string, unknown>): SimResponse {
  const messages = worldOf<Message[]>(call.world, "messages", () => []);
  const name = typeof body.name === "string" ? body.name : "";
  if (!body.channel || !body.timestamp || !name) return fail("invalid_arguments");
  const message = messages.find((m) => m.channel === body.channel && m.ts === body.timestamp);
  if (!message) return fail("message_not_found");
  if (!/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(name) || name === "not_an_emoji") return fail("invalid_name");
  if (message.reactions.includes(name)) return fail("already_reacted");
  message.reactions.push(name);
  return json(200, { ok: true });
}

/** Slack's `limit`: 1–1000, default 100 (conversations.list "limit"). */
function limitOf(call: ApiCall): number | SimResponse {
  const raw = call.req.query.get("limit");
  if (raw === null) return 100;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return fail("invalid_limit");
  return limit;
}

function cursorOf(call: ApiCall): string | null | SimResponse {
  const cursor = call.req.query.get("cursor");
  if (cursor === null || cursor === "") return null;
  return /^dXNlcjo[0-9]+$/.test(cursor) ? String(Number(cursor.slice(7))) : fail("invalid_cursor");
}

/** Slack cursors are opaque base64-looking strings; ours are `dXNlcjo` + an offset. */
const cursorFor = (next: string | undefined) => (next === undefined ? "" : `dXNlcjo${next}`);

function list<T>(call: ApiCall, items: T[], key: string): SimResponse {
  const limit = limitOf(call);
  if (typeof limit !== "number") return limit;
  const cursor = cursorOf(call);
  if (cursor !== null && typeof cursor !== "string") return cursor;
  const { page, next } = pageOf(items, cursor, limit);
  return json(200, { ok: true, [key]: page, response_metadata: { next_cursor: cursorFor(next) } });
}

/** The scope each method needs (docs.slack.dev/reference/methods/*, "Scopes"). */
const METHOD_SCOPES: Record<string, string> = {
  "/chat.postMessage": "chat:write",
  "/reactions.add": "reactions:write",
  "/conversations.list": "channels:read",
  "/users.list": "users:read",
};

export function slackApi(call: ApiCall): SimResponse | null {
  const { req, apiPath } = call;
  const needed = METHOD_SCOPES[apiPath];
  if (needed && !call.scopes.includes(needed)) return fail("missing_scope", { needed, provided: call.scopes.join(",") });
  if (apiPath === "/conversations.list" && (req.query.get("types") ?? "").includes("private_channel") && !call.scopes.includes("groups:read")) {
    return fail("missing_scope", { needed: "groups:read", provided: call.scopes.join(",") });
  }
  const posting = ["/chat.postMessage", "/reactions.add"];
  if (posting.includes(apiPath)) {
    if (req.method !== "POST") return fail("method_not_supported_for_channel_type");
    const read = bodyOf(call);
    if ("refused" in read) return read.refused;
    return apiPath === "/chat.postMessage" ? postMessage(call, read.body) : addReaction(call, read.body);
  }
  if (apiPath === "/conversations.list") {
    const types = (req.query.get("types") ?? "public_channel").split(",");
    const excludeArchived = req.query.get("exclude_archived") === "true";
    const visible = worldOf(call.world, "channels", channels).filter(
      (c) => types.includes(c.is_private ? "private_channel" : "public_channel") && !(excludeArchived && c.is_archived),
    );
    return list(call, visible, "channels");
  }
  if (apiPath === "/users.list") return list(call, worldOf(call.world, "users", users), "members");
  return null;
}
