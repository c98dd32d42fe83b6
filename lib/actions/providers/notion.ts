/**
 * Notion API actions, for the version the catalog pins (`Notion-Version: 2025-09-03`).
 *
 * In 2025-09-03 a database holds one or more data sources, and pages live in a data
 * source (developers.notion.com/docs/upgrade-guide-2025-09-03): a page in a database is
 * created with `parent: { data_source_id }`, and search filters on `{ property: "object",
 * value: "data_source" }` ("database" is no longer a filter value; @notionhq/client's
 * SearchBodyParameters for this version). So the "databases" these actions offer are data
 * sources, which is what people see as a database's table.
 *
 * - reference/post-page: POST /v1/pages `{ parent: { data_source_id } | { page_id },
 *   properties, children? }`; under a page the only property is `title`.
 * - reference/patch-block-children: PATCH /v1/blocks/{block_id}/children `{ children }`.
 * - reference/post-search: POST /v1/search, `page_size` ≤ 100, `start_cursor` →
 *   `next_cursor` / `has_more` (reference/intro, "Pagination").
 * - reference/request-limits: at most 100 blocks in a `children` array, 2,000 characters
 *   in a rich text object's `text.content`; 429 `rate_limited` with Retry-After (seconds).
 * - reference/status-codes: errors are `{ object: "error", status, code, message }` with
 *   `validation_error`, `invalid_json`, `invalid_request_url`, `invalid_request`,
 *   `missing_version` (400), `unauthorized` (401), `restricted_resource` (403),
 *   `object_not_found` (404), `conflict_error` (409), `rate_limited` (429),
 *   `internal_server_error` (500), `service_unavailable` / `database_connection_unavailable`
 *   (503), `gateway_timeout` (504).
 */
