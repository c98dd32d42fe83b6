import { describe, expect, test } from "vitest";
import { hasMalformedReference, lookupPath, renderTemplate, templateReferences, TEMPLATE_MAX_DEPTH } from "./templates";

const scope = {
  trigger: { title: "Crash on save", count: 3, ok: true, none: null, tags: ["a", "b"] },
  steps: { create_issue: { output: { html_url: "https://github.com/acme/app/issues/7", number: 7 } } },
};

describe("renderTemplate", () => {
  test("a whole-string reference keeps the value's type; inside text it is stringified", () => {
    expect(renderTemplate({ n: "{{steps.create_issue.output.number}}", t: "#{{ steps.create_issue.output.number }}: {{trigger.title}}" }, scope)).toEqual({
      ok: true,
      value: { n: 7, t: "#7: Crash on save" },
    });
    expect(renderTemplate("{{trigger.tags}}", scope)).toEqual({ ok: true, value: ["a", "b"] });
    expect(renderTemplate("tags: {{trigger.tags}} ok={{trigger.ok}} none=[{{trigger.none}}]", scope)).toEqual({
      ok: true,
      value: 'tags: ["a","b"] ok=true none=[]',
    });
    expect(renderTemplate("{{trigger.tags.1}}", scope)).toEqual({ ok: true, value: "b" });
  });

  test("values with quotes and newlines stay data: the JSON around them cannot break", () => {
    const hostile = { trigger: { title: '", "admin": true, "x": "\n' } };
    const rendered = renderTemplate({ text: "Title: {{trigger.title}}" }, hostile);
    expect(rendered).toEqual({ ok: true, value: { text: 'Title: ", "admin": true, "x": "\n' } });
    expect(JSON.parse(JSON.stringify((rendered as { value: unknown }).value))).toEqual({ text: 'Title: ", "admin": true, "x": "\n' });
  });

  test("non-string leaves and keys pass through unchanged; arrays keep their order", () => {
    expect(renderTemplate({ "{{trigger.title}}": [1, false, null, "{{trigger.count}}"] }, scope)).toEqual({
      ok: true,
      value: { "{{trigger.title}}": [1, false, null, 3] },
    });
  });

  test("an unknown reference is an error naming it and where it is", () => {
    expect(renderTemplate({ body: { text: "Hi {{trigger.nope}}" } }, scope)).toEqual({
      ok: false,
      error: { at: "body.text", message: "Nothing is called trigger.nope." },
    });
    expect(renderTemplate(["x", "{{steps.missing.output}}"], scope)).toEqual({
      ok: false,
      error: { at: "1", message: "Nothing is called steps.missing.output." },
    });
    expect(renderTemplate("{{trigger.tags.2}}", scope)).toMatchObject({ ok: false });
  });

  test("anything but a dotted name is refused, never evaluated", () => {
    for (const bad of ["{{ trigger.count + 1 }}", "{{}}", "{{constructor.constructor('x')()}}", "{{a b}}", "x {{ 1|upper }}"]) {
      expect(renderTemplate(bad, scope)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/names and dots/) } });
    }
  });

  test("prototype properties are not reachable", () => {
    expect(lookupPath({}, "constructor")).toEqual({ found: false });
    expect(lookupPath({ a: {} }, "a.__proto__")).toEqual({ found: false });
    expect(lookupPath({ a: "text" }, "a.length")).toEqual({ found: false });
    expect(lookupPath([1], "length")).toEqual({ found: false });
    expect(lookupPath({ a: [1, 2] }, "a.x")).toEqual({ found: false });
    expect(lookupPath({ a: undefined }, "a")).toEqual({ found: false });
    expect(lookupPath({ a: { b: 0 } }, "a.b")).toEqual({ found: true, value: 0 });
  });

  test("nesting is bounded", () => {
    let deep: unknown = "x";
    for (let i = 0; i <= TEMPLATE_MAX_DEPTH; i += 1) deep = [deep];
    expect(renderTemplate(deep, {})).toMatchObject({ ok: false, error: { message: expect.stringMatching(/too deeply/) } });
    let fine: unknown = "{{a}}";
    for (let i = 0; i < TEMPLATE_MAX_DEPTH; i += 1) fine = [fine];
    expect(renderTemplate(fine, { a: 1 }).ok).toBe(true);
  });

  test("a rendered string longer than the limit is refused", () => {
    expect(renderTemplate("{{a}}{{a}}", { a: "x".repeat(600_000) })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/too long/) } });
    expect(renderTemplate("{{a}}", { a: "x".repeat(600_000) }).ok).toBe(true);
  });
});

describe("templateReferences", () => {
  test("lists each reference once, in order, from every string leaf", () => {
    expect(
      templateReferences({ a: "{{trigger.title}} and {{ steps.x.output.url }}", b: ["{{trigger.title}}", 3, { c: "{{trigger.n}}" }] }),
    ).toEqual(["trigger.title", "steps.x.output.url", "trigger.n"]);
    expect(templateReferences(42)).toEqual([]);
  });
});

describe("hasMalformedReference", () => {
  test("what rendering would refuse as not a reference, and nothing else", () => {
    for (const bad of ["{{ a + b }}", "{{}}", "x {{ 1|upper }}", "{{a b}}", "{{ a }} and {{", "{{{a}}}"]) expect(hasMalformedReference(bad), bad).toBe(true);
    for (const good of ["", "plain", "{{a}}", "{{ a.b-c.0 }} and {{d_e}}", "{ a }", "}} {{a}}"]) expect(hasMalformedReference(good), good).toBe(false);
  });
});
