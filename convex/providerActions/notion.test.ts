/** Notion's actions through the step contract, against the simulator's Notion API (2025-09-03). */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const TASKS = "59833787-2cf9-4fdf-8782-e53db20768a5";
const TEAM_HOME = "a1b2c3d4-e5f6-4789-abcd-ef0123456789";

describe("notion actions", () => {
  test("create_page in a database sends the data source parent, the title property, the others and paragraphs", async () => {
    const w = await setup(simulatorUrl, "notion");
    const result = await w.runAction("notion.create_page", {
      dataSourceId: TASKS.replace(/-/g, ""),
      title: "Ship 1.4",
      properties: { Status: { select: { name: "Doing" } } },
      content: "Checklist\nRelease notes",
    });
    expect(result).toMatchObject({ ok: true, output: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), url: expect.stringMatching(/^https:\/\/www\.notion\.so\/Ship-1-4-[0-9a-f]{32}$/) } });
    const [sent] = await w.simulator.apiCalls({ providerId: "notion", apiPath: "/v1/pages" });
    expect(sent).toMatchObject({
      method: "POST",
      body: {
        parent: { type: "data_source_id", data_source_id: TASKS },
        properties: { Status: { select: { name: "Doing" } }, Name: { title: [{ type: "text", text: { content: "Ship 1.4" } }] } },
        children: [
          { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "Checklist" } }] } },
          { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "Release notes" } }] } },
        ],
      },
    });
    expect(sent!.headers["notion-version"]).toBe("2025-09-03");
  });

  test("create_page under a page has only a title; append_blocks adds paragraphs to it", async () => {
    const w = await setup(simulatorUrl, "notion");
    const page = await w.runAction("notion.create_page", { pageId: TEAM_HOME, title: "Retro" });
    if (!page.ok) throw new Error(page.error.message);
    const appended = await w.runAction("notion.append_blocks", { blockId: page.output.id, text: "Went well\n\nTo improve" });
    expect(appended).toMatchObject({ ok: true, output: { blockIds: [expect.any(String), expect.any(String), expect.any(String)] } });
    const [sent] = await w.simulator.apiCalls({ providerId: "notion", apiPath: `/v1/blocks/${page.output.id}/children` });
    expect(sent).toMatchObject({
      method: "PATCH",
      body: {
        children: [
          { type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "Went well" } }] } },
          { type: "paragraph", paragraph: { rich_text: [] } },
          { type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: "To improve" } }] } },
        ],
      },
    });
  });

  test("Notion's validation_error and object_not_found land on the field at fault; a 429 is rate_limited", async () => {
    const w = await setup(simulatorUrl, "notion");
    const unknownColumn = await w.runAction("notion.create_page", { dataSourceId: TASKS, title: "x", properties: { Priority: { select: { name: "P1" } } } });
    expect(unknownColumn).toMatchObject({
      ok: false,
      error: { code: "invalid_input", providerCode: "validation_error", status: 400, fields: { "properties.Priority": "Priority is not a property that exists." } },
    });
    const wrongTitle = await w.runAction("notion.create_page", { dataSourceId: "6f1c2a9e-0b7d-4e52-9a3c-1d2e3f405162", title: "x" });
    expect(wrongTitle).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { "properties.Name": "Name is not a property that exists." } } });
    const renamed = await w.runAction("notion.create_page", { dataSourceId: "6f1c2a9e-0b7d-4e52-9a3c-1d2e3f405162", title: "x", titleProperty: "Title" });
    expect(renamed.ok).toBe(true);
    const missing = await w.runAction("notion.append_blocks", { blockId: "00000000-0000-4000-8000-000000000000", text: "x" });
    expect(missing).toMatchObject({ ok: false, error: { code: "invalid_input", providerCode: "object_not_found", fields: { blockId: expect.stringMatching(/not shared/) } } });
    await w.simulator.failNext("notion", "api", { kind: "rate_limit", retryAfterSeconds: 30 });
    expect(await w.runAction("notion.append_blocks", { blockId: TEAM_HOME, text: "x" })).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterMs: 30_000 } });
  });

  test("list_databases searches data sources and pages with Notion's cursor", async () => {
    const w = await setup(simulatorUrl, "notion");
    const first = await w.runAction("notion.list_databases", {});
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options).toHaveLength(100);
    expect(first.output.options.slice(0, 2)).toEqual([
      { value: TASKS, label: "Tasks" },
      { value: "6f1c2a9e-0b7d-4e52-9a3c-1d2e3f405162", label: "Notes" },
    ]);
    expect(first.output.nextCursor).toEqual(expect.any(String));
    const second = await w.runAction("notion.list_databases", { cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.output.options).toHaveLength(20);
    expect(second.output.options.at(-1)).toMatchObject({ label: "Database 120" });
    expect(second.output.nextCursor).toBeUndefined();
    const calls = await w.simulator.apiCalls({ providerId: "notion", apiPath: "/v1/search" });
    expect(calls.map((c) => c.body)).toEqual([
      { filter: { property: "object", value: "data_source" }, page_size: 100 },
      { filter: { property: "object", value: "data_source" }, page_size: 100, start_cursor: first.output.nextCursor },
    ]);
    const bad = await w.runAction("notion.list_databases", { cursor: "not-a-cursor" });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { cursor: expect.stringMatching(/start_cursor/) } } });
  });
});
