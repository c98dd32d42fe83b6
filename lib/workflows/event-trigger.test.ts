import { describe, expect, test } from "vitest";
import {
  EVENT_TYPE_MAX,
  EVENT_TYPE_PATTERN,
  eventRunInput,
  eventTriggerMatches,
  eventTypeMatches,
  eventTypePatterns,
  exampleEvent,
  filterMatches,
  filterValueText,
  parseFilterValue,
  type EventFilter,
  type TriggerEvent,
} from "./event-trigger";

const event = (type: string, payload: unknown = {}): TriggerEvent => ({
  eventId: "evt_1",
  type,
  providerId: type.split(".")[0]!,
  connectionId: "conn_1",
  receivedAt: 1_700_000_000_000,
  payload,
});
const trigger = (eventType: string, filters: EventFilter[] = []) => ({ eventType, filters });

const issue = {
  action: "opened",
  issue: { number: 7, title: "Crash", state: "open", locked: false, milestone: null, labels: [{ name: "bug" }, { name: "p1" }] },
};

describe("event types", () => {
  test("an exact type takes only itself", () => {
    expect(eventTypeMatches("github.issues.opened", "github.issues.opened")).toBe(true);
    expect(eventTypeMatches("github.issues.opened", "github.issues.closed")).toBe(false);
    expect(eventTypeMatches("github.issues", "github.issues.opened")).toBe(false);
    expect(eventTypeMatches("slack.message", "Slack.message")).toBe(false);
  });

  test("a prefix takes every type under it, not the prefix itself nor a longer name", () => {
    expect(eventTypeMatches("github.*", "github.issues.opened")).toBe(true);
    expect(eventTypeMatches("github.*", "github.push")).toBe(true);
    expect(eventTypeMatches("github.issues.*", "github.issues.opened")).toBe(true);
    expect(eventTypeMatches("github.issues.*", "github.issues")).toBe(false);
    expect(eventTypeMatches("github.issues.*", "github.issues_comment.created")).toBe(false);
    expect(eventTypeMatches("github.*", "githubx.push")).toBe(false);
    expect(eventTypeMatches("github.*", "slack.message")).toBe(false);
  });

  test("the patterns that can take a type are exactly the ones that match it", () => {
    expect(eventTypePatterns("github.issues.opened")).toEqual(["github.issues.opened", "github.issues.*", "github.*"]);
    expect(eventTypePatterns("slack.message")).toEqual(["slack.message", "slack.*"]);
    expect(eventTypePatterns("webhook")).toEqual(["webhook"]);
    const types = ["github.issues.opened", "linear.Issue.create", "webhook.invoice:paid", "slack.app_uninstalled", "a.b.c.d"];
    const candidates = ["github.*", "github.issues.*", "github.issues.opened", "linear.*", "linear.Issue.*", "webhook.*", "a.b.*", "a.b.c.*", "a.*", "slack.app_uninstalled", "b.*"];
    for (const type of types) {
      for (const pattern of candidates) expect(eventTypePatterns(type).includes(pattern), `${pattern} / ${type}`).toBe(eventTypeMatches(pattern, type));
    }
  });

  test("a type longer than any pattern has only the patterns that fit", () => {
    const long = `github.${"x".repeat(EVENT_TYPE_MAX)}`;
    expect(eventTypePatterns(long)).toEqual(["github.*"]);
  });

  test("the syntax: dot-separated names of letters, digits, _ : -, optionally ending in .*", () => {
    for (const ok of ["github.issues.opened", "github.*", "github.issues.*", "linear.Issue.create", "webhook.invoice:paid", "slack.app_uninstalled", "a-b", "webhook"]) {
      expect(EVENT_TYPE_PATTERN.test(ok), ok).toBe(true);
    }
    for (const bad of ["", "*", ".*", "github.", "github..push", "github.*.opened", "github*", "github.is*", "git hub.push", "github/push", "github.**"]) {
      expect(EVENT_TYPE_PATTERN.test(bad), bad).toBe(false);
    }
  });
});

