import { describe, expect, test } from "vitest";
import { actionSpec } from "../spec";
import type { ActionContext, AnyAction } from "../define";
import { actionAnswer, buildRequest, parseInput, readAnswer } from "../prepare";
import { trelloActions, trelloCreateCard, trelloFailure, trelloListBoards, trelloListLists } from "./trello";

const context: ActionContext = { config: {}, scopes: [], correlationId: "run-1" };
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  actionAnswer(status, headers, typeof body === "string" ? body : JSON.stringify(body));
const LIST = "5abbe4b7ddc1b351ef961415";
const BOARD = "5abbe4b7ddc1b351ef961414";

function requestFor(action: AnyAction, raw: unknown) {
  const parsed = parseInput(action, raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildRequest(action, parsed.input, context);
  if (!built.ok) throw new Error(built.error.message);
  return built.request;
}
function fieldErrors(action: AnyAction, raw: unknown) {
  const parsed = parseInput(action, raw);
  return parsed.ok ? null : parsed.error.fields;
}

describe("trello.create_card", () => {
  test("a full input is one JSON POST to /1/cards; the board is not sent", () => {
    expect(
      requestFor(trelloCreateCard, { boardId: BOARD, idList: ` ${LIST} `, name: "  Release notes ", desc: "**Draft**", due: "2026-03-01T17:00:00Z", pos: "top" }),
    ).toStrictEqual({
      method: "POST",
      path: "/1/cards",
      body: { json: { idList: LIST, name: "Release notes", desc: "**Draft**", due: "2026-03-01T17:00:00Z", pos: "top" } },
    });
  });

  test("only what is given is sent, an empty description and a numeric position too", () => {
    expect(requestFor(trelloCreateCard, { idList: LIST, name: "x" }).body).toStrictEqual({ json: { idList: LIST, name: "x" } });
    expect(requestFor(trelloCreateCard, { idList: LIST, name: "x", desc: "", pos: 65536.5 }).body).toStrictEqual({
      json: { idList: LIST, name: "x", desc: "", pos: 65536.5 },
    });
  });

  const boardMessage = "A Trello board ID (24 hexadecimal characters) or short link (8 characters).";
  test.each([
    [{ idList: "5abbe4b7ddc1b351ef96141" }, { idList: "A Trello list ID has 24 hexadecimal characters." }],
    [{ idList: `${LIST}0` }, { idList: "A Trello list ID has 24 hexadecimal characters." }],
    [{ idList: "5abbe4b7ddc1b351ef96141g" }, { idList: "A Trello list ID has 24 hexadecimal characters." }],
    [{ name: " " }, { name: "Give the card a name." }],
    [{ name: "x".repeat(16_385) }, { name: "Trello takes at most 16,384 characters." }],
    [{ desc: "x".repeat(16_385) }, { desc: "Trello takes at most 16,384 characters." }],
    [{ due: "2026-03-01" }, { due: "A date and time like 2026-03-01T17:00:00Z." }],
    [{ pos: "middle" }, { pos: "top, bottom, or a positive number." }],
    [{ pos: 0 }, { pos: "top, bottom, or a positive number." }],
    [{ boardId: "abc" }, { boardId: boardMessage }],
    [{ boardId: "abcdefg!" }, { boardId: boardMessage }],
    [{ boardId: `x${BOARD}` }, { boardId: boardMessage }],
    [{ boardId: "abcdefghi" }, { boardId: boardMessage }],
  ])("%j is refused with %j", (change, fields) => {
    expect(fieldErrors(trelloCreateCard, { idList: LIST, name: "x", ...change })).toStrictEqual(fields);
  });

  test("what Trello takes is accepted", () => {
    expect(fieldErrors(trelloCreateCard, { idList: LIST.toUpperCase(), name: "x".repeat(16_384), desc: "x".repeat(16_384), due: "2026-03-01T17:00:00+01:00", pos: "bottom", boardId: "nC8QJJoZ" })).toBeNull();
  });

  test("200 gives the card's id, url and short url", () => {
    const card = { id: "5abbe4b7ddc1b351ef961416", url: "https://trello.com/c/AbCd1234/12-release-notes", shortUrl: "https://trello.com/c/AbCd1234", name: "Release notes" };
    expect(readAnswer(trelloCreateCard, {}, answer(200, card), "Trello")).toStrictEqual({
      ok: true,
      output: { id: "5abbe4b7ddc1b351ef961416", url: "https://trello.com/c/AbCd1234/12-release-notes", shortUrl: "https://trello.com/c/AbCd1234" },
    });
    expect(trelloCreateCard.response(answer(404, "The requested resource was not found."), {} as never)).toMatchObject({
      ok: false,
      error: { fields: { idList: "Trello has no such board or list, or this token cannot see it." } },
    });
  });
});

describe("the lookups", () => {
  test("boards: the member's open boards, names only, whatever the page", () => {
    const expected = { method: "GET", path: "/1/members/me/boards", query: { filter: "open", fields: "name" } };
    expect(requestFor(trelloListBoards, {})).toStrictEqual(expected);
    expect(requestFor(trelloListBoards, { cursor: "100" })).toStrictEqual(expected);
  });

  test("lists: the board's open lists, the board escaped in the path", () => {
    expect(requestFor(trelloListLists, { boardId: " nC8QJJoZ " })).toStrictEqual({
      method: "GET",
      path: "/1/boards/nC8QJJoZ/lists",
      query: { filter: "open", fields: "name" },
    });
    expect(fieldErrors(trelloListLists, {})).toStrictEqual({ boardId: "Invalid input: expected string, received undefined" });
  });

  test.each(["abc", "-100", "1e2", "1234567", " 100"])("a cursor %j the lookup never gave is invalid input", (cursor) => {
    const refused = { ok: false, error: { code: "invalid_input", message: "This cursor was not given by the Trello lookup.", retryable: false } };
    expect(buildRequest(trelloListBoards, { cursor }, context)).toStrictEqual(refused);
    expect(buildRequest(trelloListLists, { cursor, boardId: BOARD }, context)).toStrictEqual(refused);
  });

  const boards = Array.from({ length: 230 }, (_, i) => ({ id: `b${i}`, name: `Board ${i}` }));

  test("100 options a page from Trello's one answer, then the rest", () => {
    const first = readAnswer(trelloListBoards, { cursor: undefined }, answer(200, boards), "Trello");
    expect(first).toStrictEqual({
      ok: true,
      output: { options: boards.slice(0, 100).map((b) => ({ value: b.id, label: b.name })), nextCursor: "100" },
    });
    expect(readAnswer(trelloListBoards, { cursor: "100" }, answer(200, boards), "Trello")).toMatchObject({ ok: true, output: { nextCursor: "200" } });
    const last = readAnswer(trelloListLists, { cursor: "200", boardId: BOARD }, answer(200, boards), "Trello");
    expect(last).toStrictEqual({ ok: true, output: { options: boards.slice(200).map((b) => ({ value: b.id, label: b.name })) } });
    const exact = readAnswer(trelloListBoards, {}, answer(200, boards.slice(0, 100)), "Trello");
    expect(exact.ok && Object.keys(exact.output as object)).toStrictEqual(["options"]);
  });

  test("a board Trello cannot find is about the board", () => {
    expect(trelloListLists.response(answer(400, "invalid id"), { boardId: "nC8QJJoZ" })).toStrictEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Trello refused the input: invalid id",
        retryable: false,
        fields: { boardId: "Trello has no such board or list, or this token cannot see it." },
        status: 400,
      },
    });
    expect(trelloListBoards.response(answer(404, ""), {})).toMatchObject({ ok: false, error: { message: "Trello refused the input: not found", fields: { cursor: expect.any(String) } } });
  });
});

