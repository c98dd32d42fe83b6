import { describe, expect, test } from "vitest";
import { explainStatusReason, relativeTime, STATUS_REASONS, statusView, timeAgo } from "./status";

describe("statusView", () => {
  test("no row reads Not connected", () => {
    expect(statusView(null)).toMatchObject({ key: "not_connected", label: "Not connected" });
  });

  test("an error explains its reason and what to do", () => {
    const view = statusView({ status: "error", statusReason: "refresh_revoked" });
    expect(view.label).toBe("Error");
    expect(view.explanation).toContain("revoked");
    expect(view.explanation).toContain("Reconnect");
  });

  test("an error with an unknown reason still says what to do", () => {
    expect(statusView({ status: "error", statusReason: "something_new" }).explanation).toMatch(/reconnect/i);
  });

  test("a member is told to ask an admin, not offered what only admins can do", () => {
    const view = statusView({ status: "error", statusReason: "unauthorized" }, "member");
    expect(view.explanation).toContain("Ask an admin to reconnect");
    expect(view.explanation).not.toContain("Reconnect to fix");
    expect(statusView({ status: "error", statusReason: "something_new" }, "member").explanation).toContain("Ask an admin");
  });

  test.each([
    ["connected", "Connected"],
    ["refreshing", "Refreshing"],
    ["disconnected", "Disconnected"],
  ] as const)("%s reads %s", (status, label) => {
    expect(statusView({ status, statusReason: null }).label).toBe(label);
  });
});

describe("relativeTime", () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  test.each([
    [now - 10_000, "just now"],
    [now - 60_000, "1 minute ago"],
    [now - 3 * 60_000, "3 minutes ago"],
    [now - 2 * 3_600_000, "2 hours ago"],
    [now - 5 * 86_400_000, "5 days ago"],
    [now + 30 * 60_000, "in 30 minutes"],
  ])("%d reads %s", (timestamp, text) => {
    expect(relativeTime(timestamp, now)).toBe(text);
  });
});

describe("timeAgo", () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  test("a time slightly ahead of the clock (fresh data, skew) reads just now", () => {
    expect(timeAgo(now + 2_000, now)).toBe("just now");
    expect(timeAgo(now + 10 * 60_000, now)).toBe("just now");
  });
  test("past times read as relativeTime does", () => {
    expect(timeAgo(now - 3 * 60_000, now)).toBe("3 minutes ago");
  });
});

describe("statusView, every state's badge", () => {
  test("key, label and tone for each state; only errors explain", () => {
    expect(statusView(null)).toEqual({ key: "not_connected", label: "Not connected", tone: "neutral", explanation: null });
    expect(statusView({ status: "connected", statusReason: null })).toEqual({ key: "connected", label: "Connected", tone: "success", explanation: null });
    expect(statusView({ status: "refreshing", statusReason: null })).toEqual({ key: "refreshing", label: "Refreshing", tone: "progress", explanation: null });
    expect(statusView({ status: "disconnected", statusReason: "unauthorized" })).toEqual({
      key: "disconnected",
      label: "Disconnected",
      tone: "muted",
      explanation: null,
    });
    expect(statusView({ status: "error", statusReason: null })).toEqual({
      key: "error",
      label: "Error",
      tone: "danger",
      explanation: "Something is wrong with this connection. Test it, or reconnect.",
    });
  });
});

describe("explainStatusReason", () => {
  test("an admin is told by default what happened and to reconnect", () => {
    expect(explainStatusReason("unauthorized")).toBe("The provider no longer accepts this connection's credentials. Reconnect to fix it.");
    expect(explainStatusReason("decrypt_failed", "member")).toBe(
      "The stored credential could not be read (was the encryption key removed?). Ask an admin to reconnect it.",
    );
  });

  test("no reason, or one this build does not know (even an inherited name), explains nothing", () => {
    for (const reason of [null, "something_new", "toString", ""]) expect(explainStatusReason(reason)).toBeNull();
    expect(STATUS_REASONS).toEqual([
      "unauthorized",
      "refresh_revoked",
      "refresh_exhausted",
      "decrypt_failed",
      "provider_uninstalled",
      "provider_revoked",
      "provider_suspended",
      "subscription_removed",
    ]);
  });
});

describe("a provider's own words", () => {
  test("an ending the provider announced by webhook reads in its words, with what the viewer can do", () => {
    const said = { status: "error" as const, statusReason: "provider_uninstalled", lastError: "Slack says the app was uninstalled." };
    expect(statusView(said, "admin").explanation).toBe("Slack says the app was uninstalled. Reconnect to fix it.");
    expect(statusView(said, "member").explanation).toBe("Slack says the app was uninstalled. Ask an admin to reconnect it.");
    expect(statusView({ ...said, lastError: null }).explanation).toBe(
      "The provider says the app was uninstalled from the account. Reconnect to fix it.",
    );
  });

  test("other reasons never show the last error (it may be an outage's words)", () => {
    const other = { status: "error" as const, statusReason: "unauthorized", lastError: "HTTP 401" };
    expect(statusView(other).explanation).toBe("The provider no longer accepts this connection's credentials. Reconnect to fix it.");
  });
});

describe("relativeTime, at each boundary", () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  test.each([
    [now - 44_000, "just now"],
    [now + 44_000, "in a few seconds"],
    [now - 45_000, "1 minute ago"],
    [now + 50_000, "in a minute"],
    [now - 3_600_000, "1 hour ago"],
    [now - 86_400_000, "1 day ago"],
    [now + 2 * 86_400_000, "in 2 days"],
  ])("%d reads %s", (timestamp, text) => {
    expect(relativeTime(timestamp, now)).toBe(text);
  });
});
