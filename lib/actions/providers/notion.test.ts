/** Notion's actions as pure mappings: the exact request each input makes, and every way an answer reads. */
import { describe, expect, test } from "vitest";
import type { ActionAnswer, AnyAction } from "../define";
import { parseInput } from "../prepare";
import {
  fieldOfNotionMessage,
  MAX_TEXT_CONTENT,
  notionAppendBlocks,
  notionCreatePage,
  notionFailure,
  notionListDatabases,
  paragraphs,
  richText,
} from "./notion";

const context = { config: {}, scopes: [], correlationId: "run-1" };
const DS = "59833787-2cf9-4fdf-8782-e53db20768a5";
const PAGE = "a1b2c3d4-e5f6-4789-abcd-ef0123456789";

function parsed(action: AnyAction, raw: unknown) {
  const result = parseInput(action, raw);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.input as never;
}
function refused(action: AnyAction, raw: unknown) {
  const result = parseInput(action, raw);
  if (result.ok) throw new Error("expected the input to be refused");
  return result.error.fields;
}
const answer = (status: number, json?: unknown, headers: Record<string, string> = {}): ActionAnswer => ({
  status,
  headers,
  body: json === undefined ? "" : JSON.stringify(json),
  json,
});
const notionError = (status: number, code: string, message: string) => answer(status, { object: "error", status, code, message, request_id: "r" });