import { z } from "zod";
import { defineAction, pathSegment, type ActionAnswer, type ActionMapping } from "../define";
import { failureOfStatus, providerValidationFailure, retryAfterMs, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";

const NOTION = "Notion";
/** Notion's limits (reference/request-limits). */
export const MAX_BLOCKS = 100;
export const MAX_TEXT_CONTENT = 2_000;

/** How Notion's messages (`body.children.length should be ≤ 100`) map to this action's fields. */
export type NotionFields = { parent?: string; properties?: string; title?: string; titleProperty?: string; children?: string; cursor?: string };

type NotionError = { object?: unknown; code?: unknown; message?: unknown };

/** The input field a `validation_error` message is about, or undefined. */
export function fieldOfNotionMessage(message: string, fields: NotionFields): string | undefined {
  const missing = /^(.+) is not a property that exists\.?$/.exec(message)?.[1];
  if (missing !== undefined && fields.properties) return `${fields.properties}.${missing}`;
  const at = /\bbody\.([A-Za-z_]+)(?:\.([^.\s[]+))?/.exec(message);
  if (!at) return undefined;
  const [, root, next] = at;
  if (root === "parent") return fields.parent;
  if (root === "children") return fields.children;
  if (root === "start_cursor") return fields.cursor;
  if (root === "properties" && next !== undefined) {
    if (next === fields.titleProperty || next === "title") return fields.title;
    return fields.properties ? `${fields.properties}.${next}` : undefined;
  }
  return undefined;
}

/** A Notion answer's failure, or null when it succeeded. `fields` says where a validation error points. */
export function notionFailure(answer: ActionAnswer, fields: NotionFields = {}): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const body = (answer.json ?? {}) as NotionError;
  const code = body.object === "error" && typeof body.code === "string" ? body.code : undefined;
  const message = typeof body.message === "string" ? body.message : undefined;
  const known = code ? { providerCode: code, status } : { status };
  if (code === "validation_error") {
    const field = message ? fieldOfNotionMessage(message, fields) : undefined;
    return providerValidationFailure(NOTION, message ?? "the request is not valid.", field ? { [field]: message! } : undefined, known);
  }
  if (code === "object_not_found") {
    const said = "it does not exist, or it is not shared with the Switchboard connection";
    return providerValidationFailure(NOTION, `${said}.`, fields.parent ? { [fields.parent]: said } : undefined, known);
  }
  if (code === "unauthorized" || status === 401) {
    return { code: "auth_revoked", message: "Notion refused the token; reconnect Notion.", retryable: false, ...known };
  }
  if (code === "restricted_resource") {
    return {
      code: "provider_error",
      message: "The Notion connection lacks the capability for this (content capabilities are set on the integration), or the page is not shared with it.",
      retryable: false,
      ...known,
    };
  }
  if (code === "rate_limited" || status === 429) {
    const after = retryAfterMs(answer.headers);
    return { code: "rate_limited", message: "Notion is rate limiting these requests.", retryable: true, ...(after !== undefined ? { retryAfterMs: after } : {}), ...known };
  }
  if (code === "conflict_error") {
    return { code: "provider_error", message: "Notion reported a conflict saving the data; try again.", retryable: true, ...known };
  }
  const failure = failureOfStatus(answer, NOTION, message ?? code);
  return code ? { ...failure, providerCode: code } : failure;
}

function notionJson<T>(answer: ActionAnswer, fields: NotionFields, read: (body: never) => T): ActionMapping<T> {
  const failure = notionFailure(answer, fields);
  return failure ? { ok: false, error: failure } : { ok: true, output: read(answer.json as never) };
}

/**
 * A Notion id from what people paste: 32 hex digits with or without dashes, alone or at
 * the end of a Notion link, as the dashed UUID.
 */
const notionId = (title: string, description: string, extra: Record<string, unknown> = {}) =>
  z
    .string()
    .trim()
    .transform((value) => {
      const hex = /([0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})(?:[?#].*)?$/i.exec(value)?.[1]?.replace(/-/g, "").toLowerCase();
      return hex ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : value;
    })
    .pipe(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "A Notion id is 32 hex digits (or a link ending in one)."))
    .meta({ title, description, examples: ["59833787-2cf9-4fdf-8782-e53db20768a5"], ...extra });

/** Rich text of plain text, in pieces of at most 2,000 characters (Notion's limit per text object). */
export function richText(text: string): Array<{ type: "text"; text: { content: string } }> {
  const pieces: Array<{ type: "text"; text: { content: string } }> = [];
  for (let i = 0; i < text.length; i += MAX_TEXT_CONTENT) pieces.push({ type: "text", text: { content: text.slice(i, i + MAX_TEXT_CONTENT) } });
  return pieces;
}

/** One paragraph block per line (a blank line is an empty paragraph). */
export function paragraphs(text: string) {
  return text.split(/\r?\n/).map((line) => ({ object: "block" as const, type: "paragraph" as const, paragraph: { rich_text: richText(line) } }));
}

const lineCount = (text: string) => text.split(/\r?\n/).length;
/** 100 rich text pieces of 2,000 characters: the most one paragraph can hold (?). */
const MAX_LINE = 100 * MAX_TEXT_CONTENT;
const linesFit = (text: string) => text.split(/\r?\n/).every((line) => line.length <= MAX_LINE);

const contentField = z
  .string()
  .refine((text) => lineCount(text) <= MAX_BLOCKS, `At most ${MAX_BLOCKS} lines: Notion takes at most ${MAX_BLOCKS} blocks in one request.`)
  .refine(linesFit, `A line has at most ${MAX_LINE.toLocaleString("en-US")} characters.`);

const propertyValue = z.record(z.string(), z.unknown());

export const notionCreatePage = defineAction({
  id: "notion.create_page",
  version: 1,
  providerId: "notion",
  title: "Create a page",
  description: "Adds a page to a database (with its properties) or under another page (title only), optionally with paragraphs of text.",
  effect: "write",
  // Notion has no OAuth scopes: access is what the user shared with the connection.
  scopes: [],
  input: z
    .object({
      dataSourceId: notionId("Database", "Where the page goes: a database (its data source id).", fromLookup("notion.list_databases")).optional(),
      pageId: notionId("Parent page", "Or under this page (then only the title can be set).").optional(),
      title: z
        .string()
        .trim()
        .min(1, "Write a title.")
        .max(MAX_TEXT_CONTENT, `Notion takes at most ${MAX_TEXT_CONTENT.toLocaleString("en-US")} characters.`)
        .meta({ title: "Title", examples: ["Weekly sync notes"] }),
      titleProperty: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .default("Name")
        .meta({ title: "Title property", description: "The name of the database's title column (Name unless renamed).", examples: ["Name"] }),
      properties: z
        .record(z.string().min(1), propertyValue)
        .optional()
        .meta({
          title: "Properties",
          description: "Other columns, as Notion property values by column name.",
          examples: [{ Status: { select: { name: "In progress" } } }],
        }),
      content: contentField.optional().meta({ title: "Content", description: "Plain text; each line becomes a paragraph." }),
    })
    .superRefine((input, ctx) => {
      if ((input.dataSourceId === undefined) === (input.pageId === undefined)) {
        ctx.addIssue({ code: "custom", path: ["dataSourceId"], message: "Choose a database or a parent page, one of the two." });
      }
      if (input.pageId !== undefined && input.properties && Object.keys(input.properties).length > 0) {
        ctx.addIssue({ code: "custom", path: ["properties"], message: "A page under another page has only a title; properties need a database." });
      }
      if (input.properties && input.dataSourceId !== undefined && input.titleProperty in input.properties) {
        ctx.addIssue({ code: "custom", path: ["properties", input.titleProperty], message: "The title is set by the Title field." });
      }
    }),
  output: z.object({ id: z.string(), url: z.string().describe("The page in Notion.") }),
  request: (input) => {
    const titleName = input.dataSourceId !== undefined ? input.titleProperty : "title";
    return {
      method: "POST",
      path: "/v1/pages",
      body: {
        json: {
          parent: input.dataSourceId !== undefined ? { type: "data_source_id", data_source_id: input.dataSourceId } : { type: "page_id", page_id: input.pageId },
          properties: { ...(input.dataSourceId !== undefined ? input.properties : {}), [titleName]: { title: richText(input.title) } },
          ...(input.content !== undefined ? { children: paragraphs(input.content) } : {}),
        },
      },
    };
  },
  response: (answer, input) =>
    notionJson(
      answer,
      {
        parent: input.dataSourceId !== undefined ? "dataSourceId" : "pageId",
        properties: "properties",
        title: "title",
        titleProperty: input.dataSourceId !== undefined ? input.titleProperty : "title",
        children: "content",
      },
      (page: { id: string; url: string }) => ({ id: page.id, url: page.url }),
    ),
});

export const notionAppendBlocks = defineAction({
  id: "notion.append_blocks",
  version: 1,
  providerId: "notion",
  title: "Add text to a page",
  description: "Appends paragraphs to the end of a page (or inside a block), one per line.",
  effect: "write",
  scopes: [],
  input: z.object({
    blockId: notionId("Page or block", "The page (or block) to append to."),
    text: contentField.refine((text) => text.trim() !== "", "Write the text.").meta({ title: "Text", description: "Each line becomes a paragraph." }),
  }),
  output: z.object({ blockIds: z.array(z.string()).describe("The new blocks, in order.") }),
  request: (input) => ({
    method: "PATCH",
    path: `/v1/blocks/${pathSegment(input.blockId)}/children`,
    body: { json: { children: paragraphs(input.text) } },
  }),
  response: (answer) =>
    notionJson(answer, { parent: "blockId", children: "text" }, (list: { results: Array<{ id: string }> }) => ({
      blockIds: list.results.map((block) => block.id),
    })),
});

type RichTextItem = { plain_text?: string; text?: { content?: string } };
type DataSource = { id: string; title?: RichTextItem[]; parent?: { database_id?: string } };

function plainText(items: RichTextItem[] | undefined): string {
  return (items ?? []).map((item) => item.plain_text ?? item.text?.content ?? "").join("").trim();
}

export const notionListDatabases = defineAction({
  id: "notion.list_databases",
  version: 1,
  providerId: "notion",
  kind: "lookup",
  title: "List databases",
  description: "Databases (their data sources) shared with the Switchboard connection.",
  effect: "read",
  scopes: [],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => ({
    method: "POST",
    path: "/v1/search",
    body: {
      json: {
        filter: { property: "object", value: "data_source" },
        page_size: 100,
        ...(input.cursor ? { start_cursor: input.cursor } : {}),
      },
    },
  }),
  response: (answer) =>
    notionJson(answer, { cursor: "cursor" }, (list: { results: DataSource[]; has_more: boolean; next_cursor: string | null }) => ({
      options: list.results.map((source) => ({ value: source.id, label: plainText(source.title) || "Untitled" })),
      nextCursor: list.has_more && list.next_cursor ? list.next_cursor : undefined,
    })),
});

export const notionActions = [notionCreatePage, notionAppendBlocks, notionListDatabases];
