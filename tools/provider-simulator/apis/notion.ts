/**
 * Notion's API (version 2025-09-03, which the catalog pins and `missingHeader` enforces)
 * as the actions use it: POST /v1/search, POST /v1/pages, PATCH /v1/blocks/{id}/children,
 * over a world of 120 data sources (two search pages at page_size 100) and one shared page.
 *
 * Errors are Notion's `{ object: "error", status, code, message, request_id }`
 * (developers.notion.com/reference/status-codes): `validation_error` with Notion-style
 * `body failed validation: body.… ` messages, `object_not_found` for what is not shared
 * with the integration, `invalid_json`, `invalid_request_url`. Limits as
 * reference/request-limits states: 100 blocks per `children`, 2,000 characters per rich
 * text `text.content`, `page_size` ≤ 100. Ids are accepted with or without dashes. The
 * exact wording of Notion's messages beyond the ones quoted in its docs is ours (?).
 */
import { randomUUID } from "node:crypto";
import { json, type SimResponse } from "../http-utils";
import { worldOf, type ApiCall } from "./index";

type Property = { id: string; type: "title" | "rich_text" | "select" | "date" | "number" };
type DataSource = { id: string; databaseId: string; title: string; properties: Record<string, Property> };
type Block = { id: string; type: "paragraph"; text: string; parentId: string };
type Page = { id: string; title: string; parent: { type: "data_source_id" | "page_id"; id: string }; properties: Record<string, unknown> };

export const TASKS_DATA_SOURCE = "59833787-2cf9-4fdf-8782-e53db20768a5";
export const TEAM_HOME_PAGE = "a1b2c3d4-e5f6-4789-abcd-ef0123456789";
const MAX_CHILDREN = 100;
const MAX_CONTENT = 2_000;

const uuid = (n: number, prefix: string) => `${prefix}${String(n).padStart(4, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;
const compact = (id: string) => id.replace(/-/g, "").toLowerCase();

function dataSources(): DataSource[] {
  const list: DataSource[] = [
    {
      id: TASKS_DATA_SOURCE,
      databaseId: "248104cd-477e-80fd-b757-e945d38000bd",
      title: "Tasks",
      properties: {
        Name: { id: "title", type: "title" },
        Status: { id: "s%3Aa", type: "select" },
        Due: { id: "d%3Ab", type: "date" },
        Notes: { id: "n%3Ac", type: "rich_text" },
      },
    },
    { id: "6f1c2a9e-0b7d-4e52-9a3c-1d2e3f405162", databaseId: "248104cd-477e-80fd-b757-e945d38000be", title: "Notes", properties: { Title: { id: "title", type: "title" } } },
  ];
  for (let i = 3; i <= 120; i += 1) {
    list.push({ id: uuid(i, "dddd"), databaseId: uuid(i, "eeee"), title: `Database ${String(i).padStart(3, "0")}`, properties: { Name: { id: "title", type: "title" } } });
  }
  return list;
}

function pages(): Page[] {
  return [{ id: TEAM_HOME_PAGE, title: "Team Home", parent: { type: "page_id", id: "workspace" }, properties: {} }];
}

const error = (status: number, code: string, message: string) =>
  json(status, { object: "error", status, code, message, request_id: randomUUID() });
const invalid = (message: string) => error(400, "validation_error", `body failed validation: ${message}`);
const notFound = (kind: string, id: string) =>
  error(404, "object_not_found", `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`);

function bodyOf(call: ApiCall): Record<string, unknown> | SimResponse {
  const parsed = call.req.json;
  if (call.req.bodyFormat !== "json" || typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return error(400, "invalid_json", "Error parsing JSON body.");
  }
  return parsed as Record<string, unknown>;
}

const isResponse = (value: unknown): value is SimResponse => typeof value === "object" && value !== null && "status" in value && "body" in value && "headers" in value;

function richTextProblem(items: unknown, at: string): string | null {
  if (!Array.isArray(items)) return `${at} should be an array, instead was \`${JSON.stringify(items)}\`.`;
  for (const [i, item] of items.entries()) {
    const content = (item as { text?: { content?: unknown } } | null)?.text?.content;
    if (typeof content !== "string") return `${at}[${i}].text.content should be a string, instead was \`${JSON.stringify(content)}\`.`;
    if (content.length > MAX_CONTENT) return `${at}[${i}].text.content.length should be ≤ \`${MAX_CONTENT}\`, instead was \`${content.length}\`.`;
  }
  return null;
}