describe("notion.create_page", () => {
  test("in a database: the data source parent, the title under its property, the other properties and paragraphs", () => {
    const input = parsed(notionCreatePage, {
      dataSourceId: DS,
      title: " Weekly sync ",
      titleProperty: "Task",
      properties: { Status: { select: { name: "Doing" } } },
      content: "First line\n\nThird line",
    });
    expect(notionCreatePage.request(input, context)).toEqual({
      method: "POST",
      path: "/v1/pages",
      body: {
        json: {
          parent: { type: "data_source_id", data_source_id: DS },
          properties: { Status: { select: { name: "Doing" } }, Task: { title: [{ type: "text", text: { content: "Weekly sync" } }] } },
          children: [
            { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "First line" } }] } },
            { object: "block", type: "paragraph", paragraph: { rich_text: [] } },
            { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "Third line" } }] } },
          ],
        },
      },
    });
  });

  test("under a page: the page parent and only `title`; the title property defaults to Name in a database", () => {
    expect(notionCreatePage.request(parsed(notionCreatePage, { pageId: PAGE, title: "Notes" }), context)).toEqual({
      method: "POST",
      path: "/v1/pages",
      body: { json: { parent: { type: "page_id", page_id: PAGE }, properties: { title: { title: [{ type: "text", text: { content: "Notes" } }] } } } },
    });
    expect(notionCreatePage.request(parsed(notionCreatePage, { dataSourceId: DS, title: "T" }), context).body).toEqual({
      json: { parent: { type: "data_source_id", data_source_id: DS }, properties: { Name: { title: [{ type: "text", text: { content: "T" } }] } } },
    });
  });

  test("ids are taken with or without dashes, or from a Notion link", () => {
    const id = (raw: string) => (parsed(notionCreatePage, { pageId: raw, title: "x" }) as { pageId: string }).pageId;
    expect(id("A1B2C3D4E5F64789ABCDEF0123456789")).toBe(PAGE);
    expect(id(` ${PAGE} `)).toBe(PAGE);
    expect(id("https://www.notion.so/acme/Team-Home-a1b2c3d4e5f64789abcdef0123456789?pvs=4")).toBe(PAGE);
    expect(id("https://www.notion.so/Team-a1b2c3d4e5f64789abcdef0123456789#section")).toBe(PAGE);
    expect(refused(notionCreatePage, { pageId: "not-an-id", title: "x" })).toEqual({ pageId: "A Notion id is 32 hex digits (or a link ending in one)." });
    expect(refused(notionCreatePage, { pageId: `${PAGE}/more`, title: "x" })).toHaveProperty("pageId");
  });

  test("exactly one parent; properties only in a database and never the title's own column", () => {
    expect(refused(notionCreatePage, { title: "x" })).toEqual({ dataSourceId: "Choose a database or a parent page, one of the two." });
    expect(refused(notionCreatePage, { title: "x", dataSourceId: DS, pageId: PAGE })).toEqual({ dataSourceId: "Choose a database or a parent page, one of the two." });
    expect(refused(notionCreatePage, { title: "x", pageId: PAGE, properties: { Status: {} } })).toEqual({ properties: "A page under another page has only a title; properties need a database." });
    expect(parseInput(notionCreatePage, { title: "x", pageId: PAGE, properties: {} }).ok).toBe(true);
    expect(refused(notionCreatePage, { title: "x", dataSourceId: DS, properties: { Name: { title: [] } } })).toEqual({ "properties.Name": "The title is set by the Title field." });
    expect(parseInput(notionCreatePage, { title: "x", dataSourceId: DS, titleProperty: "Task", properties: { Name: { rich_text: [] } } }).ok).toBe(true);
    expect(refused(notionCreatePage, { title: " ", pageId: PAGE })).toEqual({ title: "Write a title." });
    expect(refused(notionCreatePage, { title: "x".repeat(MAX_TEXT_CONTENT + 1), pageId: PAGE })).toEqual({ title: "Notion takes at most 2,000 characters." });
    expect(refused(notionCreatePage, { title: "x", pageId: PAGE, content: Array(101).fill("l").join("\n") })).toEqual({
      content: "At most 100 lines: Notion takes at most 100 blocks in one request.",
    });
    expect(parseInput(notionCreatePage, { title: "x", pageId: PAGE, content: Array(100).fill("l").join("\n") }).ok).toBe(true);
  });

  test("reads the page's id and url; a validation error points at the field, a missing parent at the parent", () => {
    const input = parsed(notionCreatePage, { dataSourceId: DS, title: "x", titleProperty: "Task" });
    expect(notionCreatePage.response(answer(200, { object: "page", id: PAGE, url: "https://www.notion.so/x" }), input)).toEqual({
      ok: true,
      output: { id: PAGE, url: "https://www.notion.so/x" },
    });
    expect(notionCreatePage.response(notionError(400, "validation_error", "Status2 is not a property that exists."), input)).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Notion refused the input: Status2 is not a property that exists.",
        retryable: false,
        fields: { "properties.Status2": "Status2 is not a property that exists." },
        providerCode: "validation_error",
        status: 400,
      },
    });
    const titleTooLong = "body failed validation: body.properties.Task.title[0].text.content.length should be ≤ `2000`, instead was `2001`.";
    expect(notionCreatePage.response(notionError(400, "validation_error", titleTooLong), input)).toMatchObject({ ok: false, error: { fields: { title: titleTooLong } } });
    expect(notionCreatePage.response(notionError(404, "object_not_found", "Could not find data_source"), input)).toMatchObject({
      ok: false,
      error: { code: "invalid_input", fields: { dataSourceId: "it does not exist, or it is not shared with the Switchboard connection" } },
    });
    const underPage = parsed(notionCreatePage, { pageId: PAGE, title: "x" });
    expect(notionCreatePage.response(notionError(404, "object_not_found", "Could not find page"), underPage)).toMatchObject({ ok: false, error: { fields: { pageId: expect.any(String) } } });
    expect(notionCreatePage.response(notionError(400, "validation_error", "body.properties.title.title should be an array"), underPage)).toMatchObject({ ok: false, error: { fields: { title: expect.any(String) } } });
    expect(notionCreatePage.response(notionError(400, "validation_error", "body.children.length should be ≤ `100`"), underPage)).toMatchObject({ ok: false, error: { fields: { content: expect.any(String) } } });
  });
});

