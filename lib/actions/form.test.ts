import { describe, expect, test } from "vitest";
import { z } from "zod";
import { formFields, formInput, lookupInput, missingLookupParams, type FormField } from "./form";

const schema = z.toJSONSchema(
  z.object({
    channel: z.string().meta({ title: "Channel", description: "Where", examples: ["C1"], lookup: { action: "slack.list_channels" } }),
    body: z.string().max(5000).optional(),
    repoName: z.string().max(10),
    count: z.number().int().default(3),
    ratio: z.number().optional(),
    draft: z.boolean().default(false),
    status: z.enum(["draft", "publish"]),
    labels: z.array(z.string()).optional().meta({ examples: [["bug"]] }),
    note: z.string().nullable().optional(),
    mixed: z.union([z.string(), z.number()]).optional(),
  }),
  { io: "input" },
);

describe("formFields", () => {
  test("maps each property to a control, with labels, help, examples, defaults and lookups", () => {
    const fields = formFields(schema);
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["channel", "text", true],
      ["body", "textarea", false],
      ["repoName", "text", true],
      ["count", "number", false],
      ["ratio", "number", false],
      ["draft", "boolean", false],
      ["status", "select", true],
      ["labels", "json", false],
      ["note", "text", false],
      ["mixed", "json", false],
    ]);
    expect(fields[0]).toEqual({ name: "channel", label: "Channel", help: "Where", example: "C1", kind: "text", required: true, lookup: { action: "slack.list_channels" } });
    expect(fields[2]!.label).toBe("Repo name");
    expect(fields[3]).toMatchObject({ defaultValue: "3", integer: true });
    expect(fields[4]).toMatchObject({ integer: false });
    expect(fields[5]).toMatchObject({ defaultValue: "false" });
    expect(fields[6]!.options).toEqual(["draft", "publish"]);
    expect(fields[7]!.example).toBe('["bug"]');
    expect(formFields({})).toEqual([]);
    expect(formFields({ properties: { my_field: { type: ["string", "null"] } } })).toEqual([{ name: "my_field", label: "My field", kind: "text", required: false }]);
    expect(formFields({ properties: { x: { type: ["string", "number"] } } })[0]!.kind).toBe("json");
    expect(formFields({ properties: { x: { type: "string", maxLength: 499 } } })[0]!.kind).toBe("text");
    expect(formFields({ properties: { x: { type: "string", maxLength: 500 } } })[0]!.kind).toBe("textarea");
  });
});

describe("formInput", () => {
  const fields = formFields(schema);
  test("parses numbers and JSON, leaves empty optional fields out, keeps booleans", () => {
    expect(formInput(fields, { channel: "C1", repoName: "app", count: " 4 ", ratio: "0.5", draft: true, status: "draft", labels: '["a"]', body: "  " })).toEqual({
      ok: true,
      input: { channel: "C1", repoName: "app", count: 4, ratio: 0.5, draft: true, status: "draft", labels: ["a"] },
    });
  });
  test("says what cannot be read, per field", () => {
    expect(formInput(fields, { channel: "", repoName: "x", count: "2.5", ratio: "abc", status: "draft", labels: "[oops" })).toEqual({
      ok: false,
      fields: {
        channel: "Channel is required.",
        count: "Count must be a whole number.",
        ratio: "Ratio must be a number.",
        labels: 'Labels must be JSON (for example ["bug"]).',
      },
    });
    const noExample: FormField[] = [{ name: "x", label: "X", kind: "json", required: false }];
    expect(formInput(noExample, { x: "{" })).toEqual({ ok: false, fields: { x: "X must be JSON (for example [])." } });
    expect(formInput(noExample, { x: true })).toEqual({ ok: true, input: {} });
    expect(formInput([{ name: "b", label: "B", kind: "boolean", required: false }], { b: "yes" })).toEqual({ ok: true, input: {} });
  });
});

describe("lookups in forms", () => {
  const lookup = { action: "trello.list_lists", params: { boardId: "board" } };
  test("params come from the other fields, trimmed; the cursor when paging", () => {
    expect(lookupInput(lookup, { board: " b1 " })).toEqual({ boardId: "b1" });
    expect(lookupInput(lookup, { board: "b1" }, "20")).toEqual({ boardId: "b1", cursor: "20" });
    expect(lookupInput(lookup, { board: "" })).toEqual({});
    expect(lookupInput({ action: "x" }, {}, "")).toEqual({});
  });
  test("a lookup waits for the fields it needs", () => {
    expect(missingLookupParams(lookup, {})).toEqual(["board"]);
    expect(missingLookupParams(lookup, { board: "  " })).toEqual(["board"]);
    expect(missingLookupParams(lookup, { board: true })).toEqual(["board"]);
    expect(missingLookupParams(lookup, { board: "b" })).toEqual([]);
    expect(missingLookupParams({ action: "x" }, {})).toEqual([]);
  });
});
