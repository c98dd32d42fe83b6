/** Trello's actions through the step contract, against the simulator's REST API with key and token in the query. */
import { describe, expect, inject, test } from "vitest";
import { api } from "../_generated/api";
import { worldPerTest, type World } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

/** An org connected to Trello with the simulator's default key and token. */
async function connectedTrello(): Promise<{ w: World; token: string }> {
  const w = await setup(simulatorUrl, "");
  const [keys] = await w.simulator.apiKeyCredentials("trello");
  await w.admin.as.action(api.integrations.credentials.connect, { orgId: w.orgId, providerId: "trello", values: keys! });
  return { w, token: keys!.token! };
}

type Page = { options: Array<{ value: string; label: string }>; nextCursor?: string };

async function page(w: World, actionId: string, input: Record<string, unknown>): Promise<Page> {
  const result = await w.runAction(actionId, input);
  if (!result.ok) throw new Error(result.error.message);
  return result.output as Page;
}

describe("trello actions", () => {
  test("the board and list lookups page Trello's one answer 100 at a time", async () => {
    const { w } = await connectedTrello();
    const boards = await page(w, "trello.list_boards", {});
    expect(boards.options).toHaveLength(100);
    expect(boards.options.slice(0, 2).map((o) => o.label)).toEqual(["Big board", "Read-only board"]);
    expect(boards.nextCursor).toBe("100");
    const moreBoards = await page(w, "trello.list_boards", { cursor: boards.nextCursor });
    // 130 open boards; the 5 closed ones are not asked for.
    expect(moreBoards.options).toHaveLength(30);
    expect(moreBoards.nextCursor).toBeUndefined();

    const big = boards.options[0]!.value;
    const lists = await page(w, "trello.list_lists", { boardId: big });
    expect(lists.options).toHaveLength(100);
    expect(lists.options[0]).toEqual({ value: expect.stringMatching(/^[0-9a-f]{24}$/), label: "Stage 1" });
    const moreLists = await page(w, "trello.list_lists", { boardId: big, cursor: lists.nextCursor });
    expect(moreLists.options.map((o) => o.label).slice(-1)).toEqual(["Stage 130"]);
    expect(moreLists.nextCursor).toBeUndefined();

    const calls = await w.simulator.apiCalls({ providerId: "trello" });
    expect(calls.map(({ method, apiPath, query }) => ({ method, apiPath, query }))).toEqual([
      { method: "GET", apiPath: "/1/members/me/boards", query: { filter: "open", fields: "name" } },
      { method: "GET", apiPath: "/1/members/me/boards", query: { filter: "open", fields: "name" } },
      { method: "GET", apiPath: `/1/boards/${big}/lists`, query: { filter: "open", fields: "name" } },
      { method: "GET", apiPath: `/1/boards/${big}/lists`, query: { filter: "open", fields: "name" } },
    ]);
  });

  test("create_card posts the card as JSON, the key and token only in the query, and answers its links", async () => {
    const { w, token } = await connectedTrello();
    const board = (await page(w, "trello.list_boards", {})).options[2]!.value;
    const todo = (await page(w, "trello.list_lists", { boardId: board })).options[0]!.value;
    const result = await w.runAction("trello.create_card", { boardId: board, idList: todo, name: "Release notes", desc: "Draft", due: "2026-03-01T17:00:00Z", pos: "top" });
    expect(result).toEqual({
      ok: true,
      output: {
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        url: expect.stringMatching(/^https:\/\/trello\.com\/c\/[A-Za-z0-9]{8}\/1-release-notes$/),
        shortUrl: expect.stringMatching(/^https:\/\/trello\.com\/c\/[A-Za-z0-9]{8}$/),
      },
      correlationId: expect.any(String),
    });
    const [sent] = await w.simulator.apiCalls({ providerId: "trello", apiPath: "/1/cards" });
    expect(sent).toMatchObject({
      method: "POST",
      query: {},
      body: { idList: todo, name: "Release notes", desc: "Draft", due: "2026-03-01T17:00:00Z", pos: "top" },
    });
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(JSON.stringify(await w.logs())).not.toContain(token);
  });

  test("Trello's plain-text errors land on the input at fault", async () => {
    const { w } = await connectedTrello();
    const missing = await w.runAction("trello.create_card", { idList: "0123456789abcdef01234567", name: "x" });
    expect(missing).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Trello refused the input: The requested resource was not found.",
        retryable: false,
        fields: { idList: "Trello has no such board or list, or this token cannot see it." },
        status: 404,
      },
      correlationId: expect.any(String),
    });
    const noBoard = await w.runAction("trello.list_lists", { boardId: "zzzzzzzz" });
    expect(noBoard).toMatchObject({ ok: false, error: { code: "invalid_input", status: 404, fields: { boardId: expect.any(String) } } });
  });

  test("a board the token may not write: missing_scope, and the connection stays connected", async () => {
    const { w } = await connectedTrello();
    const boards = await page(w, "trello.list_boards", {});
    const readOnly = boards.options.find((o) => o.label === "Read-only board")!;
    const lists = await page(w, "trello.list_lists", { boardId: readOnly.value });
    const refused = await w.runAction("trello.create_card", { idList: lists.options[0]!.value, name: "Not allowed" });
    expect(refused).toMatchObject({ ok: false, error: { code: "missing_scope", status: 401 } });
    expect((await w.connection("trello")).status).toBe("connected");
    // The token still works for everything else.
    expect((await w.runAction("trello.list_boards", {})).ok).toBe(true);
  });

  test("a 429 is rate_limited with Trello's Retry-After", async () => {
    const { w } = await connectedTrello();
    await w.simulator.failNext("trello", "api", { kind: "rate_limit", retryAfterSeconds: 45 });
    const limited = await w.runAction("trello.create_card", { idList: "0123456789abcdef01234567", name: "x" });
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryable: true, retryAfterMs: 45_000, status: 429 } });
  });
});