describe("trelloFailure", () => {
  const CARD = { notFound: "idList" };
  test.each([200, 201, 299])("HTTP %i is a success", (status) => {
    expect(trelloFailure(answer(status, ""), CARD)).toBeNull();
  });

  test.each([199, 300])("HTTP %i is not", (status) => {
    expect(trelloFailure(answer(status, ""), CARD)).toMatchObject({ code: "provider_error", status });
  });

  test.each([
    ["idList", "idList"],
    ["name", "name"],
    ["desc", "desc"],
    ["due", "due"],
    ["pos", "pos"],
  ])("400 invalid value for %s is about %s", (param, field) => {
    expect(trelloFailure(answer(400, `invalid value for ${param}\n`), CARD)).toStrictEqual({
      code: "invalid_input",
      message: `Trello refused the input: invalid value for ${param}`,
      retryable: false,
      fields: { [field]: `Trello says: invalid value for ${param}.` },
      status: 400,
    });
  });

  test("a parameter the action does not take is invalid input without fields", () => {
    expect(trelloFailure(answer(400, "invalid value for idLabels"), CARD)).toStrictEqual({
      code: "invalid_input",
      message: "Trello refused the input: invalid value for idLabels",
      retryable: false,
      status: 400,
    });
    expect(trelloFailure(answer(400, "Invalid Value For constructor"), CARD)).toStrictEqual({
      code: "invalid_input",
      message: "Trello refused the input: Invalid Value For constructor",
      retryable: false,
      status: 400,
    });
  });

  test("those words on another status go by the status", () => {
    expect(trelloFailure(answer(422, "invalid value for name"), CARD)).toMatchObject({ code: "provider_error", status: 422 });
    expect(trelloFailure(answer(401, "invalid id"), CARD)).toMatchObject({ code: "auth_revoked", status: 401 });
    expect(trelloFailure(answer(409, "invalid id"), CARD)).toMatchObject({ code: "provider_error", status: 409 });
  });

  test("other 400s go by status", () => {
    for (const text of ["invalid value for", "invalid value for name please", "xinvalid value for name", "invalid ids"]) {
      expect(trelloFailure(answer(400, text), CARD)).toStrictEqual({ code: "provider_error", message: "Trello answered HTTP 400.", retryable: false, status: 400 });
    }
  });

  test("401 for a permission is the token's missing access; a refused key or token is auth_revoked", () => {
    expect(trelloFailure(answer(401, "unauthorized card permission requested"), CARD)).toStrictEqual({
      code: "missing_scope",
      message:
        "Trello refused: unauthorized card permission requested. The token's member must belong to the board, and the token must allow writing (scope read,write).",
      retryable: false,
      status: 401,
    });
    expect(trelloFailure(answer(401, "Unauthorized Permission Requested"), CARD)).toMatchObject({ code: "missing_scope" });
    for (const text of ["invalid token", "invalid key", "unauthorized card permission requested, really", "xunauthorized permission requested"]) {
      expect(trelloFailure(answer(401, text), CARD)).toStrictEqual({
        code: "auth_revoked",
        message: "Trello refused the stored credential; reconnect it.",
        retryable: false,
        status: 401,
      });
    }
    expect(trelloFailure(answer(403, "unauthorized card permission requested"), CARD)).toMatchObject({ code: "provider_error" });
  });

  test("429 is rate limited with Trello's error code", () => {
    expect(trelloFailure(answer(429, { error: "API_TOKEN_LIMIT_EXCEEDED", message: "Rate limit exceeded" }, { "Retry-After": "10" }), CARD)).toStrictEqual({
      code: "rate_limited",
      message: "Trello is rate limiting these requests.",
      retryable: true,
      retryAfterMs: 10_000,
      providerCode: "API_TOKEN_LIMIT_EXCEEDED",
      status: 429,
    });
    expect(trelloFailure(answer(429, { error: 5 }), CARD)).toStrictEqual({ code: "rate_limited", message: "Trello is rate limiting these requests.", retryable: true, status: 429 });
  });

  test("5xx is retryable", () => {
    expect(trelloFailure(answer(503, "Service Unavailable"), CARD)).toStrictEqual({ code: "provider_error", message: "Trello answered HTTP 503.", retryable: true, status: 503 });
  });
});