function plain(items: unknown): string {
  return Array.isArray(items) ? items.map((item) => String((item as { text?: { content?: unknown } })?.text?.content ?? "")).join("") : "";
}

/** The paragraphs of a `children` array, or the validation error. */
function readChildren(children: unknown): Array<{ text: string }> | SimResponse {
  if (!Array.isArray(children)) return invalid(`body.children should be an array, instead was \`${JSON.stringify(children)}\`.`);
  if (children.length > MAX_CHILDREN) return invalid(`body.children.length should be ≤ \`${MAX_CHILDREN}\`, instead was \`${children.length}\`.`);
  const read: Array<{ text: string }> = [];
  for (const [i, child] of children.entries()) {
    const block = child as { type?: unknown; paragraph?: { rich_text?: unknown } } | null;
    if (block?.type !== "paragraph" || typeof block.paragraph !== "object" || block.paragraph === null) {
      return invalid(`body.children[${i}].paragraph should be defined, instead was \`undefined\`.`);
    }
    const problem = richTextProblem(block.paragraph.rich_text, `body.children[${i}].paragraph.rich_text`);
    if (problem) return invalid(problem);
    read.push({ text: plain(block.paragraph.rich_text) });
  }
  return read;
}

function titleText(title: string) {
  return [{ type: "text", text: { content: title, link: null }, plain_text: title, href: null }];
}

function pageUrl(page: Page): string {
  const slug = page.title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return `https://www.notion.so/${slug ? `${slug}-` : ""}${compact(page.id)}`;
}

function createPage(call: ApiCall): SimResponse {
  const body = bodyOf(call);
  if (isResponse(body)) return body;
  const sources = worldOf(call.world, "dataSources", dataSources);
  const pageList = worldOf(call.world, "pages", pages);
  const parent = body.parent as Record<string, unknown> | undefined;
  if (typeof parent !== "object" || parent === null) return invalid("body.parent should be defined, instead was `undefined`.");
  const properties = (body.properties ?? {}) as Record<string, unknown>;
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return invalid("body.properties should be an object.");

  let pageParent: Page["parent"];
  let title = "";
  if (typeof parent.data_source_id === "string" || typeof parent.database_id === "string") {
    const byDataSource = typeof parent.data_source_id === "string";
    const id = String(byDataSource ? parent.data_source_id : parent.database_id);
    const source = sources.find((s) => compact(byDataSource ? s.id : s.databaseId) === compact(id));
    if (!source) return notFound(byDataSource ? "data_source" : "database", id);
    for (const [name, value] of Object.entries(properties)) {
      const property = source.properties[name];
      if (!property) return error(400, "validation_error", `${name} is not a property that exists.`);
      const typed = (value as Record<string, unknown> | null)?.[property.type];
      if (typed === undefined) return invalid(`body.properties.${name}.${property.type} should be defined, instead was \`undefined\`.`);
      if (property.type === "title" || property.type === "rich_text") {
        const problem = richTextProblem(typed, `body.properties.${name}.${property.type}`);
        if (problem) return invalid(problem);
      }
      if (property.type === "title") title = plain(typed);
    }
    pageParent = { type: "data_source_id", id: source.id };
  } else if (typeof parent.page_id === "string") {
    const found = pageList.find((p) => compact(p.id) === compact(String(parent.page_id)));
    if (!found) return notFound("page", String(parent.page_id));
    for (const [name, value] of Object.entries(properties)) {
      if (name !== "title") return invalid(`body.properties.${name} should be not present, instead was \`${JSON.stringify(value)}\`. A page parent allows only "title".`);
      const problem = richTextProblem((value as { title?: unknown } | null)?.title, "body.properties.title.title");
      if (problem) return invalid(problem);
      title = plain((value as { title: unknown }).title);
    }
    pageParent = { type: "page_id", id: found.id };
  } else {
    return invalid("body.parent.page_id should be defined, instead was `undefined`.");
  }
  const children = body.children === undefined ? [] : readChildren(body.children);
  if (isResponse(children)) return children;
  const page: Page = { id: randomUUID(), title, parent: pageParent, properties };
  pageList.push(page);
  const blocks = worldOf<Block[]>(call.world, "blocks", () => []);
  for (const child of children) blocks.push({ id: randomUUID(), type: "paragraph", text: child.text, parentId: page.id });
  return json(200, {
    object: "page",
    id: page.id,
    created_time: new Date(call.now).toISOString(),
    parent: pageParent.type === "page_id" ? { type: "page_id", page_id: pageParent.id } : { type: "data_source_id", data_source_id: pageParent.id },
    archived: false,
    in_trash: false,
    properties,
    url: pageUrl(page),
  });
}

