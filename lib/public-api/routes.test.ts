import { describe, expect, test } from "vitest";
import { decodeCursor, encodeCursor, pageOf } from "./pagination";
import { fieldErrors, problem, PROBLEM_CODES } from "./problem";
import { matchRoute, OPERATION_IDS, ROUTES } from "./routes";
import { actionRunRequestSchema } from "./schemas";

describe("matchRoute", () => {
  test("finds each route with its decoded parameters", () => {
    expect(matchRoute("GET", "/v1/connections")).toEqual({ kind: "route", operationId: "listConnections", params: {} });
    expect(matchRoute("GET", "/v1/connections/github")).toEqual({ kind: "route", operationId: "getConnection", params: { providerId: "github" } });
    expect(matchRoute("POST", "/v1/actions/slack.post_message/run")).toEqual({
      kind: "route",
      operationId: "runAction",
      params: { actionId: "slack.post_message" },
    });
    expect(matchRoute("GET", "/v1/calls/call%20one")).toEqual({ kind: "route", operationId: "getCalls", params: { correlationId: "call one" } });
    expect(matchRoute("GET", "/v1/openapi.json")).toMatchObject({ operationId: "getOpenApiDocument" });
    expect(matchRoute("PATCH", "/v1/webhook-endpoints/ep_1")).toEqual({ kind: "route", operationId: "updateWebhookEndpoint", params: { endpointId: "ep_1" } });
    expect(matchRoute("POST", "/v1/webhook-endpoints/ep_1/rotate-secret")).toEqual({
      kind: "route",
      operationId: "rotateWebhookEndpointSecret",
      params: { endpointId: "ep_1" },
    });
    expect(matchRoute("POST", "/v1/webhook-endpoints")).toMatchObject({ operationId: "createWebhookEndpoint" });
  });

  test("a known path with another method is method_not_allowed, with the methods it takes", () => {
    expect(matchRoute("DELETE", "/v1/connections")).toEqual({ kind: "method_not_allowed", allowed: ["GET"] });
    expect(matchRoute("GET", "/v1/actions/x/run")).toEqual({ kind: "method_not_allowed", allowed: ["POST"] });
    expect(matchRoute("PUT", "/v1/webhook-endpoints/ep_1")).toEqual({ kind: "method_not_allowed", allowed: ["GET", "PATCH", "DELETE"] });
  });

  test("anything else is not_found: extra segments, a dot that is not literal, an undecodable segment", () => {
    expect(matchRoute("GET", "/v1/connections/github/extra")).toEqual({ kind: "not_found" });
    expect(matchRoute("GET", "/v1/openapiXjson")).toEqual({ kind: "not_found" });
    expect(matchRoute("GET", "/v1/connections/%E0%A4%A")).toEqual({ kind: "not_found" });
    expect(matchRoute("GET", "/v1/connections/")).toEqual({ kind: "not_found" });
    expect(matchRoute("GET", "/v2/connections")).toEqual({ kind: "not_found" });
  });

  test("every route has a scope from the list or is the public document, and no two share a method and path", () => {
    const seen = new Set(OPERATION_IDS.map((id) => `${ROUTES[id].method} ${ROUTES[id].path}`));
    expect(seen.size).toBe(OPERATION_IDS.length);
    expect(OPERATION_IDS.filter((id) => ROUTES[id].scope === null)).toEqual(["getOpenApiDocument"]);
  });
});

describe("pagination", () => {
  test("pages through a list and back-references with opaque cursors", () => {
    const first = pageOf([1, 2, 3, 4, 5], 2, undefined)!;
    expect(first).toEqual({ data: [1, 2], next_cursor: encodeCursor(2) });
    const second = pageOf([1, 2, 3, 4, 5], 2, first.next_cursor!)!;
    expect(second.data).toEqual([3, 4]);
    expect(pageOf([1, 2, 3, 4, 5], 2, second.next_cursor!)).toEqual({ data: [5], next_cursor: null });
    expect(pageOf([1, 2], 2, undefined)).toEqual({ data: [1, 2], next_cursor: null });
    expect(pageOf([], 10, undefined)).toEqual({ data: [], next_cursor: null });
  });

  test("cursors that are not ours are refused", () => {
    expect(encodeCursor(0)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encodeCursor(123))).toBe(123);
    expect(decodeCursor(encodeCursor(0))).toBe(0);
    for (const bad of ["", "!!", btoa("p1:-1"), btoa("p1:01"), btoa("p2:1"), btoa("p1:1x"), btoa("p1:1234567890"), btoa("p1:")]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
    expect(pageOf([1], 1, "nonsense")).toBeNull();
  });

  test("cursors round-trip and stay URL-safe", () => {
    for (let offset = 0; offset < 2000; offset += 37) {
      expect(encodeCursor(offset)).toMatch(/^[A-Za-z0-9]+$/);
      expect(decodeCursor(encodeCursor(offset))).toBe(offset);
    }
  });
});

describe("problem", () => {
  test("builds an RFC 9457 body with a URN type, the code's status and title", () => {
    expect(problem("key_revoked", "Gone.")).toEqual({
      type: "urn:switchboard:problem:key_revoked",
      title: "API key revoked",
      status: 401,
      detail: "Gone.",
      code: "key_revoked",
    });
    expect(problem("invalid_input", "Bad.", { errors: { channel: "Choose" }, retryable: false })).toMatchObject({ status: 422, errors: { channel: "Choose" }, retryable: false });
    expect(PROBLEM_CODES.rate_limited).toBe(429);
    expect(PROBLEM_CODES.insufficient_scope).toBe(403);
  });

  test("fieldErrors keys zod issues by dot path, first message per path", () => {
    const parsed = actionRunRequestSchema.safeParse({ input: 3 });
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error!, "body")).toEqual({ "body.input": expect.any(String) });
    expect(Object.keys(fieldErrors(actionRunRequestSchema.safeParse(null).error!))).toEqual(["(body)"]);
    expect(Object.keys(fieldErrors(actionRunRequestSchema.safeParse({ input: 3 }).error!))).toEqual(["input"]);
  });
});
