import { describe, expect, test } from "vitest";
import { CALLBACK_ERROR_MESSAGES, CallbackError, ErrorCode, isCallbackError, isErrorData } from "./errors";

describe("isErrorData", () => {
  test("a code and a message, both strings, make a Switchboard error payload", () => {
    expect(isErrorData({ code: ErrorCode.FORBIDDEN, message: "Only admins.", field: "role" })).toBe(true);
  });

  test.each([null, undefined, "FORBIDDEN", 42, {}, { code: "FORBIDDEN" }, { message: "m" }, { code: 1, message: "m" }, { code: "FORBIDDEN", message: 1 }])(
    "%j is not one",
    (data) => {
      expect(isErrorData(data)).toBe(false);
    },
  );
});

describe("callback errors", () => {
  test("every one has its own sentence that says what happened", () => {
    const codes = Object.keys(CallbackError) as CallbackError[];
    const messages = codes.map((code) => CALLBACK_ERROR_MESSAGES[code]);
    for (const message of messages) expect(message).toMatch(/^[A-Z].{20,}\.$/);
    expect(new Set(messages).size).toBe(codes.length);
    expect(Object.keys(CALLBACK_ERROR_MESSAGES).sort()).toEqual([...codes].sort());
  });

  test("the messages a person is most likely to see", () => {
    expect(CALLBACK_ERROR_MESSAGES.state_expired).toBe("The connection request took longer than 10 minutes and expired. Start connecting again.");
    expect(CALLBACK_ERROR_MESSAGES.access_denied).toBe("Access was denied at the provider, so nothing was connected.");
    expect(CALLBACK_ERROR_MESSAGES.forbidden).toBe("Only owners and admins of the organization can connect integrations.");
  });

  test("isCallbackError knows the codes and nothing inherited", () => {
    expect(isCallbackError("state_reused")).toBe(true);
    for (const code of ["", "toString", "constructor", "STATE_REUSED", "unknown"]) expect(isCallbackError(code)).toBe(false);
  });
});
