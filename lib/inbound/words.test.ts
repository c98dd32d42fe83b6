import { describe, expect, test } from "vitest";
import { ENDPOINT_STATES, INBOUND_EVENT_STATUSES } from "../../convex/webhooks/inbound/tables";
import { VERIFICATION_FAILURES } from "./schemes";
import { ENDPOINT_STATE_VIEW, EVENT_STATUS_VIEW, outcomeWords, refusalWords, REFUSAL_REASONS } from "./words";

describe("refusalWords", () => {
  test("every verification failure and the two refusals before verifying have their own words", () => {
    for (const reason of Object.keys(VERIFICATION_FAILURES)) expect(REFUSAL_REASONS).toContain(reason);
    expect(refusalWords("bad_signature")).toBe(VERIFICATION_FAILURES.bad_signature);
    expect(refusalWords("too_large")).toBe("The body is larger than 20 MB, the most a delivery may be.");
    expect(refusalWords("awaiting_handshake")).toMatch(/before the provider's handshake/);
  });

  test("a reason this build does not know is named, not hidden", () => {
    expect(refusalWords("gremlins")).toBe("It was refused (gremlins).");
    expect(refusalWords("toString")).toBe("It was refused (toString).");
  });
});

describe("status and state views", () => {
  test("every event status and endpoint state the tables allow has a label", () => {
    expect(Object.keys(EVENT_STATUS_VIEW).sort()).toEqual([...INBOUND_EVENT_STATUSES].sort());
    expect(Object.keys(ENDPOINT_STATE_VIEW).sort()).toEqual([...ENDPOINT_STATES].sort());
  });
});

describe("outcomeWords", () => {
  test("nothing before processing finished", () => {
    expect(outcomeWords(null)).toBeNull();
  });

  test("says each thing processing did", () => {
    expect(outcomeWords({ workflowRuns: 0, connectionChanged: false })).toBe(
      "Processing started no workflow run and left the connection as it was.",
    );
    expect(outcomeWords({ workflowRuns: 1, connectionChanged: true })).toBe("Processing started 1 workflow run and changed the connection's status.");
    expect(outcomeWords({ workflowRuns: 3, connectionChanged: false, forwardedAs: "github.issues.opened" })).toBe(
      "Processing started 3 workflow runs, left the connection as it was and forwarded it to your webhook endpoints as github.issues.opened.",
    );
  });
});
