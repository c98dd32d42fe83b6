import { describe, expect, test } from "vitest";
import {
  forwardedType,
  isRedacted,
  PROCESSING_MAX_ATTEMPTS,
  PROCESSING_RETRY_SCHEDULE_MS,
  processingRetryDelayMs,
  STORED_HEADER_VALUE_MAX_BYTES,
  STORED_HEADERS_MAX,
  STORED_PAYLOAD_MAX_BYTES,
  storedHeaders,
  storedPayload,
} from "./store";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("storedPayload", () => {
  test("JSON is redacted under secret-looking keys and kept whole when it fits", () => {
    const body = bytes(JSON.stringify({ event: { type: "message", text: "hi" }, token: "xoxb-1", authed_users: ["U1"] }));
    const stored = storedPayload(body, JSON.parse(new TextDecoder().decode(body)));
    expect(JSON.parse(stored.payload)).toEqual({ event: { type: "message", text: "hi" }, token: "[REDACTED]", authed_users: ["U1"] });
    expect(stored).toMatchObject({ bytes: body.length, truncated: false });
  });

  test("the endpoint's own secrets are replaced wherever they appear (Graph's clientState is in the body)", () => {
    const parsed = { value: [{ clientState: "graph-state-1", resource: "me/messages" }] };
    const stored = storedPayload(bytes(JSON.stringify(parsed)), parsed, ["graph-state-1"]);
    expect(JSON.parse(stored.payload)).toEqual({ value: [{ clientState: "[REDACTED]", resource: "me/messages" }] });
    expect(storedPayload(bytes("tok=abc"), undefined, ["abc"]).payload).toBe("tok=[REDACTED]");
    expect(storedHeaders({ "x-note": "carries abc inside" }, ["abc"])).toEqual({ "x-note": "carries [REDACTED] inside" });
  });

  test("a body that is not JSON is kept as text", () => {
    const stored = storedPayload(bytes("a=1&b=2"), undefined);
    expect(stored).toEqual({ payload: "a=1&b=2", bytes: 7, truncated: false });
  });

  test("a large payload is cut to the cap and marked truncated; `bytes` is the raw size", () => {
    const big = { text: "x".repeat(STORED_PAYLOAD_MAX_BYTES * 2) };
    const body = bytes(JSON.stringify(big));
    const stored = storedPayload(body, big);
    expect(stored.truncated).toBe(true);
    expect(new TextEncoder().encode(stored.payload).length).toBeLessThanOrEqual(STORED_PAYLOAD_MAX_BYTES);
    expect(stored.bytes).toBe(body.length);
  });

  test("exactly at the cap is not truncated", () => {
    const text = "y".repeat(STORED_PAYLOAD_MAX_BYTES);
    expect(storedPayload(bytes(text), undefined)).toMatchObject({ truncated: false, payload: text });
  });
});

describe("storedHeaders", () => {
  test("signatures, tokens and secrets are redacted; the rest is kept", () => {
    const kept = storedHeaders({
      "x-hub-signature-256": "sha256=abc",
      "x-slack-signature": "v0=abc",
      "x-goog-channel-token": "t",
      "x-hook-secret": "s",
      "webhook-signature": "v1,abc",
      "x-github-event": "issues",
      "content-type": "application/json",
    });
    expect(kept).toEqual({
      "content-type": "application/json",
      "webhook-signature": "[REDACTED]",
      "x-github-event": "issues",
      "x-goog-channel-token": "[REDACTED]",
      "x-hook-secret": "[REDACTED]",
      "x-hub-signature-256": "[REDACTED]",
      "x-slack-signature": "[REDACTED]",
    });
  });

  test("at most STORED_HEADERS_MAX headers, each value capped, names Convex cannot store left out", () => {
    // Given in reverse, kept by name: which ones survive the cap does not depend on arrival order.
    const names = Array.from({ length: STORED_HEADERS_MAX + 5 }, (_, i) => `x-h${String(i).padStart(2, "0")}`);
    const many = Object.fromEntries([...names].reverse().map((name) => [name, "v"]));
    expect(Object.keys(storedHeaders(many))).toEqual(names.slice(0, STORED_HEADERS_MAX));
    const long = storedHeaders({ "x-long": "z".repeat(STORED_HEADER_VALUE_MAX_BYTES * 2) });
    expect(new TextEncoder().encode(long["x-long"]!).length).toBeLessThanOrEqual(STORED_HEADER_VALUE_MAX_BYTES);
    expect(storedHeaders({ $weird: "1", "bad name": "2", ok: "3" })).toEqual({ ok: "3" });
  });
});

test("isRedacted tells the marker from a value", () => {
  expect(isRedacted("[REDACTED]")).toBe(true);
  expect(isRedacted("application/json")).toBe(false);
});

describe("processingRetryDelayMs", () => {
  test("follows the schedule and stops after the last attempt", () => {
    expect(PROCESSING_MAX_ATTEMPTS).toBe(PROCESSING_RETRY_SCHEDULE_MS.length + 1);
    const delays = Array.from({ length: PROCESSING_MAX_ATTEMPTS }, (_, i) => processingRetryDelayMs(i + 1));
    expect(delays).toEqual([...PROCESSING_RETRY_SCHEDULE_MS, null]);
  });

  test("a replay's limit of one more attempt ends after it", () => {
    expect(processingRetryDelayMs(6, 6)).toBeNull();
    expect(processingRetryDelayMs(2, 6)).toBe(PROCESSING_RETRY_SCHEDULE_MS[1]);
    expect(processingRetryDelayMs(0)).toBe(PROCESSING_RETRY_SCHEDULE_MS[0]);
  });
});

describe("forwardedType", () => {
  test("maps the inbound types that have an outbound event, and nothing else", () => {
    expect(forwardedType("github.issues.opened")).toBe("github.issues.opened");
    expect(forwardedType("slack.message")).toBe("slack.message.posted");
    expect(forwardedType("linear.Issue.create")).toBe("linear.issue.created");
    expect(forwardedType("slack.app_mention")).toBeNull();
    expect(forwardedType("constructor")).toBeNull();
  });
});
