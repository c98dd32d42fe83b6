import { fileURLToPath } from "node:url";
import { ConvexHttpClient, type ConvexClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { ConvexReactClient } from "convex/react";
import { ConvexError } from "convex/values";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { api } from "./fixture/convex/_generated/api.js";
import { startSandbox, type Sandbox, type SandboxOptions } from "./server.mjs";
import { newClient, waitFor } from "./test-clients.js";

const FIXTURE_CONVEX_DIR = fileURLToPath(new URL("./fixture/convex", import.meta.url));

let sandbox: Sandbox;
let clients: ConvexClient[];

async function start(options: SandboxOptions = {}) {
  sandbox = await startSandbox({ convexDir: FIXTURE_CONVEX_DIR, port: 0, sitePort: 0, quiet: true, envFile: null, ...options });
}

function client(): ConvexClient {
  const made = newClient(sandbox.url);
  clients.push(made);
  return made;
}

beforeEach(() => {
  clients = [];
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sandbox?.close();
});

const bodies = (messages: Array<{ body: string }> | undefined) => (messages ?? []).map((m) => m.body);

describe("the sync protocol with the unmodified ConvexClient", () => {
  test("a subscriber receives another client's writes", async () => {
    await start();
    const watcher = client();
    await waitFor(watcher, api.messages.list, {}, (messages) => messages.length === 0);
    const seen = waitFor(watcher, api.messages.list, {}, (messages) => messages.length === 1);
    await client().mutation(api.messages.send, { body: "hello" });
    expect(bodies(await seen)).toEqual(["hello"]);
  });

  test("a mutation resolves only once the client's own subscriptions show its write", async () => {
    await start();
    const writer = client();
    const subscription = writer.onUpdate(api.messages.list, {}, () => {});
    await waitFor(writer, api.messages.list, {}, () => true);
    for (const body of ["one", "two", "three"]) {
      await writer.mutation(api.messages.send, { body });
      expect(bodies(subscription.getCurrentValue())).toContain(body);
    }
    subscription();
  });

  test("a ConvexError's data reaches the client over the WebSocket and over HTTP", async () => {
    await start();
    const expected = { code: "NOT_ALLOWED", message: "Messages are closed." };
    const overSocket = await client().mutation(api.messages.refuse, {}).catch((e: unknown) => e);
    expect(overSocket).toBeInstanceOf(ConvexError);
    expect((overSocket as ConvexError<typeof expected>).data).toEqual(expected);

    const overHttp = await new ConvexHttpClient(sandbox.url).mutation(api.messages.refuse, {}).catch((e: unknown) => e);
    expect(overHttp).toBeInstanceOf(ConvexError);
    expect((overHttp as ConvexError<typeof expected>).data).toEqual(expected);
  });

  test("thrown errors and argument validation errors read as a development deployment's", async () => {
    await start();
    const crash = (await client()
      .mutation(api.messages.crash, {})
      .catch((e: unknown) => e)) as Error;
    expect(crash).not.toBeInstanceOf(ConvexError);
    expect(crash.message).toMatch(/\[Request ID: [0-9a-f]{16}\] Server Error\nUncaught Error: the handler broke/);
    expect(crash.message).toContain("at handler (../convex/messages.ts:");

    const badArgs = (await new ConvexHttpClient(sandbox.url)
      .mutation(api.messages.send, { text: "hi" } as never)
      .catch((e: unknown) => e)) as Error;
    expect(badArgs.message).toContain("ArgumentValidationError: Object is missing the required field `body`.");
    expect(badArgs.message).toContain("Validator: v.object({body: v.string(), author: v.optional(v.string())})");
  });

  test("internal functions are refused as if they did not exist, over both protocols", async () => {
    await start();
    const internalMutation = makeFunctionReference<"mutation">("messages:clearInternal");
    const refusal = "Could not find public function for 'messages:clearInternal'. Did you forget to run `npx convex dev` or `npx convex deploy`?";
    await expect(client().mutation(internalMutation, {})).rejects.toThrow(refusal);
    await expect(new ConvexHttpClient(sandbox.url).mutation(internalMutation, {})).rejects.toThrow(refusal);
    await expect(new ConvexHttpClient(sandbox.url).query(makeFunctionReference<"query">("messages:nope"), {})).rejects.toThrow(
      "Could not find public function for 'messages:nope'",
    );
    // An admin key may call them, as with a deployment's admin key.
    const admin = new ConvexHttpClient(sandbox.url);
    (admin as unknown as { setAdminAuth(key: string): void }).setAdminAuth(sandbox.adminKey);
    await expect(admin.mutation(internalMutation, {})).resolves.toBeNull();
  });

  test("a token no provider accepts is an auth error, over both protocols", async () => {
    await start();
    const changes: boolean[] = [];
    const anonymous = client();
    anonymous.setAuth(async () => "header.payload.signature", (isAuthenticated) => changes.push(isAuthenticated));
    await expect.poll(() => changes, { timeout: 5_000 }).toEqual([false]);

    const http = new ConvexHttpClient(sandbox.url);
    http.setAuth("header.payload.signature");
    await expect(http.query(api.messages.list, {})).rejects.toThrow(/Unauthenticated/);
  });

  test("a scheduled function's write is pushed to subscribers", async () => {
    await start();
    const watcher = client();
    await waitFor(watcher, api.messages.list, {}, () => true);
    const seen = waitFor(watcher, api.messages.list, {}, (messages) => messages.length === 1);
    const startedAt = Date.now();
    await client().mutation(api.messages.sendLater, { body: "later" });
    expect((await seen)[0]).toMatchObject({ body: "later", author: "scheduler" });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(45);
  });

  test("an action's writes are pushed and its result returned", async () => {
    await start();
    const watcher = client();
    const seen = waitFor(watcher, api.messages.list, {}, (messages) => messages.length === 1);
    await expect(client().action(api.messages.shout, { body: "hey" })).resolves.toBe(1);
    expect(bodies(await seen)).toEqual(["HEY"]);
  });

  test("a paginated query neither skips nor repeats rows across inserts and loadMore", async () => {
    await start();
    const writer = client();
    for (const body of ["b", "d", "f", "h", "j"]) await writer.mutation(api.messages.send, { body });

    const reader = client();
    type Page = { results: Array<{ body: string }>; status: string; loadMore: (n: number) => boolean };
    let latest: Page | undefined;
    // The client adds `paginationOpts` to each page's arguments itself.
    const noArgs = {} as Parameters<typeof reader.onPaginatedUpdate_experimental<typeof api.messages.page>>[1];
    const subscription = reader.onPaginatedUpdate_experimental(api.messages.page, noArgs, { initialNumItems: 2 }, (page) => {
      latest = page as unknown as Page;
    });
    const results = () => bodies(latest?.results);

    await expect.poll(results).toEqual(["b", "d"]);
    latest!.loadMore(2);
    await expect.poll(results).toEqual(["b", "d", "f", "h"]);

    // Rows land inside loaded pages, and past them: pages grow, none shifts.
    for (const body of ["a", "c", "g", "z"]) await writer.mutation(api.messages.send, { body });
    await expect.poll(results).toEqual(["a", "b", "c", "d", "f", "g", "h"]);
    expect(latest!.status).toBe("CanLoadMore");

    latest!.loadMore(10);
    await expect.poll(results).toEqual(["a", "b", "c", "d", "f", "g", "h", "j", "z"]);
    expect(latest!.status).toBe("Exhausted");

    await writer.mutation(api.messages.send, { body: "k" });
    await expect.poll(results).toEqual(["a", "b", "c", "d", "f", "g", "h", "j", "k", "z"]);
    subscription();
  });

  test("150 concurrent mutations from 3 clients converge to one state in every subscriber", async () => {
    await start();
    const writers = [client(), client(), client()];
    const subscriptions = writers.map((writer) => writer.onUpdate(api.messages.list, {}, () => {}));
    await Promise.all(writers.map((writer) => waitFor(writer, api.messages.list, {}, () => true)));

    const startedAt = performance.now();
    await Promise.all(
      writers.flatMap((writer, w) =>
        Array.from({ length: 50 }, (_, i) => writer.mutation(api.messages.send, { body: `${w}-${i}`, author: `w${w}` })),
      ),
    );
    const ids = (i: number) => (subscriptions[i]!.getCurrentValue() ?? []).map((m) => m._id);
    await expect.poll(() => writers.map((_, i) => ids(i).length), { timeout: 10_000 }).toEqual([150, 150, 150]);
    const elapsedMs = performance.now() - startedAt;
    expect(ids(1)).toEqual(ids(0));
    expect(ids(2)).toEqual(ids(0));
    expect(new Set(ids(0)).size).toBe(150);
    console.info(`150 mutations from 3 clients converged in ${elapsedMs.toFixed(0)} ms`);
    subscriptions.forEach((unsubscribe) => unsubscribe());
  });

  test("the unmodified ConvexReactClient watches queries and runs mutations", async () => {
    await start();
    const react = new ConvexReactClient(sandbox.url, {
      webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
      unsavedChangesWarning: false,
      logger: false,
    });
    try {
      const watch = react.watchQuery(api.messages.list, {});
      const updates: number[] = [];
      const stop = watch.onUpdate(() => updates.push(watch.localQueryResult()?.length ?? -1));
      await react.mutation(api.messages.send, { body: "from react" });
      expect(bodies(watch.localQueryResult())).toEqual(["from react"]);
      expect(updates).toContain(1);
      stop();
    } finally {
      await react.close();
    }
  });

  test("on the wire: versions chain, timestamps are u64 base64, and a resent mutation runs once", async () => {
    await start({ crons: false });
    type Frame = Record<string, unknown> & { type: string };
    const connect = async () => {
      const frames: Frame[] = [];
      const socket = new WebSocket(`${sandbox.url.replace("http", "ws")}/api/1.48.0/sync`);
      socket.on("message", (data) => frames.push(JSON.parse(data.toString()) as Frame));
      await new Promise((resolve) => socket.once("open", resolve));
      const send = (message: object) => socket.send(JSON.stringify(message));
      send({ type: "Connect", sessionId: "session-1", connectionCount: 0, lastCloseReason: null, clientTs: Date.now() });
      return { socket, send, frames };
    };
    const mutation = { type: "Mutation", requestId: 7, udfPath: "messages:send", args: [{ body: "once" }] };
    const response = (frames: Frame[]) => frames.find((f) => f.type === "MutationResponse");

    const first = await connect();
    const add = { type: "Add", queryId: 0, udfPath: "messages:list", args: [{}] };
    first.send({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [add] });
    first.send(mutation);
    await expect.poll(() => response(first.frames)).toBeDefined();
    const sent = response(first.frames)!;
    // The mutation's ts is covered by a later Transition, whose versions chain from zero.
    type Transition = Frame & { startVersion: { ts: string }; endVersion: { querySet: number; ts: string } };
    const tsOf = (encoded: string) => Buffer.from(encoded, "base64").readBigUInt64LE();
    const transitions = () => first.frames.filter((f) => f.type === "Transition") as Transition[];
    await expect.poll(() => transitions().some((t) => tsOf(t.endVersion.ts) >= tsOf(sent.ts as string))).toBe(true);
    expect(transitions()[0]!.startVersion).toEqual({ querySet: 0, identity: 0, ts: Buffer.alloc(8).toString("base64") });
    transitions().slice(1).forEach((t, i) => expect(t.startVersion).toEqual(transitions()[i]!.endVersion));
    expect(transitions().at(-1)!.endVersion.querySet).toBe(1);
    first.socket.close();

    // After a reconnect the client resends what it has no answer for; it must not run twice.
    const second = await connect();
    second.send(mutation);
    await expect.poll(() => response(second.frames)).toBeDefined();
    second.socket.close();
    expect(response(second.frames)).toMatchObject({ success: true, result: sent.result, ts: sent.ts });
    const all = await sandbox.run("messages:list");
    expect(all.success && bodies(all.value as Array<{ body: string }>)).toEqual(["once"]);
  });

  test("the server pings every socket so idle clients do not reconnect", async () => {
    await start({ pingIntervalMs: 50 });
    const socket = new WebSocket(`${sandbox.url.replace("http", "ws")}/api/1.48.0/sync`);
    const message = await new Promise<string>((resolve, reject) => {
      socket.on("message", (data) => resolve(data.toString()));
      socket.on("error", reject);
    });
    socket.close();
    expect(JSON.parse(message)).toEqual({ type: "Ping" });
  });
});

describe("logs, HTTP actions and crons", () => {
  test("console lines come back as logLines and are printed with the function's name", async () => {
    const printed: string[] = [];
    await start({ quiet: false, print: (line) => printed.push(line) });
    const response = await fetch(`${sandbox.url}/api/mutation`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "messages:send", format: "convex_encoded_json", args: [{ body: "hi" }] }),
    });
    expect(await response.json()).toMatchObject({ status: "success", logLines: ["[LOG] 'sending' 'hi'"] });
    expect(printed).toContain("messages:send [LOG] 'sending' 'hi'");
  });

  test("HTTP actions run on the site URL and their writes reach subscribers", async () => {
    await start();
    const watcher = client();
    const seen = waitFor(watcher, api.messages.list, {}, (messages) => messages.length === 1);
    const response = await fetch(`${sandbox.siteUrl}/messages?source=test`, { method: "POST", body: "from a webhook" });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      stored: "from a webhook",
      subject: null,
      url: `${sandbox.siteUrl}/messages?source=test`,
    });
    expect(bodies(await seen)).toEqual(["from a webhook"]);
    expect((await fetch(`${sandbox.siteUrl}/nowhere`)).status).toBe(404);
  });

  test("crons from convex/crons.ts run on their schedule", async () => {
    await start();
    await waitFor(client(), api.heartbeats.count, {}, (count) => count >= 1, 3_000);
  });
});

