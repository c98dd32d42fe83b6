import { describe, expect, test } from "vitest";
import { FIELD_NAME_MAX, fieldNameProblem, isJsonObject, jsonBytes, storableProblem, STORABLE_MAX_DEPTH } from "./json";

describe("jsonBytes", () => {
  test("counts UTF-8 bytes of the JSON text, and nothing for what JSON leaves out", () => {
    expect(jsonBytes({ a: 1 })).toBe(7);
    expect(jsonBytes("é")).toBe(4);
    expect(jsonBytes(undefined)).toBe(0);
  });
});

describe("isJsonObject", () => {
  test("plain objects only", () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject("{}")).toBe(false);
  });
});

describe("storableProblem", () => {
  test("JSON values Convex takes", () => {
    expect(storableProblem({ a: [1, "x", true, null, { b: -0.5 }], "with space and !#%": 1, "": 2 })).toBeNull();
    expect(storableProblem({ skipped: undefined })).toBeNull();
    expect(storableProblem("x")).toBeNull();
    expect(storableProblem({ ["k".repeat(FIELD_NAME_MAX)]: 1 })).toBeNull();
  });

  test("field names Convex refuses, with where they are", () => {
    expect(storableProblem({ a: { $ref: 1 } })).toEqual({ at: "a.$ref", message: "The field name $ref cannot start with $." });
    expect(storableProblem({ a: [{ "x$": 1 }, { "é": 1 }] })).toEqual({
      at: "a.1.é",
      message: "The field name é may only have printable ASCII characters.",
    });
    expect(storableProblem({ "tab\there": 1 })).toMatchObject({ at: "tab\there" });
    expect(storableProblem({ "del\x7f": 1 })).toMatchObject({ at: "del\x7f" });
    const long = "k".repeat(FIELD_NAME_MAX + 1);
    expect(storableProblem({ [long]: 1 })).toEqual({ at: long, message: `The field name ${"k".repeat(40)}… is longer than 1024 characters.` });
  });

  test("values that are not JSON, and nesting past the limit", () => {
    expect(storableProblem([1, undefined])).toEqual({ at: "1", message: "A undefined is not JSON." });
    expect(storableProblem({ f: () => 1 })).toEqual({ at: "f", message: "A function is not JSON." });
    let deep: unknown = 1;
    for (let i = 0; i < STORABLE_MAX_DEPTH; i++) deep = [deep];
    expect(storableProblem(deep)).toBeNull();
    let objects: unknown = 1;
    for (let i = 0; i < STORABLE_MAX_DEPTH; i++) objects = { o: objects };
    expect(storableProblem(objects)).toBeNull();
    expect(storableProblem({ o: objects })).toEqual({ at: Array(STORABLE_MAX_DEPTH).fill("o").join("."), message: "The value nests too deeply." });
    expect(storableProblem([deep])).toEqual({ at: Array(STORABLE_MAX_DEPTH).fill("0").join("."), message: "The value nests too deeply." });
  });
});

describe("fieldNameProblem", () => {
  test("names Convex takes, and why it refuses the others", () => {
    expect(fieldNameProblem("ok name-1")).toBeNull();
    expect(fieldNameProblem("$x")).toBe("The field name $x cannot start with $.");
    expect(fieldNameProblem("x$")).toBeNull();
  });
});
