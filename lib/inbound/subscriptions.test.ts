import { describe, expect, test } from "vitest";
import {
  createRequest,
  deleteRequest,
  channelOf,
  expires,
  GOOGLE_CHANNEL_REQUESTED_LIFETIME_MS,
  GRAPH_OUTLOOK_MAX_LIFETIME_MS,
  GRAPH_REQUESTED_LIFETIME_MS,
  GITHUB_ORG_EVENTS,
  GITHUB_REPO_EVENTS,
  JIRA_JQL_MAX_CHARS,
  JIRA_WEBHOOK_LIFETIME_MS,
  missingSubscriptionScope,
  newSubscriptionSecret,
  parseSubscription,
  readCreated,
  readDeleted,
  readRenewed,
  refusalMessage,
  RENEW_AT_MOST_AFTER_MS,
  RENEW_BEFORE_EXPIRY_MS,
  renewalAt,
  renewRequest,
  type ParsedSubscription,
} from "./subscriptions";

const TEAM = "4b0c3f5e-8f1a-4c2b-9d3e-5f6a7b8c9d0e";

function parsed(providerId: string, resource: string): ParsedSubscription {
  const result = parseSubscription(providerId, resource);
  if (!result.ok) throw new Error(result.message);
  return result.parsed;
}

const answer = (status: number, body: unknown) => ({ status, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("parseSubscription", () => {
  test("GitHub: owner/repo is a repository hook, org:<name> an organization hook, each with its scopes", () => {
    expect(parsed("github", " octo-org/app ")).toMatchObject({ target: { kind: "repo", owner: "octo-org", repo: "app" }, resource: "octo-org/app", scopes: ["repo", "admin:repo_hook"], secretBy: "us" });
    expect(parsed("github", "org:octo-org")).toMatchObject({ target: { kind: "org", org: "octo-org" }, resource: "org:octo-org", scopes: ["admin:org_hook"] });
    for (const bad of ["octo-org", "octo-org/app/x", "/app", "org:", "org:-bad name", "a b/c"]) expect(parseSubscription("github", bad).ok, bad).toBe(false);
  });

  test("Linear: a team id (lowercased) or all; the provider makes the secret; admin scope", () => {
    expect(parsed("linear", TEAM.toUpperCase())).toMatchObject({ target: { teamId: TEAM }, resource: TEAM, scopes: ["admin"], secretBy: "provider" });
    expect(parsed("linear", "all")).toMatchObject({ target: { teamId: null }, resource: "all" });
    expect(parseSubscription("linear", "ENG")).toEqual({ ok: false, message: expect.stringMatching(/team by its id/) });
  });

  test("Microsoft Graph: Outlook messages and events, with the read permission each needs", () => {
    expect(parsed("microsoft", "/me/messages")).toMatchObject({ target: { resource: "me/messages", kind: "messages" }, scopes: expect.arrayContaining(["Mail.Read"]) });
    expect(parsed("microsoft", "me/mailFolders('Inbox')/messages").target).toMatchObject({ kind: "messages" });
    expect(parsed("microsoft", "me/events")).toMatchObject({ target: { kind: "events" }, scopes: expect.arrayContaining(["Calendars.ReadWrite"]) });
    expect(parsed("microsoft", "users/ada@example.com/events").target).toMatchObject({ kind: "events" });
    for (const bad of ["me", "me/drive/root", "groups/x/threads", "me/messages/extra"]) expect(parseSubscription("microsoft", bad).ok, bad).toBe(false);
  });

  test("other providers are refused by name", () => {
    expect(parseSubscription("slack", "x")).toEqual({ ok: false, message: expect.stringContaining('"slack"') });
  });
});

test("missingSubscriptionScope: any one of the scopes will do", () => {
  const repo = parsed("github", "octo-org/app");
  expect(missingSubscriptionScope(repo, ["read:user", "repo"])).toBeNull();
  expect(missingSubscriptionScope(repo, ["admin:repo_hook"])).toBeNull();
  expect(missingSubscriptionScope(parsed("github", "org:octo-org"), ["repo"])).toBe("admin:org_hook");
});

test("newSubscriptionSecret: 64 hex characters, different each time, under Graph's 128", () => {
  const a = newSubscriptionSecret();
  expect(a).toMatch(/^[0-9a-f]{64}$/);
  expect(newSubscriptionSecret()).not.toBe(a);
});

describe("the requests", () => {
  const url = "https://example.convex.site/webhooks/x/ie_AAAAAAAAAAAAAAAAAAAAAA";

  test("GitHub: a web hook with our URL, JSON content and our secret, on the repository or the organization", () => {
    const repo = createRequest(parsed("github", "octo-org/app").target, { url, secret: "s3cret", now: 0 });
    expect(repo).toMatchObject({ method: "POST", path: "/repos/octo-org/app/hooks" });
    expect(JSON.parse(repo.body!)).toEqual({ name: "web", active: true, events: [...GITHUB_REPO_EVENTS], config: { url, content_type: "json", insecure_ssl: "0", secret: "s3cret" } });
    const org = createRequest(parsed("github", "org:octo-org").target, { url, secret: "s3cret", now: 0 });
    expect(org.path).toBe("/orgs/octo-org/hooks");
    expect(JSON.parse(org.body!).events).toEqual([...GITHUB_ORG_EVENTS]);
    expect(deleteRequest(parsed("github", "org:octo-org").target, "42")).toEqual({ method: "DELETE", path: "/orgs/octo-org/hooks/42" });
  });

  test("Linear: webhookCreate with the team or allPublicTeams, no secret of ours; webhookDelete by id", () => {
    const team = JSON.parse(createRequest(parsed("linear", TEAM).target, { url, secret: null, now: 0 }).body!);
    expect(team.query).toMatch(/webhookCreate\(input: \$input\)[\s\S]*secret/);
    expect(team.variables.input).toMatchObject({ url, teamId: TEAM, resourceTypes: expect.arrayContaining(["Issue", "Comment"]) });
    expect(team.variables.input).not.toHaveProperty("secret");
    const all = JSON.parse(createRequest(parsed("linear", "all").target, { url, secret: null, now: 0 }).body!);
    expect(all.variables.input).toMatchObject({ allPublicTeams: true });
    expect(all.variables.input).not.toHaveProperty("teamId");
    expect(JSON.parse(deleteRequest(parsed("linear", "all").target, "wh_1").body!)).toMatchObject({ variables: { id: "wh_1" } });
  });

  test("Graph: both URLs ours, clientState ours, an expiry within the maximum; PATCH renews from now", () => {
    const now = Date.parse("2026-12-02T08:00:00Z");
    const body = JSON.parse(createRequest(parsed("microsoft", "me/messages").target, { url, secret: "cs", now }).body!);
    expect(body).toEqual({ changeType: "created,updated,deleted", notificationUrl: url, lifecycleNotificationUrl: url, resource: "me/messages", expirationDateTime: new Date(now + GRAPH_REQUESTED_LIFETIME_MS).toISOString(), clientState: "cs" });
    expect(GRAPH_REQUESTED_LIFETIME_MS).toBeLessThan(GRAPH_OUTLOOK_MAX_LIFETIME_MS);
    const renew = renewRequest(parsed("microsoft", "me/messages").target, "sub 1", { now, url, secret: "cs" });
    expect(renew).toMatchObject({ method: "PATCH", path: "/v1.0/subscriptions/sub%201" });
    expect(JSON.parse(renew.body!)).toEqual({ expirationDateTime: new Date(now + GRAPH_REQUESTED_LIFETIME_MS).toISOString() });
  });
});

describe("reading the answers", () => {
  test("GitHub: 201 gives the hook id; a 422 is told in GitHub's words with each error", () => {
    const target = parsed("github", "octo-org/app").target;
    expect(readCreated(target, answer(201, { id: 12345678, name: "web" }))).toEqual({ ok: true, externalId: "12345678" });
    const refused = readCreated(target, answer(422, { message: "Validation Failed", errors: [{ resource: "Hook", code: "custom", message: "Hook already exists on this repository" }, { resource: "Hook", code: "invalid", field: "events" }] }));
    expect(refused).toEqual({ ok: false, message: "GitHub refused: Validation Failed: Hook already exists on this repository: events invalid" });
    expect(readCreated(target, answer(502, "<html>bad gateway</html>"))).toEqual({ ok: false, message: "GitHub answered HTTP 502." });
  });

  test("Linear: the webhook's id and secret; errors and success false are refusals", () => {
    const target = parsed("linear", "all").target;
    expect(readCreated(target, answer(200, { data: { webhookCreate: { success: true, webhook: { id: "wh_1", enabled: true, secret: "lin_wh_x" } } } }))).toEqual({ ok: true, externalId: "wh_1", secret: "lin_wh_x" });
    const forbidden = { errors: [{ message: "Invalid scope: `admin` required", extensions: { code: "FORBIDDEN", userPresentableMessage: "Invalid scope: `admin` required" } }], data: null };
    expect(readCreated(target, answer(400, forbidden))).toEqual({ ok: false, message: "Linear refused: Invalid scope: `admin` required" });
    expect(readCreated(target, answer(200, { data: { webhookCreate: { success: false, webhook: null } } }))).toMatchObject({ ok: false });
    expect(readCreated(target, answer(200, { data: { webhookCreate: { success: true, webhook: { id: "wh_1" } } } }))).toEqual({ ok: false, message: expect.stringMatching(/no signing secret/) });
  });

  test("Graph: id and expiry from a 201; Graph's error message otherwise", () => {
    const target = parsed("microsoft", "me/events").target;
    expect(readCreated(target, answer(201, { id: "sub-1", expirationDateTime: "2026-12-08T07:00:00Z" }))).toEqual({ ok: true, externalId: "sub-1", expiresAt: Date.parse("2026-12-08T07:00:00Z") });
    const failed = { error: { code: "ValidationError", message: "Subscription validation request failed. Response must exactly match validationToken query parameter." } };
    expect(readCreated(target, answer(400, failed))).toEqual({ ok: false, message: "Microsoft refused: Subscription validation request failed. Response must exactly match validationToken query parameter." });
  });

  test("deletes: 2xx deleted, 404 (or Linear's Entity not found) already gone, anything else a refusal", () => {
    const github = parsed("github", "octo-org/app").target;
    expect(readDeleted(github, answer(204, ""))).toEqual({ ok: true, alreadyGone: false });
    expect(readDeleted(github, answer(404, { message: "Not Found" }))).toEqual({ ok: true, alreadyGone: true });
    expect(readDeleted(github, answer(403, { message: "Must have admin rights to Repository." }))).toEqual({ ok: false, message: "GitHub refused: Must have admin rights to Repository." });
    const linear = parsed("linear", "all").target;
    expect(readDeleted(linear, answer(200, { data: { webhookDelete: { success: true } } }))).toEqual({ ok: true, alreadyGone: false });
    expect(readDeleted(linear, answer(400, { errors: [{ message: "Argument Validation Error", extensions: { userPresentableMessage: "Entity not found: Webhook" } }] }))).toEqual({ ok: true, alreadyGone: true });
    expect(readDeleted(parsed("microsoft", "me/events").target, answer(404, { error: { message: "x" } }))).toEqual({ ok: true, alreadyGone: true });
  });

  test("renewals: the new expiry, gone on 404, the refusal otherwise", () => {
    const graph = parsed("microsoft", "me/messages").target;
    expect(readRenewed(graph, answer(200, { id: "s", expirationDateTime: "2026-12-09T00:00:00Z" }))).toEqual({ ok: true, expiresAt: Date.parse("2026-12-09T00:00:00Z") });
    expect(readRenewed(graph, answer(404, { error: { code: "ResourceNotFound", message: "x" } }))).toMatchObject({ ok: false, gone: true });
    expect(readRenewed(graph, answer(400, { error: { message: "Subscription expiration can only be 10080 minutes in the future." } }))).toEqual({ ok: false, gone: false, message: "Microsoft refused: Subscription expiration can only be 10080 minutes in the future." });
    const calendar = parsed("google-calendar", "primary").target;
    expect(readRenewed(calendar, answer(200, { kind: "api#channel", id: "ch-2", resourceId: "res-1", expiration: "1800000000000" }))).toEqual({ ok: true, expiresAt: 1_800_000_000_000, externalId: "ch-2:res-1" });
    expect(readRenewed(calendar, answer(404, { error: { code: 404, message: "Not Found" } }))).toMatchObject({ ok: false, gone: true, message: expect.stringMatching(/^Google Calendar no longer/) });
  });

  test("a long provider message is cut", () => {
    expect(refusalMessage("github", answer(422, { message: "x".repeat(1000) })).length).toBeLessThanOrEqual(300);
  });
});

test("renewalAt: a day before expiry, or half-way through what is left when less remains", () => {
  const now = 1_000_000_000;
  expect(renewalAt(now + 7 * 86_400_000, now)).toBe(now + 7 * 86_400_000 - RENEW_BEFORE_EXPIRY_MS);
  expect(renewalAt(now + 3_600_000, now)).toBe(now + 1_800_000);
  expect(renewalAt(now - 10, now)).toBe(now - 10);
  // A Jira webhook's 30 days: refreshed after 20 at the latest.
  expect(renewalAt(now + JIRA_WEBHOOK_LIFETIME_MS, now)).toBe(now + RENEW_AT_MOST_AFTER_MS);
});

test("Trello: a 24-hex model id, no scope, the connection's secret; POST /1/webhooks; plain-text refusals", () => {
  const trello = parsed("trello", "b0a4d0000000000000000001");
  expect(trello).toMatchObject({ secretBy: "connection", scopes: [] });
  expect(missingSubscriptionScope(trello, [])).toBeNull();
  expect(parseSubscription("trello", "Big board").ok).toBe(false);
  const request = createRequest(trello.target, { url: "https://x.example/h", secret: null, now: 0 });
  expect(request).toMatchObject({ method: "POST", path: "/1/webhooks" });
  expect(JSON.parse(request.body!)).toEqual({ callbackURL: "https://x.example/h", idModel: "b0a4d0000000000000000001", description: "Switchboard" });
  expect(readCreated(trello.target, answer(200, { id: "5e0b00000000000000000001", active: true }))).toEqual({ ok: true, externalId: "5e0b00000000000000000001" });
  expect(readCreated(trello.target, answer(400, "invalid value for idModel\n"))).toEqual({ ok: false, message: "Trello refused: invalid value for idModel" });
  expect(deleteRequest(trello.target, "5e0b00000000000000000001")).toEqual({ method: "DELETE", path: "/1/webhooks/5e0b00000000000000000001" });
});

describe("Asana and Google Calendar", () => {
  const url = "https://example.convex.site/webhooks/x/ie_AAAAAAAAAAAAAAAAAAAAAA";

  test("Asana: a project gid; POST /webhooks {data: {resource, target}}; the secret comes by handshake; DELETE by gid", () => {
    const asana = parsed("asana", "1200000000000200");
    expect(asana).toMatchObject({ secretBy: "handshake", scopes: ["default", "webhooks:write"] });
    expect(parseSubscription("asana", "Launch").ok).toBe(false);
    const request = createRequest(asana.target, { url, secret: null, now: 0 });
    expect(request).toMatchObject({ method: "POST", path: "/webhooks" });
    expect(JSON.parse(request.body!)).toEqual({ data: { resource: "1200000000000200", target: url } });
    expect(readCreated(asana.target, answer(201, { data: { gid: "1300000000000001", active: true } }))).toEqual({ ok: true, externalId: "1300000000000001" });
    expect(readCreated(asana.target, answer(400, { errors: [{ message: "resource: Not a recognized ID: 9" }] }))).toEqual({ ok: false, message: "Asana refused: resource: Not a recognized ID: 9" });
    expect(deleteRequest(asana.target, "1300000000000001")).toEqual({ method: "DELETE", path: "/webhooks/1300000000000001" });
  });

  test("Google Calendar: a watch with our channel id, URL, token and an expiry; stop takes id and resourceId", () => {
    const calendar = parsed("google-calendar", "team@group.calendar.google.com");
    expect(calendar).toMatchObject({ secretBy: "us", resource: "team@group.calendar.google.com" });
    expect(parseSubscription("google-calendar", "not a calendar").ok).toBe(false);
    const request = createRequest(calendar.target, { url, secret: "tok", now: 1_000, channelId: "ch-1" });
    expect(request).toMatchObject({ method: "POST", path: "/calendar/v3/calendars/team%40group.calendar.google.com/events/watch" });
    expect(JSON.parse(request.body!)).toEqual({ id: "ch-1", type: "web_hook", address: url, token: "tok", expiration: 1_000 + GOOGLE_CHANNEL_REQUESTED_LIFETIME_MS });
    expect(readCreated(calendar.target, answer(200, { kind: "api#channel", id: "ch-1", resourceId: "res-1", expiration: "1800000000000" }))).toEqual({ ok: true, externalId: "ch-1:res-1", expiresAt: 1_800_000_000_000 });
    expect(channelOf("ch-1:res:1")).toEqual({ id: "ch-1", resourceId: "res:1" });
    const stop = deleteRequest(calendar.target, "ch-1:res-1");
    expect(stop).toMatchObject({ method: "POST", path: "/calendar/v3/channels/stop" });
    expect(JSON.parse(stop.body!)).toEqual({ id: "ch-1", resourceId: "res-1" });
    expect(readDeleted(calendar.target, answer(204, ""))).toEqual({ ok: true, alreadyGone: false });
    const renew = renewRequest(calendar.target, "ch-1:res-1", { now: 2_000, url, secret: "tok", channelId: "ch-2" });
    expect(JSON.parse(renew.body!)).toMatchObject({ id: "ch-2", token: "tok", address: url });
  });
});

describe("Jira dynamic webhooks", () => {
  test("a JQL filter of the supported fields and operators; manage:jira-webhook and read:jira-work; the deployment's secret", () => {
    const jira = parsed("jira", " project = ABC ");
    expect(jira).toMatchObject({ target: { providerId: "jira", jql: "project = ABC" }, resource: "project = ABC", secretBy: "deployment" });
    expect(missingSubscriptionScope(jira, ["read:jira-work", "manage:jira-webhook"])).toBeNull();
    expect(missingSubscriptionScope(jira, ["read:jira-work"])).toBe("manage:jira-webhook");
    expect(missingSubscriptionScope(jira, ["manage:jira-webhook"])).toBe("read:jira-work");
    for (const good of [
      'project IN (ABC, "X Y") AND status != Done',
      "NOT (issuetype = Bug OR assignee = 5b10a2844c20165700ede21g) and reporter not in (a, b)",
      "issueKey = ABC-1",
      "assignee = 557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
      "issue.property[support].level = high OR cf[10014] = EPIC-1",
    ]) {
      expect(parseSubscription("jira", good).ok, good).toBe(true);
    }
    for (const [bad, said] of [
      ["", /JQL filter/],
      ["x".repeat(JIRA_JQL_MAX_CHARS + 1), /at most/],
      ["summary ~ outage", /not "~"/],
      ["summary = outage", /not "summary"/],
      ["project > 1", /not ">"/],
      ["project = ABC ORDER BY created", /cannot filter with "ORDER"/],
      ["project = ABC AND", /only\./],
      ["project IN ABC", /list in parentheses/],
      ["project IN (ABC", /not closed/],
      ["(project = ABC", /not closed/],
      ["project =", /needs a value/],
      ["project = ABC\nAND status = Done", /one line/],
      ["assignee = currentUser()", /cannot filter with "\("/],
      ["watchCount = 1", /not "watchCount"/],
    ] as const) {
      expect(parseSubscription("jira", bad), bad).toEqual({ ok: false, message: expect.stringMatching(said) });
    }
  });

  const jira = () => parsed("jira", "project = ABC").target;

  test("registers the four events for the filter at our URL; the id answered, 30 days from when it was sent", () => {
    const request = createRequest(jira(), { url: "https://x.convex.site/webhooks/jira/ie_1", secret: null, now: 0 });
    expect(request).toMatchObject({ method: "POST", path: "/webhook" });
    expect(JSON.parse(request.body!)).toEqual({
      url: "https://x.convex.site/webhooks/jira/ie_1",
      webhooks: [{ events: ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created"], jqlFilter: "project = ABC" }],
    });
    expect(readCreated(jira(), answer(200, { webhookRegistrationResult: [{ createdWebhookId: 1000 }] }), 5)).toEqual({ ok: true, externalId: "1000", expiresAt: 5 + JIRA_WEBHOOK_LIFETIME_MS });
    expect(readCreated(jira(), answer(200, { webhookRegistrationResult: [{ errors: ["The clause watchCount is unsupported"] }] }))).toEqual({
      ok: false,
      message: "Jira refused: The clause watchCount is unsupported",
    });
    expect(readCreated(jira(), answer(401, { code: 401, message: "Unauthorized; scope does not match" }))).toEqual({ ok: false, message: "Jira refused: Unauthorized; scope does not match" });
    expect(readCreated(jira(), answer(400, { errorMessages: ["Bad"], errors: { url: "Invalid URL" } }))).toEqual({ ok: false, message: "Jira refused: Bad Invalid URL" });
  });

  test("refresh and delete name the webhook id; the refreshed expiry is read as ms or as Jira's date text", () => {
    expect(renewRequest(jira(), "1000", { now: 0, url: "u", secret: null })).toEqual({ method: "PUT", path: "/webhook/refresh", body: '{"webhookIds":[1000]}' });
    expect(deleteRequest(jira(), "1000")).toEqual({ method: "DELETE", path: "/webhook", body: '{"webhookIds":[1000]}' });
    expect(readRenewed(jira(), answer(200, { expirationDate: 1_800_000_000_000 }))).toEqual({ ok: true, expiresAt: 1_800_000_000_000 });
    expect(readRenewed(jira(), answer(200, { expirationDate: "2019-06-01T12:42:30.000+0000" }))).toEqual({ ok: true, expiresAt: Date.UTC(2019, 5, 1, 12, 42, 30) });
    expect(readRenewed(jira(), answer(403, { errorMessages: ["Only Connect and OAuth 2.0 apps can use this operation."] }))).toMatchObject({ ok: false, gone: false, message: expect.stringMatching(/^Jira refused: Only/) });
    expect(readDeleted(jira(), answer(202, ""))).toEqual({ ok: true, alreadyGone: false });
    expect(expires(jira())).toBe(true);
  });
});
