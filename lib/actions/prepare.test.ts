import { describe, expect, test } from "vitest";
import { z } from "zod";
import { defineAction, type ActionAnswer } from "./define";
import { actionAnswer, buildRequest, canonicalJson, convexSafe, encodeActionBody, parseInput, readAnswer } from "./prepare";

const echo = defineAction({
  id: "test.echo",
  version: 1,
  providerId: "test",
  title: "Echo",
  description: "Echo",
  effect: "read",
  scopes: [],
  input: z.object({ id: z.string().min(1, "Say which."), n: z.number().default(1) }),
  output: z.object({ id: z.string(), extra: z.unknown().optional() }),
  request: (input) => {
    if (input.id === "boom") throw new Error("That id cannot be sent.");
    if (input.id === "odd") throw "not an error";
    return { method: "GET", path: `/things/${input.id}`, query: { n: String(input.n) } };
  },
  response: (answer: ActionAnswer) => {
    if (answer.status === 418) throw new Error("mapping bug");
    if (answer.status >= 400) return { ok: false, error: { code: "provider_error", message: "no", retryable: false } };
    return { ok: true, output: answer.json as { id: string } };
  },
});
const context = { config: {}, scopes: [], correlationId: "call_test_1" };

describe("parseInput and buildRequest", () => {
  test("valid input gets its defaults; invalid input names each field", () => {
    expect(parseInput(echo, { id: "a" })).toEqual({ ok: true, input: { id: "a", n: 1 } });
    expect(parseInput(echo, { id: "", n: "x" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input", retryable: false, fields: { id: "Say which.", n: expect.any(String) }, message: "The input is not valid: check id, n." },
    });
    expect(parseInput(echo, "text")).toMatchObject({ ok: false, error: { message: "The input is not valid: check (input)." } });
  });

  test("a mapping that throws is an input problem with its message", () => {
    expect(buildRequest(echo, { id: "a", n: 2 }, context)).toEqual({ ok: true, request: { method: "GET", path: "/things/a", query: { n: "2" } } });
    expect(buildRequest(echo, { id: "boom", n: 1 }, context)).toEqual({
      ok: false,
      error: { code: "invalid_input", message: "That id cannot be sent.", retryable: false },
    });
    expect(buildRequest(echo, { id: "odd", n: 1 }, context)).toMatchObject({ ok: false, error: { message: "The input cannot be sent." } });
  });
});

describe("readAnswer", () => {
  test("the output is checked against the schema; a misfit or a throwing mapping is the provider's error", () => {
    expect(readAnswer(echo, {}, actionAnswer(200, {}, '{"id":"a"}'), "Test")).toEqual({ ok: true, output: { id: "a" } });
    for (const answer of [actionAnswer(200, {}, '{"id":5}'), actionAnswer(418, {}, "")]) {
      expect(readAnswer(echo, {}, answer, "Test")).toEqual({
        ok: false,
        error: { code: "provider_error", message: `Test answered HTTP ${answer.status} in a shape this action does not understand.`, retryable: false, status: answer.status },
      });
    }
    expect(readAnswer(echo, {}, actionAnswer(500, {}, ""), "Test")).toMatchObject({ ok: false, error: { message: "no" } });
  });

  test("outputs are made storable by Convex", () => {
    const read = readAnswer(echo, {}, actionAnswer(200, {}, '{"id":"a","extra":{"$ref":"#","Název":1}}'), "Test");
    expect(read).toEqual({ ok: true, output: { id: "a", extra: { "%24ref": "#", "N%C3%A1zev": 1 } } });
  });
});

describe("actionAnswer", () => {
  test("lower-cases header names and parses JSON bodies only", () => {
    expect(actionAnswer(200, { "Retry-After": "3" }, '{"a":1}')).toEqual({ status: 200, headers: { "retry-after": "3" }, body: '{"a":1}', json: { a: 1 } });
    expect(actionAnswer(200, {}, "not json").json).toBeUndefined();
    expect(actionAnswer(204, {}, "  ").json).toBeUndefined();
  });
});

describe("convexSafe", () => {
  test("keeps valid keys and values, encodes the others, drops undefined", () => {
    expect(convexSafe({ a: 1, "b c": [{ $x: null, "é": "é" }], u: undefined, "a$": true })).toEqual({
      a: 1,
      "b c": [{ "%24x": null, "%C3%A9": "é" }],
      "a$": true,
    });
    expect(convexSafe({ "tab\there": 1 })).toEqual({ "tab%09here": 1 });
    expect(Object.keys(convexSafe({ ["k".repeat(2000)]: 1 }) as object)[0]).toHaveLength(1024);
    expect(convexSafe("text")).toBe("text");
    expect(convexSafe(null)).toBeNull();
  });
});

describe("canonicalJson and encodeActionBody", () => {
  test("equal inputs give equal text whatever their key order", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson({ B: 1, a: 2 })).toBe('{"B":1,"a":2}');
  });

  test("bodies by encoding", () => {
    expect(encodeActionBody(undefined)).toBeUndefined();
    expect(encodeActionBody({ json: { a: "é" } })).toEqual({ text: '{"a":"é"}', contentType: "application/json" });
    expect(encodeActionBody({ form: { a: "1 2", b: "&" } })).toEqual({ text: "a=1+2&b=%26", contentType: "application/x-www-form-urlencoded" });
    expect(encodeActionBody({ text: "hi", contentType: "text/plain" })).toEqual({ text: "hi", contentType: "text/plain" });
  });
});
