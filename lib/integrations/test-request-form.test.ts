import { describe, expect, test } from "vitest";
import { parseTestRequestForm, prettyBody } from "./test-request-form";

describe("parseTestRequestForm", () => {
  test("reads name=value and Name: value lines, skipping blanks", () => {
    expect(
      parseTestRequestForm({ method: "POST", query: "per_page=5\n\nstate = open", headers: "X-Trace: abc:def", body: '{"a":1}' }),
    ).toEqual({ ok: true, query: { per_page: "5", state: "open" }, headers: { "X-Trace": "abc:def" }, body: '{"a":1}' });
  });

  test.each([
    [{ method: "GET", query: "novalue", headers: "", body: "" }, "query", /line 1/],
    [{ method: "GET", query: "", headers: "ok: 1\n: nameless", headers2: "", body: "" }, "headers", /line 2/],
    [{ method: "POST", query: "", headers: "", body: "{not json" }, "body", /not valid JSON/],
    [{ method: "GET", query: "", headers: "", body: "{}" }, "body", /cannot have a body/],
  ])("refuses %j on %s", (input, field, message) => {
    const result = parseTestRequestForm(input);
    expect(result).toMatchObject({ ok: false, field });
    expect(!result.ok && result.message).toMatch(message);
  });
});

describe("prettyBody", () => {
  test("indents JSON and leaves other text alone", () => {
    expect(prettyBody('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyBody("<html>")).toBe("<html>");
  });
});

describe("parseTestRequestForm, blanks and methods", () => {
  test("a blank body is no body, even for GET; blank lines are skipped", () => {
    expect(parseTestRequestForm({ method: "GET", query: "a=1\n   \nb=2", headers: "  \nX-A: 1", body: "  \n " })).toEqual({
      ok: true,
      query: { a: "1", b: "2" },
      headers: { "X-A": "1" },
      body: undefined,
    });
    expect(parseTestRequestForm({ method: "POST", query: "", headers: "", body: "" })).toEqual({ ok: true, query: {}, headers: {}, body: undefined });
  });

  test("HEAD requests cannot have a body either", () => {
    expect(parseTestRequestForm({ method: "HEAD", query: "", headers: "", body: "{}" })).toEqual({
      ok: false,
      field: "body",
      message: "HEAD requests cannot have a body.",
    });
  });
});