describe("catalog", () => {

  test("descriptions", () => {
    expect(trelloActions.map(actionSpec)).toMatchInlineSnapshot(`
      [
        {
          "description": "Adds a card to a list; the board only helps choose the list.",
          "effect": "write",
          "id": "trello.create_card",
          "inputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
              "boardId": {
                "description": "The board's ID or the 8 characters after /b/ in its address.",
                "examples": [
                  "5abbe4b7ddc1b351ef961414",
                ],
                "lookup": {
                  "action": "trello.list_boards",
                },
                "pattern": "^([0-9a-fA-F]{24}|[A-Za-z0-9]{8})$",
                "title": "Board",
                "type": "string",
              },
              "desc": {
                "description": "Markdown.",
                "maxLength": 16384,
                "title": "Description",
                "type": "string",
              },
              "due": {
                "examples": [
                  "2026-03-01T17:00:00Z",
                ],
                "format": "date-time",
                "pattern": "^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|([+-](?:[01]\\d|2[0-3]):[0-5]\\d)))$",
                "title": "Due",
                "type": "string",
              },
              "idList": {
                "description": "The list the card goes in.",
                "examples": [
                  "5abbe4b7ddc1b351ef961415",
                ],
                "lookup": {
                  "action": "trello.list_lists",
                  "params": {
                    "boardId": "boardId",
                  },
                },
                "pattern": "^[0-9a-fA-F]{24}$",
                "title": "List",
                "type": "string",
              },
              "name": {
                "examples": [
                  "Write the release notes",
                ],
                "maxLength": 16384,
                "minLength": 1,
                "title": "Name",
                "type": "string",
              },
              "pos": {
                "anyOf": [
                  {
                    "enum": [
                      "top",
                      "bottom",
                    ],
                    "type": "string",
                  },
                  {
                    "exclusiveMinimum": 0,
                    "type": "number",
                  },
                ],
                "description": "top, bottom, or a number ordering the card among the list's.",
                "title": "Position",
              },
            },
            "required": [
              "idList",
              "name",
            ],
            "type": "object",
          },
          "kind": "operation",
          "outputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": false,
            "properties": {
              "id": {
                "description": "The card's ID.",
                "type": "string",
              },
              "shortUrl": {
                "description": "Its short address, trello.com/c/…",
                "format": "uri",
                "type": "string",
              },
              "url": {
                "description": "The card's full address.",
                "format": "uri",
                "type": "string",
              },
            },
            "required": [
              "id",
              "url",
              "shortUrl",
            ],
            "type": "object",
          },
          "providerId": "trello",
          "scopes": [],
          "title": "Create a card",
          "version": 1,
        },
        {
          "description": "The open boards the token's member belongs to.",
          "effect": "read",
          "id": "trello.list_boards",
          "inputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
              "cursor": {
                "description": "From the previous page's nextCursor.",
                "maxLength": 2048,
                "type": "string",
              },
            },
            "type": "object",
          },
          "kind": "lookup",
          "outputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": false,
            "properties": {
              "nextCursor": {
                "type": "string",
              },
              "options": {
                "items": {
                  "additionalProperties": false,
                  "properties": {
                    "hint": {
                      "type": "string",
                    },
                    "label": {
                      "type": "string",
                    },
                    "value": {
                      "type": "string",
                    },
                  },
                  "required": [
                    "value",
                    "label",
                  ],
                  "type": "object",
                },
                "type": "array",
              },
            },
            "required": [
              "options",
            ],
            "type": "object",
          },
          "providerId": "trello",
          "scopes": [],
          "title": "List boards",
          "version": 1,
        },
        {
          "description": "The open lists of a board, left to right.",
          "effect": "read",
          "id": "trello.list_lists",
          "inputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {
              "boardId": {
                "description": "The board's ID or the 8 characters after /b/ in its address.",
                "examples": [
                  "5abbe4b7ddc1b351ef961414",
                ],
                "lookup": {
                  "action": "trello.list_boards",
                },
                "pattern": "^([0-9a-fA-F]{24}|[A-Za-z0-9]{8})$",
                "title": "Board",
                "type": "string",
              },
              "cursor": {
                "description": "From the previous page's nextCursor.",
                "maxLength": 2048,
                "type": "string",
              },
            },
            "required": [
              "boardId",
            ],
            "type": "object",
          },
          "kind": "lookup",
          "outputSchema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "additionalProperties": false,
            "properties": {
              "nextCursor": {
                "type": "string",
              },
              "options": {
                "items": {
                  "additionalProperties": false,
                  "properties": {
                    "hint": {
                      "type": "string",
                    },
                    "label": {
                      "type": "string",
                    },
                    "value": {
                      "type": "string",
                    },
                  },
                  "required": [
                    "value",
                    "label",
                  ],
                  "type": "object",
                },
                "type": "array",
              },
            },
            "required": [
              "options",
            ],
            "type": "object",
          },
          "providerId": "trello",
          "scopes": [],
          "title": "List lists",
          "version": 1,
        },
      ]
    `);
  });
});
