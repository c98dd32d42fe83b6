import { describe, expect, it } from "vitest";
import { buildPayload, eventGroup, eventJsonSchemas, isWebhookEventType, WEBHOOK_EVENT_TYPES, WILDCARD_GROUPS } from "./catalog";

describe("the catalog", () => {
  it("has the events receivers are promised", () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual(
      expect.arrayContaining([
        "connection.connected",
        "connection.error",
        "connection.disconnected",
        "connection.revocation_failed",
        "action.succeeded",
        "action.failed",
        "workflow.run.completed",
        "workflow.run.failed",
        "github.issues.opened",
        "endpoint.disabled",
      ]),
    );
  });

  it("offers wildcards only for groups of several types", () => {
    expect(WILDCARD_GROUPS).toEqual(expect.arrayContaining(["connection", "action", "workflow", "github", "endpoint"]));
    expect(WILDCARD_GROUPS).not.toContain("slack");
  });
});

describe("isWebhookEventType", () => {
  it("knows catalog types only", () => {
    expect(isWebhookEventType("action.failed")).toBe(true);
    expect(isWebhookEventType("action")).toBe(false);
    expect(isWebhookEventType("toString")).toBe(false);
  });
});

describe("eventGroup", () => {
  it("is the first part", () => {
    expect(eventGroup("workflow.run.failed")).toBe("workflow");
    expect(eventGroup("plain")).toBe("plain");
  });
});

describe("buildPayload", () => {
  it("builds { type, timestamp, data } with the data its schema keeps", () => {
    const data = { providerId: "github", accountName: "octo", extra: "dropped" };
    expect(buildPayload("connection.connected", data, Date.UTC(2026, 0, 2))).toEqual({
      ok: true,
      payload: { type: "connection.connected", timestamp: "2026-01-02T00:00:00.000Z", data: { providerId: "github", accountName: "octo" } },
    });
  });

  it("refuses an unknown type", () => {
    expect(buildPayload("nope.nope", {}, 0)).toEqual({ ok: false, message: 'There is no webhook event type "nope.nope".' });
  });

  it("names the field that does not fit", () => {
    const result = buildPayload("connection.error", { providerId: "github", accountName: null, reason: 5, message: null }, 0);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^The data of connection.error does not fit its schema at reason: /) });
    const root = buildPayload("connection.error", "text", 0);
    expect(root).toEqual({ ok: false, message: expect.stringMatching(/at \(root\): /) });
  });
});

describe("eventJsonSchemas", () => {
  it("publishes a JSON Schema of every type's data", () => {
    const schemas = eventJsonSchemas();
    expect(schemas.map((entry) => entry.type)).toEqual(WEBHOOK_EVENT_TYPES);
    const error = schemas.find((entry) => entry.type === "connection.error")!;
    expect(error.version).toBe(1);
    expect(error.description).toMatch(/reason/);
    expect(error.schema).toMatchObject({ type: "object", required: expect.arrayContaining(["providerId", "reason"]) });
  });
});
