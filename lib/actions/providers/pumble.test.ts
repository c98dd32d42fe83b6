/** Pumble's action as pure mappings: the request and how its webhook's answers read. */
import { describe, expect, test } from "vitest";
import type { ActionAnswer } from "../define";
import { parseInput } from "../prepare";
import { MAX_TEXT, pumbleFailure, pumblePostMessage } from "./pumble";

const context = { config: {}, scopes: [], correlationId: "run-1" };
const answer = (status: number, headers: Record<string, string> = {}): ActionAnswer => ({ status, headers, body: "", json: undefined });

describe("pumble.post_message", () => {
  test("posts { text } to the stored URL, once", () => {
    const parsed = parseInput(pumblePostMessage, { text: "Deploy *finished*" });
    if (!parsed.ok) throw new Error("refused");
    expect(pumblePostMessage.request(parsed.input as never, context)).toEqual({
      method: "POST",
      path: "",
      body: { json: { text: "Deploy *finished*" } },
      maxAttempts: 1,
    });
  });

  test("refuses an empty or overlong message", () => {
    const fields = (text: unknown) => {
      const parsed = parseInput(pumblePostMessage, { text });
      return parsed.ok ? undefined : parsed.error.fields;
    };
    expect(fields("  ")).toEqual({ text: "Write the message." });
    expect(fields("x".repeat(MAX_TEXT + 1))).toEqual({ text: "At most 10,000 characters." });
    expect(fields("x".repeat(MAX_TEXT))).toBeUndefined();
    expect(fields(5)).toHaveProperty("text");
  });

  test("any 2xx is delivered", () => {
    for (const status of [200, 201, 204, 299]) expect(pumblePostMessage.response(answer(status), {} as never)).toEqual({ ok: true, output: { delivered: true } });
  });

  test("a dead URL is reconnect, a refused message is the text's fault, the rest by status", () => {
    for (const status of [401, 403, 404, 410]) {
      expect(pumbleFailure(answer(status))).toEqual({
        code: "auth_revoked",
        message: `Pumble no longer accepts this webhook URL (HTTP ${status}): create a new incoming webhook and reconnect Pumble.`,
        retryable: false,
        status,
      });
    }
    expect(pumbleFailure(answer(400))).toEqual({
      code: "invalid_input",
      message: "Pumble refused the input: Pumble refused the message (HTTP 400).",
      retryable: false,
      fields: { text: "Pumble refused the message" },
      status: 400,
    });
    expect(pumbleFailure(answer(422))).toMatchObject({ code: "invalid_input", fields: { text: "Pumble refused the message" } });
    expect(pumbleFailure(answer(413))).toMatchObject({ code: "invalid_input", fields: { text: "the message is too large" }, message: "Pumble refused the input: the message is too large (HTTP 413)." });
    expect(pumbleFailure(answer(429, { "retry-after": "4" }))).toMatchObject({ code: "rate_limited", retryAfterMs: 4_000 });
    expect(pumbleFailure(answer(503))).toEqual({ code: "provider_error", message: "Pumble answered HTTP 503.", retryable: true, status: 503 });
    expect(pumbleFailure(answer(302))).toMatchObject({ code: "provider_error", retryable: false });
    expect(pumbleFailure(answer(199))).toMatchObject({ code: "provider_error" });
    expect(pumbleFailure(answer(300))).toMatchObject({ code: "provider_error" });
    expect(pumblePostMessage.response(answer(404), {} as never)).toMatchObject({ ok: false, error: { code: "auth_revoked" } });
  });
});