describe("filters", () => {
  test("each kind of value: text, number, boolean, null, compared exactly", () => {
    expect(filterMatches({ path: "issue.state", equals: "open" }, issue)).toBe(true);
    expect(filterMatches({ path: "issue.state", equals: "closed" }, issue)).toBe(false);
    expect(filterMatches({ path: "issue.number", equals: 7 }, issue)).toBe(true);
    expect(filterMatches({ path: "issue.number", equals: "7" }, issue)).toBe(false);
    expect(filterMatches({ path: "issue.locked", equals: false }, issue)).toBe(true);
    expect(filterMatches({ path: "issue.locked", equals: null }, issue)).toBe(false);
    expect(filterMatches({ path: "issue.milestone", equals: null }, issue)).toBe(true);
    expect(filterMatches({ path: "issue.milestone", equals: false }, issue)).toBe(false);
  });

  test("a missing path never matches, not even null; an object or list is not a scalar", () => {
    expect(filterMatches({ path: "issue.assignee", equals: null }, issue)).toBe(false);
    expect(filterMatches({ path: "issue.state.name", equals: "open" }, issue)).toBe(false);
    expect(filterMatches({ path: "pull_request.state", equals: "open" }, issue)).toBe(false);
    expect(filterMatches({ path: "issue", equals: "[object Object]" }, issue)).toBe(false);
    expect(filterMatches({ path: "anything", equals: null }, null)).toBe(false);
    expect(filterMatches({ path: "constructor", equals: null }, {})).toBe(false);
  });

  test("lists are read by index", () => {
    expect(filterMatches({ path: "issue.labels.0.name", equals: "bug" }, issue)).toBe(true);
    expect(filterMatches({ path: "issue.labels.1.name", equals: "p1" }, issue)).toBe(true);
    expect(filterMatches({ path: "issue.labels.1.name", equals: "bug" }, issue)).toBe(false);
    expect(filterMatches({ path: "issue.labels.2.name", equals: "bug" }, issue)).toBe(false);
    expect(filterMatches({ path: "issue.labels.name", equals: "bug" }, issue)).toBe(false);
    expect(filterMatches({ path: "0", equals: 1 }, [1])).toBe(true);
  });
});

describe("eventTriggerMatches", () => {
  test("the type and every filter must match (and)", () => {
    const open = { path: "issue.state", equals: "open" };
    const bug = { path: "issue.labels.0.name", equals: "bug" };
    expect(eventTriggerMatches(trigger("github.issues.opened"), event("github.issues.opened", issue))).toBe(true);
    expect(eventTriggerMatches(trigger("github.*", [open, bug]), event("github.issues.opened", issue))).toBe(true);
    expect(eventTriggerMatches(trigger("github.*", [open, { ...bug, equals: "p1" }]), event("github.issues.opened", issue))).toBe(false);
    expect(eventTriggerMatches(trigger("github.issues.closed", [open]), event("github.issues.opened", issue))).toBe(false);
    expect(eventTriggerMatches(trigger("slack.*"), event("github.issues.opened", issue))).toBe(false);
  });

  test("with no payload (truncated), only a trigger without filters matches", () => {
    expect(eventTriggerMatches(trigger("github.*"), event("github.push", null))).toBe(true);
    expect(eventTriggerMatches(trigger("github.*", [{ path: "ref", equals: null }]), event("github.push", null))).toBe(false);
  });
});

describe("eventRunInput", () => {
  test("the trigger data: the event's identity and its payload", () => {
    expect(eventRunInput(event("github.issues.opened", issue), 32 * 1024)).toEqual({
      eventId: "evt_1",
      type: "github.issues.opened",
      providerId: "github",
      connectionId: "conn_1",
      receivedAt: 1_700_000_000_000,
      payload: issue,
    });
  });

  test("a payload too large, or one Convex cannot store, is left out with a note", () => {
    const big = eventRunInput(event("github.push", { blob: "x".repeat(40 * 1024) }), 32 * 1024);
    expect(big).toEqual({
      eventId: "evt_1",
      type: "github.push",
      providerId: "github",
      connectionId: "conn_1",
      receivedAt: 1_700_000_000_000,
      payload: null,
      payloadNote: "The payload was left out: the event is 41 KB, more than a run's input may be (32 KB).",
    });
    const dollar = eventRunInput(event("webhook.schema", { schema: { $ref: "#/a" } }), 32 * 1024);
    expect(dollar).toMatchObject({ payload: null, payloadNote: "The payload was left out: it cannot be stored (at schema.$ref: The field name $ref cannot start with $.)" });
  });
});

describe("filter values as typed", () => {
  test("numbers, booleans, null and quoted text are JSON; anything else is text", () => {
    expect(parseFilterValue("open")).toBe("open");
    expect(parseFilterValue("42")).toBe(42);
    expect(parseFilterValue(" 1.5 ")).toBe(1.5);
    expect(parseFilterValue("true")).toBe(true);
    expect(parseFilterValue("false")).toBe(false);
    expect(parseFilterValue("null")).toBe(null);
    expect(parseFilterValue('"42"')).toBe("42");
    expect(parseFilterValue('"null"')).toBe("null");
    expect(parseFilterValue("[1]")).toBe("[1]");
    expect(parseFilterValue('{"a":1}')).toBe('{"a":1}');
    expect(parseFilterValue("")).toBe("");
  });

  test("a value is written back so that reading it gives it again", () => {
    for (const value of ["open", 42, 1.5, true, false, null, "42", "true", "null", " padded ", "", '"quoted"', "[1]"]) {
      expect(parseFilterValue(filterValueText(value)), JSON.stringify(value)).toBe(value);
    }
    expect(filterValueText("open")).toBe("open");
    expect(filterValueText("42")).toBe('"42"');
    expect(filterValueText(42)).toBe("42");
  });
});

test("the example event has the trigger data's shape and is a new object each time", () => {
  const example = exampleEvent();
  expect(Object.keys(example)).toEqual(["eventId", "type", "providerId", "connectionId", "receivedAt", "payload"]);
  example.payload.issue.title = "changed";
  expect(exampleEvent().payload.issue.title).toBe("Example issue");
});
