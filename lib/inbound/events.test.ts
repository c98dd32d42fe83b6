import { describe, expect, it } from "vitest";
import { dedupeKey, readDelivery } from "./events";
import { INBOUND_SCHEME_IDS } from "./schemes";

describe("readDelivery", () => {
  it("GitHub: event and action from the header and body, the delivery GUID, the installation", () => {
    const reading = readDelivery("github", {
      headers: { "x-github-event": "issues", "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958" },
      body: { action: "opened", installation: { id: 42 } },
    });
    expect(reading).toEqual({ type: "github.issues.opened", deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958", accountIds: ["42"], lifecycle: null });
    expect(readDelivery("github", { headers: { "x-github-event": "push" }, body: {} }).type).toBe("github.push");
  });

  it.each([
    ["installation", "deleted", "provider_uninstalled", "GitHub says the app was uninstalled."],
    ["installation", "suspend", "provider_suspended", "GitHub says the app was suspended."],
    ["github_app_authorization", "revoked", "provider_revoked", "GitHub says the authorization was revoked."],
  ])("GitHub %s.%s ends the connection", (event, action, reason, said) => {
    expect(readDelivery("github", { headers: { "x-github-event": event }, body: { action } }).lifecycle).toEqual({ reason, said });
  });

  it("GitHub: other installation actions do not", () => {
    expect(readDelivery("github", { headers: { "x-github-event": "installation" }, body: { action: "created" } }).lifecycle).toBeNull();
    expect(readDelivery("github", { headers: { "x-github-event": "issues" }, body: { action: "deleted" } }).lifecycle).toBeNull();
  });

  it("Slack: the inner event's type, event_id and team_id; tokens_revoked and app_uninstalled end the connection", () => {
    const message = readDelivery("slack", { headers: {}, body: { type: "event_callback", event_id: "Ev1", team_id: "T1", event: { type: "message" } } });
    expect(message).toEqual({ type: "slack.message", deliveryId: "Ev1", accountIds: ["T1"], lifecycle: null });
    expect(readDelivery("slack", { headers: {}, body: { type: "event_callback", event: { type: "app_uninstalled" } } }).lifecycle).toEqual({
      reason: "provider_uninstalled",
      said: "Slack says the app was uninstalled.",
    });
    expect(readDelivery("slack", { headers: {}, body: { type: "event_callback", event: { type: "tokens_revoked" } } }).lifecycle?.reason).toBe("provider_revoked");
    expect(readDelivery("slack", { headers: {}, body: { type: "url_verification" } }).type).toBe("slack.url_verification");
    // A lifecycle word outside an event_callback is not an event.
    expect(readDelivery("slack", { headers: {}, body: { type: "app_uninstalled_x" } }).lifecycle).toBeNull();
  });

  it("Linear: entity type and action, Linear-Delivery, organizationId; the header stands in for a missing type", () => {
    expect(readDelivery("linear", { headers: { "linear-delivery": "d-1" }, body: { type: "Issue", action: "create", organizationId: "org-9" } })).toEqual({
      type: "linear.Issue.create",
      deliveryId: "d-1",
      accountIds: ["org-9"],
      lifecycle: null,
    });
    expect(readDelivery("linear", { headers: { "linear-event": "Comment" }, body: { action: "update" } }).type).toBe("linear.Comment.update");
  });

  it("Notion, Trello, Jira, Standard Webhooks: their type and id fields", () => {
    expect(readDelivery("notion", { headers: {}, body: { type: "page.created", id: "ev-1", workspace_id: "ws-1" } })).toEqual({
      type: "notion.page.created",
      deliveryId: "ev-1",
      accountIds: ["ws-1"],
      lifecycle: null,
    });
    expect(readDelivery("trello", { headers: {}, body: { action: { type: "createCard", id: "a1" } } })).toMatchObject({ type: "trello.createCard", deliveryId: "a1" });
    expect(readDelivery("jira", { headers: { "x-atlassian-webhook-identifier": "j-7" }, body: { webhookEvent: "jira:issue_created" } })).toMatchObject({
      type: "jira.jira:issue_created",
      deliveryId: "j-7",
    });
    // A dynamic webhook's delivery reads the same, and names no account.
    expect(readDelivery("jira_dynamic", { headers: { "x-atlassian-webhook-identifier": "j-8" }, body: { webhookEvent: "comment_created" } })).toEqual({
      type: "jira.comment_created",
      deliveryId: "j-8",
      accountIds: [],
      lifecycle: null,
    });
    expect(readDelivery("standard_webhooks", { headers: { "webhook-id": "msg_1" }, body: { type: "invoice.paid" } })).toMatchObject({
      type: "webhook.invoice.paid",
      deliveryId: "msg_1",
    });
  });

  it("LinkedIn: the notification type and action, deduplicated by the notification id, routed nowhere", () => {
    const reading = readDelivery("linkedin", {
      headers: {},
      body: { type: "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", notifications: [{ notificationId: 123, action: "COMMENT", organizationalEntity: "urn:li:organization:5" }] },
    });
    expect(reading).toEqual({ type: "linkedin.ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS.COMMENT", deliveryId: "123", accountIds: [], lifecycle: null });
    expect(readDelivery("linkedin", { headers: {}, body: { notificationId: "n1" } })).toMatchObject({ type: "linkedin.unknown", deliveryId: "n1" });
  });

  it("routing ids: a revoked GitHub authorization names its user; Zoom names the user before the account; blanks and repeats are dropped", () => {
    const revoked = readDelivery("github", {
      headers: { "x-github-event": "github_app_authorization" },
      body: { action: "revoked", sender: { id: 21031067 }, installation: { id: 9 } },
    });
    expect(revoked).toMatchObject({ accountIds: ["21031067"], lifecycle: { reason: "provider_revoked" } });
    const deauthorized = readDelivery("zoom", { headers: {}, body: { event: "app_deauthorized", payload: { user_id: "u1", account_id: "acc" } } });
    expect(deauthorized.accountIds).toEqual(["u1", "acc"]);
    const started = readDelivery("zoom", { headers: {}, body: { event: "meeting.started", payload: { account_id: "acc", object: { host_id: "acc" } } } });
    expect(started.accountIds).toEqual(["acc"]);
    expect(readDelivery("slack", { headers: {}, body: { type: "event_callback", team_id: "", event: { type: "message" } } }).accountIds).toEqual([]);
  });

  it("Zoom, Asana, Pumble and Graph have no delivery id; Zoom's deauthorization and Graph's subscriptionRemoved end things", () => {
    const zoom = readDelivery("zoom", { headers: {}, body: { event: "app_deauthorized", payload: { account_id: "acc" } } });
    expect(zoom).toEqual({ type: "zoom.app_deauthorized", deliveryId: null, accountIds: ["acc"], lifecycle: { reason: "provider_revoked", said: "Zoom says the app was deauthorized." } });
    expect(readDelivery("zoom", { headers: {}, body: { event: "meeting.started" } }).lifecycle).toBeNull();
    expect(readDelivery("asana", { headers: {}, body: { events: [{ action: "added", resource: { resource_type: "task" } }] } })).toMatchObject({ type: "asana.task.added", deliveryId: null });
    expect(readDelivery("pumble", { headers: {}, body: { type: "NEW_MESSAGE", workspaceId: "w" } })).toMatchObject({ type: "pumble.NEW_MESSAGE", deliveryId: null, accountIds: ["w"] });
    const removed = readDelivery("microsoft_graph", { headers: {}, body: { value: [{ lifecycleEvent: "subscriptionRemoved", tenantId: "t" }] } });
    expect(removed).toEqual({ type: "microsoft.subscriptionRemoved", deliveryId: null, accountIds: ["t"], lifecycle: { reason: "subscription_removed", said: "Microsoft says the subscription was removed." } });
    expect(readDelivery("microsoft_graph", { headers: {}, body: { value: [{ lifecycleEvent: "reauthorizationRequired" }] } }).lifecycle).toBeNull();
    expect(readDelivery("microsoft_graph", { headers: {}, body: { value: [{ changeType: "created" }] } }).type).toBe("microsoft.created");
  });

  it("Google Calendar: the resource state, and channel id + message number as the delivery id", () => {
    expect(
      readDelivery("google_calendar", { headers: { "x-goog-resource-state": "exists", "x-goog-channel-id": "ch1", "x-goog-message-number": "7" }, body: undefined }),
    ).toEqual({ type: "google_calendar.exists", deliveryId: "ch1:7", accountIds: [], lifecycle: null });
    expect(readDelivery("google_calendar", { headers: { "x-goog-resource-state": "sync", "x-goog-channel-id": "ch1" }, body: undefined }).deliveryId).toBeNull();
  });

  it("every scheme reads a body that is not an object as an unknown event, without throwing", () => {
    for (const scheme of INBOUND_SCHEME_IDS) {
      for (const body of [undefined, null, 7, "text", [1, 2], { action: { type: 5 } }]) {
        const reading = readDelivery(scheme, { headers: {}, body });
        expect(reading.type, `${scheme} ${JSON.stringify(body)}`).toMatch(/^[a-z_]+\.unknown$|^[a-z_]+\.5$/);
        expect(reading.lifecycle).toBeNull();
      }
    }
  });

  it("keeps type segments to safe characters and a bounded length", () => {
    const reading = readDelivery("github", { headers: { "x-github-event": "is sues/../<x>" }, body: { action: "a".repeat(200) } });
    expect(reading.type).toBe(`github.is_sues_..__x_.${"a".repeat(64)}`);
  });
});

describe("dedupeKey", () => {
  it("uses the provider's id when there is one, else the body's hash, prefixed with the scheme", () => {
    expect(dedupeKey("github", { deliveryId: "abc" }, "ff")).toBe("github:id:abc");
    expect(dedupeKey("zoom", { deliveryId: null }, "ff")).toBe("zoom:sha256:ff");
    expect(dedupeKey("slack", { deliveryId: "ff" }, "ff")).not.toBe(dedupeKey("slack", { deliveryId: null }, "ff"));
  });
});
