import { v } from "convex/values";
import { describe, expect, test } from "vitest";
import { checkArgs } from "./check-args.mjs";

// `exportArgs()` serializes a validator's (internal) `json`.
const exported = (validator: unknown) => JSON.stringify((validator as { json: unknown }).json);
const argsOf = (fields: Parameters<typeof v.object>[0]) => exported(v.object(fields));
const greet = argsOf({ name: v.string(), tags: v.optional(v.array(v.union(v.literal("a"), v.literal("b")))) });

describe("checkArgs", () => {
  test("valid arguments pass, optional fields may be absent", () => {
    expect(checkArgs(greet, { name: "Ada" })).toBeNull();
    expect(checkArgs(greet, { name: "Ada", tags: ["a", "b"] })).toBeNull();
    expect(checkArgs(exported(v.any()), { anything: 1 })).toBeNull();
  });

  test("a missing field", () => {
    expect(checkArgs(greet, {})).toBe(
      "ArgumentValidationError: Object is missing the required field `name`. Consider wrapping the field validator in `v.optional(...)` if this is expected.\n\n" +
        'Object: {}\nValidator: v.object({name: v.string(), tags: v.optional(v.array(v.union(v.literal("a"), v.literal("b"))))})',
    );
  });

  test("an extra field", () => {
    expect(checkArgs(greet, { name: "Ada", extra: true })).toMatch(
      /^ArgumentValidationError: Object contains extra field `extra` that is not in the validator\.\n\nObject: \{extra: true, name: "Ada"\}/,
    );
  });

  test("a value of the wrong type names its path", () => {
    expect(checkArgs(greet, { name: 1 })).toBe(
      "ArgumentValidationError: Value does not match validator.\nPath: .name\nValue: 1.0\nValidator: v.string()",
    );
    expect(checkArgs(greet, { name: "Ada", tags: ["a", "c"] })).toBe(
      'ArgumentValidationError: Value does not match validator.\nPath: .tags[1]\nValue: "c"\nValidator: v.union(v.literal("a"), v.literal("b"))',
    );
  });
});