describe("admin endpoints", () => {
  test("reset empties the database and subscribers see the empty result", async () => {
    await start({ crons: false });
    const watcher = client();
    await watcher.mutation(api.messages.send, { body: "doomed" });
    const emptied = waitFor(watcher, api.messages.list, {}, (messages) => messages.length === 0);
    const response = await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST" });
    expect(response.status).toBe(200);
    await emptied;
    const { tables } = (await (await fetch(`${sandbox.url}/_sandbox/export`)).json()) as { tables: Record<string, unknown[]> };
    expect(tables.messages).toEqual([]);
  });

  test("export lists every table, system tables included, and run calls internal functions", async () => {
    await start({ crons: false });
    await client().mutation(api.messages.sendLater, { body: "soon" });
    const { tables } = (await (await fetch(`${sandbox.url}/_sandbox/export`)).json()) as {
      tables: Record<string, Array<Record<string, unknown>>>;
    };
    expect(Object.keys(tables).sort()).toEqual(["_scheduled_functions", "_storage", "heartbeats", "messages"]);
    expect(tables._scheduled_functions![0]).toMatchObject({ name: "messages:writeLater", args: [{ body: "soon" }] });

    const run = await fetch(`${sandbox.url}/_sandbox/run`, {
      method: "POST",
      body: JSON.stringify({ name: "messages:writeLater", args: { body: "by admin" } }),
    });
    expect(await run.json()).toMatchObject({ status: "success", value: null });
    const outcome = await sandbox.run("messages:count");
    expect(outcome.success && bodies(outcome.value as Array<{ body: string }>)).toContain("by admin");
  });
});
