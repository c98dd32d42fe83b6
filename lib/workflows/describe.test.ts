import { describe, expect, test } from "vitest";
import { describeTrigger } from "./describe";

describe("describeTrigger", () => {
  test("manual and scheduled triggers", () => {
    expect(describeTrigger({ kind: "manual" })).toBe("By hand: Run now or the API");
    expect(describeTrigger({ kind: "schedule", everyMinutes: 60 })).toBe("Every 60 minutes");
    expect(describeTrigger({ kind: "schedule", everyMinutes: 10_080 })).toBe("Every 10,080 minutes");
  });

  test("an event trigger: its type, and its filters joined by and, values as they would be typed", () => {
    expect(describeTrigger({ kind: "event", eventType: "github.issues.opened", filters: [] })).toBe("When a github.issues.opened event arrives");
    expect(describeTrigger({ kind: "event", eventType: "github.*", filters: [] })).toBe("When any github.* event arrives");
    expect(describeTrigger({ kind: "event", eventType: "github.issues.opened", filters: [{ path: "issue.state", equals: "open" }] })).toBe(
      "When a github.issues.opened event arrives, if issue.state = open",
    );
    expect(
      describeTrigger({
        kind: "event",
        eventType: "linear.Issue.*",
        filters: [
          { path: "data.priority", equals: 1 },
          { path: "data.title", equals: "42" },
          { path: "data.archived", equals: false },
          { path: "data.parent", equals: null },
        ],
      }),
    ).toBe('When any linear.Issue.* event arrives, if data.priority = 1 and data.title = "42" and data.archived = false and data.parent = null');
  });
});
