import { describe, expect, it } from "vitest";
import { REQUEST_PURPOSES } from "../http/request";
import { describePurpose } from "./call-purposes";

describe("describePurpose", () => {
  it("names every purpose in the call log's words", () => {
    expect(Object.fromEntries(REQUEST_PURPOSES.map((purpose) => [purpose, describePurpose(purpose)]))).toEqual({
      call: "Call",
      test: "Test",
      verify: "Connect check",
      keep_alive: "Keep-alive",
      token: "Token exchange",
      refresh: "Token refresh",
      revoke: "Revocation",
    });
  });

  it("calls a row logged before purposes existed a call", () => {
    expect(describePurpose(undefined)).toBe("Call");
  });
});