describe("notion.append_blocks", () => {
  test("patches the block's children with one paragraph per line", () => {
    expect(notionAppendBlocks.request(parsed(notionAppendBlocks, { blockId: PAGE, text: "a\nb" }), context)).toEqual({
      method: "PATCH",
      path: `/v1/blocks/${PAGE}/children`,
      body: {
        json: {
          children: [
            { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "a" } }] } },
            { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "b" } }] } },
          ],
        },
      },
    });
  });

  test("refuses no text, more than 100 lines and a line past 100 rich text pieces", () => {
    expect(refused(notionAppendBlocks, { blockId: PAGE, text: " \n " })).toEqual({ text: "Write the text." });
    expect(refused(notionAppendBlocks, { blockId: PAGE, text: Array(101).fill("x").join("\r\n") })).toHaveProperty("text");
    expect(refused(notionAppendBlocks, { blockId: PAGE, text: "x".repeat(100 * MAX_TEXT_CONTENT + 1) })).toEqual({ text: "A line has at most 200,000 characters." });
    expect(parseInput(notionAppendBlocks, { blockId: PAGE, text: "x".repeat(100 * MAX_TEXT_CONTENT) }).ok).toBe(true);
    expect(refused(notionAppendBlocks, { blockId: "x", text: "a" })).toHaveProperty("blockId");
  });

  test("reads the new blocks' ids; a missing block is the blockId's fault", () => {
    expect(notionAppendBlocks.response(answer(200, { object: "list", results: [{ id: "b1" }, { id: "b2" }] }), {} as never)).toEqual({ ok: true, output: { blockIds: ["b1", "b2"] } });
    expect(notionAppendBlocks.response(notionError(404, "object_not_found", "Could not find block"), {} as never)).toMatchObject({
      ok: false,
      error: { fields: { blockId: expect.any(String) } },
    });
    expect(notionAppendBlocks.response(notionError(400, "validation_error", "body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`"), {} as never)).toMatchObject({
      ok: false,
      error: { fields: { text: expect.any(String) } },
    });
  });
});

describe("notion.list_databases", () => {
  test("searches data sources, 100 a page, from the cursor", () => {
    expect(notionListDatabases.request(parsed(notionListDatabases, {}), context)).toEqual({
      method: "POST",
      path: "/v1/search",
      body: { json: { filter: { property: "object", value: "data_source" }, page_size: 100 } },
    });
    expect(notionListDatabases.request(parsed(notionListDatabases, { cursor: "abc" }), context).body).toEqual({
      json: { filter: { property: "object", value: "data_source" }, page_size: 100, start_cursor: "abc" },
    });
  });

  test("titles as labels (Untitled when empty), and the next cursor only while has_more", () => {
    const results = [
      { object: "data_source", id: "d1", title: [{ plain_text: "Tasks" }, { plain_text: " 2026" }] },
      { object: "data_source", id: "d2", title: [{ text: { content: "Notes" } }] },
      { object: "data_source", id: "d3", title: [] },
      { object: "data_source", id: "d4", title: [{}] },
      { object: "data_source", id: "d5" },
    ];
    expect(notionListDatabases.response(answer(200, { object: "list", results, has_more: true, next_cursor: "c2" }), {} as never)).toEqual({
      ok: true,
      output: {
        options: [
          { value: "d1", label: "Tasks 2026" },
          { value: "d2", label: "Notes" },
          { value: "d3", label: "Untitled" },
          { value: "d4", label: "Untitled" },
          { value: "d5", label: "Untitled" },
        ],
        nextCursor: "c2",
      },
    });
    const next = (has_more: boolean, next_cursor: string | null) => {
      const mapped = notionListDatabases.response(answer(200, { results: [], has_more, next_cursor }), {} as never);
      return mapped.ok ? mapped.output.nextCursor : "failed";
    };
    expect(next(false, "c3")).toBeUndefined();
    expect(next(true, null)).toBeUndefined();
    expect(next(true, "")).toBeUndefined();
    expect(notionListDatabases.response(notionError(400, "validation_error", "body.start_cursor should be a valid uuid"), {} as never)).toMatchObject({
      ok: false,
      error: { fields: { cursor: expect.any(String) } },
    });
  });
});

