import { describe, expect, test } from "vitest";
import { z } from "zod";
import { formFields, formInput, formValues, lookupInput, missingLookupParams, outputPaths, type FormField } from "./form";

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

describe("workflow step forms", () => {
  const fields = formFields(schema);
  test("with templates, a non-JSON field holding a reference is kept as text", () => {
    expect(formInput(fields, { channel: "{{trigger.channel}}", repoName: "x", count: "{{steps.a.output.number}}", status: "draft" }, { templates: true })).toEqual({
      ok: true,
      input: { channel: "{{trigger.channel}}", repoName: "x", count: "{{steps.a.output.number}}", status: "draft" },
    });
    expect(formInput(fields, { channel: "c", repoName: "x", count: "{{n}}", status: "draft" })).toMatchObject({ ok: false });
    expect(formInput(fields, { channel: "c", repoName: "x", status: "draft", labels: '["{{trigger.tag}}"]' }, { templates: true })).toEqual({
      ok: true,
      input: { channel: "c", repoName: "x", status: "draft", labels: ["{{trigger.tag}}"] },
    });
    expect(formInput(fields, { channel: "c", repoName: "x", status: "draft", labels: "{{trigger.tags}}" }, { templates: true })).toMatchObject({ ok: false });
  });
  test("formValues shows a saved input again", () => {
    expect(formValues(fields, { channel: "C1", count: 4, draft: true, labels: ["a"], note: "{{x}}", unknown: 1 })).toEqual({
      channel: "C1",
      count: "4",
      draft: true,
      labels: '[\n  "a"\n]',
      note: "{{x}}",
    });
    expect(formValues(fields, { draft: "{{trigger.flag}}" })).toEqual({ draft: "{{trigger.flag}}" });
  });
  test("outputPaths lists what later steps can reference", () => {
    const output = z.toJSONSchema(z.object({ number: z.number(), url: z.string(), user: z.object({ login: z.string(), deep: z.object({ x: z.string() }) }), tags: z.array(z.string()) }));
    expect(outputPaths(output)).toEqual(["number", "url", "user", "user.login", "user.deep", "tags"]);
    expect(outputPaths(output, 1)).toEqual(["number", "url", "user", "tags"]);
    expect(outputPaths({})).toEqual([]);
  });
});
