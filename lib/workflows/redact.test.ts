import { describe, expect, test } from "vitest";
import { REDACTED } from "../redact";
import { jsonBytes } from "./json";
import {
  HISTORY_ERROR_FIELDS_MAX,
  HISTORY_INPUT_MAX_BYTES,
  HISTORY_OUTPUT_MAX_BYTES,
  HISTORY_STRING_MAX_BYTES,
  historyError,
  historyInput,
  historyOutput,
  NOT_KEPT,
  outputBytesUsed,
  RUN_OUTPUTS_MAX_BYTES,
} from "./redact";

describe("historyInput", () => {
  test("values under secret-looking keys are replaced, at any depth; URLs lose their secret parameters", () => {
    expect(
      historyInput({
        channel: "C1",
        apiToken: "tok-123",
        headers: { Authorization: "Bearer abc", Accept: "json" },
        list: [{ password: "hunter2", name: "ok" }],
        credentials: { user: "u", pass: "p" },
        link: "https://x.test/cb?code=abc&state=1",
        count: 3,
        nothing: null,
        flag: false,
      }),
    ).toEqual({
      channel: "C1",
      apiToken: REDACTED,
      headers: { Authorization: REDACTED, Accept: "json" },
      list: [{ password: REDACTED, name: "ok" }],
      credentials: REDACTED,
      link: `https://x.test/cb?code=${REDACTED}&state=1`,
      count: 3,
      nothing: null,
      flag: false,
    });
  });

  test("each string is cut to 1 KB", () => {
    const kept = historyInput({ text: "x".repeat(3_000), short: "y", list: ["z".repeat(1_500)] }) as { text: string; short: string; list: string[] };
    expect(new TextEncoder().encode(kept.text).length).toBeLessThanOrEqual(HISTORY_STRING_MAX_BYTES);
    expect(kept.text).toMatch(/^x+…\[truncated \d+ bytes\]$/);
    expect(kept.short).toBe("y");
    expect(kept.list[0]).toMatch(/truncated/);
    expect(historyInput({ text: "x".repeat(HISTORY_STRING_MAX_BYTES) })).toEqual({ text: "x".repeat(HISTORY_STRING_MAX_BYTES) });
  });

  test("an input still over 4 KB, or one Convex cannot store, is not kept", () => {
    const many = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`f${i}`, "x".repeat(1_000)]));
    expect(historyInput(many)).toEqual(many);
    expect(jsonBytes(many)).toBeGreaterThan(HISTORY_INPUT_MAX_BYTES - 100);
    expect(historyInput({ ...many, f4: "x".repeat(100) })).toEqual(NOT_KEPT);
    const exactly = { a: "x".repeat(HISTORY_STRING_MAX_BYTES), b: "x".repeat(HISTORY_STRING_MAX_BYTES), c: "x".repeat(HISTORY_STRING_MAX_BYTES), d: "" };
    exactly.d = "x".repeat(HISTORY_INPUT_MAX_BYTES - jsonBytes(exactly));
    expect(jsonBytes(exactly)).toBe(HISTORY_INPUT_MAX_BYTES);
    expect(historyInput(exactly)).toEqual(exactly);
    expect(historyInput({ "$weird": 1 })).toEqual({ truncated: true });
  });
});

describe("historyOutput", () => {
  test("an output is kept as it is while it fits", () => {
    expect(historyOutput({ ts: "1.2", token: "kept: later steps read outputs" }, 0)).toEqual({ output: { ts: "1.2", token: "kept: later steps read outputs" } });
    const exactly = { a: "x".repeat(HISTORY_OUTPUT_MAX_BYTES - 8) };
    expect(jsonBytes(exactly)).toBe(HISTORY_OUTPUT_MAX_BYTES);
    expect(historyOutput(exactly, 0)).toEqual({ output: exactly });
  });

  test("a bigger output is { truncated: true } with a note", () => {
    const big = { a: "x".repeat(HISTORY_OUTPUT_MAX_BYTES - 7) };
    expect(historyOutput(big, 0)).toEqual({
      output: { truncated: true },
      note: "The output was 65 KB, more than the 64 KB a run keeps of a step; later steps cannot use it.",
    });
  });

  test("an output that would take the run's outputs past 256 KB is not kept", () => {
    const output = { a: "x".repeat(1_000) };
    const bytes = jsonBytes(output);
    expect(historyOutput(output, RUN_OUTPUTS_MAX_BYTES - bytes)).toEqual({ output });
    expect(historyOutput(output, RUN_OUTPUTS_MAX_BYTES - bytes + 1)).toEqual({
      output: { truncated: true },
      note: "The run's outputs would pass the 256 KB a run keeps, so this one (1 KB) was not kept; later steps cannot use it.",
    });
  });

  test("an output Convex cannot store is not kept, and the note says where", () => {
    expect(historyOutput({ props: { "Título": "x" } }, 0)).toEqual({
      output: { truncated: true },
      note: "The output was not kept (props.Título: The field name Título may only have printable ASCII characters.); later steps cannot use it.",
    });
    expect(historyOutput([undefined], 0).note).toMatch(/^The output was not kept \(0: /);
    expect(historyOutput(() => 1, 0).note).toMatch(/^The output was not kept \(the output: A function is not JSON\.\)/);
  });

  test("the budget counts kept outputs only", () => {
    expect(outputBytesUsed([{ output: { a: 1 } }, {}, { output: { truncated: true }, note: "too big" }, { output: "xy" }])).toBe(7 + 4);
    expect(outputBytesUsed([])).toBe(0);
  });
});

describe("historyError", () => {
  test("texts are cut and fields bounded; what is short passes unchanged", () => {
    const error = { code: "invalid_input" as const, message: "Bad.", retryable: false, fields: { channel: "No such channel." }, providerCode: "channel_not_found", status: 200 };
    expect(historyError(error)).toEqual(error);
    expect(historyError({ code: "timeout", message: "Slow.", retryable: true })).toEqual({ code: "timeout", message: "Slow.", retryable: true });
    const long = historyError({
      code: "provider_error",
      message: "m".repeat(5_000),
      retryable: false,
      providerCode: "p".repeat(1_000),
      fields: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, "v".repeat(1_000)])),
    });
    expect(long.message).toMatch(/truncated/);
    expect(new TextEncoder().encode(long.message).length).toBeLessThanOrEqual(1_024);
    expect(long.providerCode!.length).toBeLessThanOrEqual(256);
    expect(Object.keys(long.fields!)).toHaveLength(HISTORY_ERROR_FIELDS_MAX);
    expect(Object.keys(long.fields!)[0]).toBe("f0");
    expect(long.fields!.f0!.length).toBeLessThanOrEqual(256);
  });

  test("field names Convex cannot store as keys are left out", () => {
    const kept = historyError({
      code: "invalid_input",
      message: "x",
      retryable: false,
      fields: { "Título": "bad", $x: "bad", ["n".repeat(129)]: "bad", ["m".repeat(128)]: "ok", name: "ok" },
    });
    expect(Object.keys(kept.fields!)).toEqual(["m".repeat(128), "name"]);
  });
});