describe("notionFailure", () => {
  test("a 2xx is no failure", () => {
    for (const status of [200, 201, 299]) expect(notionFailure(answer(status, {}))).toBeNull();
  });

  test("each Notion code maps to its place in the closed set", () => {
    expect(notionFailure(notionError(401, "unauthorized", "API token is invalid."))).toEqual({
      code: "auth_revoked",
      message: "Notion refused the token; reconnect Notion.",
      retryable: false,
      providerCode: "unauthorized",
      status: 401,
    });
    expect(notionFailure(answer(401, "nope"))).toEqual({ code: "auth_revoked", message: "Notion refused the token; reconnect Notion.", retryable: false, status: 401 });
    expect(notionFailure(notionError(403, "restricted_resource", "Insufficient permissions"))).toMatchObject({ code: "provider_error", retryable: false, providerCode: "restricted_resource", message: expect.stringMatching(/capability/) });
    expect(notionFailure(notionError(429, "rate_limited", "slow down"), {})).toEqual({
      code: "rate_limited",
      message: "Notion is rate limiting these requests.",
      retryable: true,
      providerCode: "rate_limited",
      status: 429,
    });
    expect(notionFailure(answer(429, {}, { "retry-after": "3" }))).toEqual({ code: "rate_limited", message: "Notion is rate limiting these requests.", retryable: true, retryAfterMs: 3_000, status: 429 });
    expect(notionFailure(notionError(409, "conflict_error", "Conflict"))).toEqual({
      code: "provider_error",
      message: "Notion reported a conflict saving the data; try again.",
      retryable: true,
      providerCode: "conflict_error",
      status: 409,
    });
    expect(notionFailure(notionError(503, "service_unavailable", "Notion is unavailable"))).toEqual({
      code: "provider_error",
      message: "Notion answered HTTP 503: Notion is unavailable.",
      retryable: true,
      providerCode: "service_unavailable",
      status: 503,
    });
    expect(notionFailure(notionError(504, "gateway_timeout", "timeout"))).toMatchObject({ code: "timeout", providerCode: "gateway_timeout" });
    expect(notionFailure(notionError(400, "invalid_request_url", "Invalid request URL."))).toMatchObject({ code: "provider_error", retryable: false, providerCode: "invalid_request_url" });
    expect(notionFailure(answer(500, { code: "internal_server_error" }))).toEqual({ code: "provider_error", message: "Notion answered HTTP 500.", retryable: true, status: 500 });
    expect(notionFailure(answer(502))).toMatchObject({ code: "provider_error", retryable: true, status: 502 });
    expect(notionFailure(notionError(404, "object_not_found", "x"))).toEqual({
      code: "invalid_input",
      message: "Notion refused the input: it does not exist, or it is not shared with the Switchboard connection.",
      retryable: false,
      providerCode: "object_not_found",
      status: 404,
    });
  });

  test("a validation_error without a message or a place is still invalid input", () => {
    expect(notionFailure(answer(400, { object: "error", code: "validation_error" }))).toEqual({
      code: "invalid_input",
      message: "Notion refused the input: the request is not valid.",
      retryable: false,
      providerCode: "validation_error",
      status: 400,
    });
    expect(notionFailure(notionError(400, "validation_error", "body.icon should be an object"), { properties: "properties" })).not.toHaveProperty("fields");
  });

  test("fieldOfNotionMessage reads Notion's body paths", () => {
    const fields = { parent: "dataSourceId", properties: "properties", title: "title", titleProperty: "Name", children: "content", cursor: "cursor" };
    expect(fieldOfNotionMessage("body.parent.data_source_id should be a valid uuid", fields)).toBe("dataSourceId");
    expect(fieldOfNotionMessage("body.properties.Due.date should be an object", fields)).toBe("properties.Due");
    expect(fieldOfNotionMessage("body.properties.Name.title should be an array", fields)).toBe("title");
    expect(fieldOfNotionMessage("body.properties.title.title should be an array", fields)).toBe("title");
    expect(fieldOfNotionMessage("body.properties should be an object", fields)).toBeUndefined();
    expect(fieldOfNotionMessage("body.children.length should be ≤ `100`", fields)).toBe("content");
    expect(fieldOfNotionMessage("body.start_cursor should be a string", fields)).toBe("cursor");
    expect(fieldOfNotionMessage("Due is not a property that exists.", fields)).toBe("properties.Due");
    expect(fieldOfNotionMessage("Due is not a property that exists", { title: "title" })).toBeUndefined();
    expect(fieldOfNotionMessage("body.properties.Due.date should be an object", { title: "title" })).toBeUndefined();
    expect(fieldOfNotionMessage("nothing useful", fields)).toBeUndefined();
    expect(fieldOfNotionMessage("body.icon should be an object", fields)).toBeUndefined();
  });
});

test("richText cuts at 2,000 characters; paragraphs keep blank lines", () => {
  expect(richText("")).toEqual([]);
  expect(richText("x".repeat(4_001)).map((piece) => piece.text.content.length)).toEqual([2_000, 2_000, 1]);
  expect(richText("x".repeat(2_000))).toHaveLength(1);
  expect(paragraphs("a\r\nb\n")).toHaveLength(3);
});
