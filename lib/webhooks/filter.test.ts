import { describe, expect, it } from "vitest";
import { filterMatches, MAX_FILTER_KEYS, normalizeFilter, subscriptionKeys } from "./filter";

describe("subscriptionKeys", () => {
  it("is the type, its group's wildcard and *", () => {
    expect(subscriptionKeys("github.issues.opened")).toEqual(["github.issues.opened", "github.*", "*"]);
    expect(subscriptionKeys("action.failed")).toEqual(["action.failed", "action.*", "*"]);
  });
});

describe("filterMatches", () => {
  it("matches all, exact types and group wildcards", () => {
    expect(filterMatches(["*"], "connection.error")).toBe(true);
    expect(filterMatches(["connection.error"], "connection.error")).toBe(true);
    expect(filterMatches(["github.*"], "github.pull_request.opened")).toBe(true);
  });

  it("does not match other types or groups", () => {
    expect(filterMatches(["connection.connected"], "connection.error")).toBe(false);
    expect(filterMatches(["github.*"], "slack.message.posted")).toBe(false);
    expect(filterMatches([], "action.failed")).toBe(false);
  });
});

describe("normalizeFilter", () => {
  it("sorts and drops duplicates", () => {
    expect(normalizeFilter(["github.*", "action.failed", "github.*"])).toEqual({ ok: true, keys: ["action.failed", "github.*"] });
  });

  it("keeps * alone", () => {
    expect(normalizeFilter(["action.failed", "*"])).toEqual({ ok: true, keys: ["*"] });
  });

  it.each([
    [[], "Choose at least one event type, or all events."],
    [["github.issue.opened"], '"github.issue.opened" is not a webhook event type or a wildcard such as github.*.'],
    [["nothing.*"], '"nothing.*" is not a webhook event type or a wildcard such as github.*.'],
    [["github"], '"github" is not a webhook event type or a wildcard such as github.*.'],
    [["github*"], '"github*" is not a webhook event type or a wildcard such as github.*.'],
    [["**"], '"**" is not a webhook event type or a wildcard such as github.*.'],
    [["githubxx"], '"githubxx" is not a webhook event type or a wildcard such as github.*.'],
  ])("refuses %j", (keys, message) => {
    expect(normalizeFilter(keys)).toEqual({ ok: false, message });
  });

  it("accepts exactly the most keys allowed", () => {
    expect(normalizeFilter(Array(MAX_FILTER_KEYS).fill("action.failed"))).toEqual({ ok: true, keys: ["action.failed"] });
    expect(normalizeFilter(Array(MAX_FILTER_KEYS + 1).fill("action.failed"))).toEqual({
      ok: false,
      message: "A filter has at most 50 event types.",
    });
  });
});
