import { describe, expect, test } from "vitest";
import { isCredentialRefused } from "./unauthorized";

const standard = { errorStyle: "standard" as const };
const slack = { errorStyle: "slack_ok_false" as const };

describe("isCredentialRefused", () => {
  test("401 is a refusal everywhere; 403 is not (a missing scope is not a dead credential)", () => {
    expect(isCredentialRefused(standard, 401, "")).toBe(true);
    expect(isCredentialRefused(standard, 403, "")).toBe(false);
  });
  test("Slack refuses with HTTP 200 and an auth error code", () => {
    expect(isCredentialRefused(slack, 200, '{"ok":false,"error":"token_expired"}')).toBe(true);
    expect(isCredentialRefused(slack, 200, '{"ok":false,"error":"channel_not_found"}')).toBe(false);
    expect(isCredentialRefused(slack, 200, '{"ok":true}')).toBe(false);
    expect(isCredentialRefused(standard, 200, '{"ok":false,"error":"invalid_auth"}')).toBe(false);
  });
});