function appendBlocks(call: ApiCall, rawId: string): SimResponse {
  const id = (() => {
    try {
      return decodeURIComponent(rawId);
    } catch {
      return rawId;
    }
  })();
  const pageList = worldOf(call.world, "pages", pages);
  const blocks = worldOf<Block[]>(call.world, "blocks", () => []);
  const target = pageList.find((p) => compact(p.id) === compact(id))?.id ?? blocks.find((b) => compact(b.id) === compact(id))?.id;
  if (!target) return notFound("block", id);
  const body = bodyOf(call);
  if (isResponse(body)) return body;
  if (body.children === undefined) return invalid("body.children should be defined, instead was `undefined`.");
  const children = readChildren(body.children);
  if (isResponse(children)) return children;
  const added = children.map((child) => ({ id: randomUUID(), type: "paragraph" as const, text: child.text, parentId: target }));
  blocks.push(...added);
  return json(200, {
    object: "list",
    results: added.map((block) => ({
      object: "block",
      id: block.id,
      parent: { type: "page_id", page_id: target },
      type: "paragraph",
      has_children: false,
      paragraph: { rich_text: block.text === "" ? [] : titleText(block.text), color: "default" },
    })),
    next_cursor: null,
    has_more: false,
    type: "block",
    block: {},
  });
}

function search(call: ApiCall): SimResponse {
  const body = bodyOf(call);
  if (isResponse(body)) return body;
  const filter = body.filter as { property?: unknown; value?: unknown } | undefined;
  if (filter !== undefined && (filter?.property !== "object" || (filter.value !== "page" && filter.value !== "data_source"))) {
    return invalid(`body.filter.value should be \`"page"\` or \`"data_source"\`, instead was \`${JSON.stringify(filter?.value)}\`.`);
  }
  const size = body.page_size ?? 100;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1 || size > 100) {
    return invalid(`body.page_size should be a number between 1 and 100, instead was \`${JSON.stringify(size)}\`.`);
  }
  const sources = worldOf(call.world, "dataSources", dataSources).map((s) => ({
    object: "data_source",
    id: s.id,
    title: titleText(s.title),
    parent: { type: "database_id", database_id: s.databaseId },
    properties: Object.fromEntries(Object.entries(s.properties).map(([name, p]) => [name, { id: p.id, name, type: p.type, [p.type]: {} }])),
    url: `https://www.notion.so/${compact(s.databaseId)}`,
  }));
  const pageResults = worldOf(call.world, "pages", pages).map((p) => ({ object: "page", id: p.id, url: pageUrl(p), properties: { title: { title: titleText(p.title) } } }));
  const all = filter?.value === "data_source" ? sources : filter?.value === "page" ? pageResults : [...pageResults, ...sources];
  let start = 0;
  if (body.start_cursor !== undefined) {
    start = all.findIndex((item) => item.id === body.start_cursor);
    if (start < 0) return invalid(`body.start_cursor should be a valid cursor, instead was \`${JSON.stringify(body.start_cursor)}\`.`);
  }
  const results = all.slice(start, start + size);
  const next = all[start + size];
  return json(200, {
    object: "list",
    results,
    next_cursor: next ? next.id : null,
    has_more: next !== undefined,
    type: "page_or_data_source",
    page_or_data_source: {},
    request_id: randomUUID(),
  });
}

export function notionApi(call: ApiCall): SimResponse | null {
  const { req, apiPath } = call;
  if (apiPath === "/v1/search") return req.method === "POST" ? search(call) : error(400, "invalid_request_url", "Invalid request URL.");
  if (apiPath === "/v1/pages") return req.method === "POST" ? createPage(call) : error(400, "invalid_request_url", "Invalid request URL.");
  const children = /^\/v1\/blocks\/([^/]+)\/children$/.exec(apiPath);
  if (children) return req.method === "PATCH" ? appendBlocks(call, children[1]!) : null;
  return null;
}
