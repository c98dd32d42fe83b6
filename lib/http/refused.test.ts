import { describe, expect, test } from "vitest";
import { isCredentialRefused } from "./refused";

const github = { id: "github" };
const slack = { id: "slack" };
const trello = { id: "trello" };

describe("isCredentialRefused", () => {
  test("401 is a refusal everywhere; 403 is not (a missing scope is not a dead credential)", () => {
    expect(isCredentialRefused(github, 401, "")).toBe(true);
    expect(isCredentialRefused(github, 403, "")).toBe(false);
    expect(isCredentialRefused(slack, 401, "")).toBe(true);
  });
  test("Slack refuses with HTTP 200 and an auth error code; other providers' bodies never refuse", () => {
    expect(isCredentialRefused(slack, 200, '{"ok":false,"error":"token_expired"}')).toBe(true);
    expect(isCredentialRefused(slack, 200, '{"ok":false,"error":"invalid_auth"}')).toBe(true);
    expect(isCredentialRefused(slack, 200, '{"ok":false,"error":"channel_not_found"}')).toBe(false);
    expect(isCredentialRefused(slack, 200, '{"ok":true}')).toBe(false);
    expect(isCredentialRefused(slack, 500, '{"ok":false,"error":"invalid_auth"}')).toBe(false);
    expect(isCredentialRefused(slack, 200, "not json \"ok\"")).toBe(false);
    expect(isCredentialRefused(github, 200, '{"ok":false,"error":"invalid_auth"}')).toBe(false);
  });
  test("Trello's 401 for a board permission is not a refusal; its 401 for a bad token is", () => {
    expect(isCredentialRefused(trello, 401, "unauthorized card permission requested")).toBe(false);
    expect(isCredentialRefused(trello, 401, "invalid token")).toBe(true);
  });
});
