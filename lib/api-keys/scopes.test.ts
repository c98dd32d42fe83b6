import { describe, expect, test } from "vitest";
import { API_KEY_SCOPES, isApiKeyScope, scopeDescription, scopesBeyondRole } from "./scopes";

describe("API_KEY_SCOPES", () => {
  test("is the closed list, in order", () => {
    expect(API_KEY_SCOPES).toEqual([
      "connections:read",
      "actions:read",
      "actions:run",
      "workflows:run",
      "events:read",
      "calls:read",
      "webhooks:read",
      "webhooks:write",
    ]);
    expect(isApiKeyScope("calls:read")).toBe(true);
    expect(isApiKeyScope("calls:write")).toBe(false);
    expect(isApiKeyScope("toString")).toBe(false);
    expect(scopeDescription("actions:run")).toBe("Run a provider action.");
  });
});

describe("scopesBeyondRole", () => {
  test("members may grant only reading scopes; admins and owners every scope", () => {
    expect(scopesBeyondRole(API_KEY_SCOPES, "member")).toEqual(["actions:run", "workflows:run", "calls:read", "webhooks:write"]);
    expect(scopesBeyondRole(["connections:read", "events:read"], "member")).toEqual([]);
    expect(scopesBeyondRole(API_KEY_SCOPES, "admin")).toEqual([]);
    expect(scopesBeyondRole(API_KEY_SCOPES, "owner")).toEqual([]);
  });
});
