import { describe, expect, test } from "vitest";
import { errorCode, errorMessage } from "./error-messages";

describe("errorMessage", () => {
  test("uses the message of a ConvexError's coded data", () => {
    const error = Object.assign(new Error("x"), { data: { code: "FORBIDDEN", message: "Only admins." } });
    expect(errorMessage(error)).toBe("Only admins.");
    expect(errorCode(error)).toBe("FORBIDDEN");
  });

  test("finds the payload Convex Auth's proxy embedded in a plain message", () => {
    const error = new Error(
      '[Request ID: 1] Server Error\nUncaught ConvexError: {"code":"INVALID_CREDENTIALS","message":"Wrong \\"email\\" or password."}\n    at handler',
    );
    expect(errorMessage(error)).toBe('Wrong "email" or password.');
    expect(errorCode(error)).toBe("INVALID_CREDENTIALS");
  });

  test("finds a payload with more fields and braces inside its strings", () => {
    const error = new Error(
      'Uncaught ConvexError: {"code":"PROVIDER_UNAVAILABLE","message":"GitHub answered {oops} (reference call_1).","correlationId":"call_1","details":{"a":1}}',
    );
    expect(errorMessage(error)).toBe("GitHub answered {oops} (reference call_1).");
    expect(errorCode(error)).toBe("PROVIDER_UNAVAILABLE");
  });

  test("never shows an uncoded message, which may hold internals", () => {
    const error = new Error("TypeError: cannot read token ya29.secret of undefined");
    expect(errorMessage(error)).toBe("Something went wrong. Try again.");
    expect(errorCode(error)).toBeUndefined();
    expect(errorMessage(null, "Fallback")).toBe("Fallback");
  });
});

describe("errorData, where the payload is", () => {
  test("a message that is the payload alone", () => {
    expect(errorMessage(new Error('{"code":"NOT_FOUND","message":"No such organization."}'))).toBe("No such organization.");
  });

  test("a payload without a string message or code is not one", () => {
    expect(errorCode(new Error('Uncaught ConvexError: {"code":"X","message":42}'))).toBeUndefined();
    expect(errorCode({ data: { code: 7, message: "m" } })).toBeUndefined();
  });
});
