/** Linear's actions as pure mappings: the GraphQL each input sends, and every way an answer reads. */
import { describe, expect, test } from "vitest";
import type { ActionAnswer, AnyAction } from "../define";
import { parseInput } from "../prepare";
import { COMMENT_CREATE, fieldOfLinearMessage, ISSUE_CREATE, linearCommentOnIssue, linearCreateIssue, linearFailure, linearListTeams, TEAMS } from "./linear";

const context = { config: {}, scopes: [], correlationId: "run-1" };
const TEAM = "4b0c3f5e-8f1a-4c2b-9d3e-5f6a7b8c9d0e";
const USER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

function parsed(action: AnyAction, raw: unknown) {
  const result = parseInput(action, raw);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.input as never;
}
function refused(action: AnyAction, raw: unknown) {
  const result = parseInput(action, raw);
  if (result.ok) throw new Error("expected the input to be refused");
  return result.error.fields;
}
const answer = (status: number, json: unknown, headers: Record<string, string> = {}): ActionAnswer => ({ status, headers, body: JSON.stringify(json), json });
const gqlError = (extensions: Record<string, unknown>, message = "Something went wrong", status = 400, headers: Record<string, string> = {}) =>
  answer(status, { errors: [{ message, extensions }], data: null }, headers);

describe("linear.create_issue", () => {
  test("sends issueCreate with the input variables it was given", () => {
    expect(linearCreateIssue.request(parsed(linearCreateIssue, { teamId: TEAM.toUpperCase(), title: " Bug " }), context)).toEqual({
      method: "POST",
      path: "/graphql",
      body: { json: { query: ISSUE_CREATE, variables: { input: { teamId: TEAM, title: "Bug" } } } },
    });
    expect(linearCreateIssue.request(parsed(linearCreateIssue, { teamId: TEAM, title: "Bug", description: "", priority: 0, assigneeId: USER }), context).body).toEqual({
      json: { query: ISSUE_CREATE, variables: { input: { teamId: TEAM, title: "Bug", description: "", priority: 0, assigneeId: USER } } },
    });
    expect(ISSUE_CREATE).toMatch(/^mutation IssueCreate\(\$input: IssueCreateInput!\) \{\s+issueCreate\(input: \$input\) \{ success issue \{ id identifier url \} \}\s+\}$/);
  });

  test("refuses what Linear would refuse", () => {
    expect(refused(linearCreateIssue, { teamId: "team-1", title: "x" })).toEqual({ teamId: "A Linear id is a UUID." });
    expect(refused(linearCreateIssue, { teamId: TEAM, title: " " })).toEqual({ title: "Write a title." });
    expect(refused(linearCreateIssue, { teamId: TEAM, title: "x".repeat(256) })).toHaveProperty("title");
    expect(refused(linearCreateIssue, { teamId: TEAM, title: "x", description: "x".repeat(100_001) })).toHaveProperty("description");
    for (const priority of [-1, 5, 1.5]) expect(refused(linearCreateIssue, { teamId: TEAM, title: "x", priority })).toEqual({ priority: "A priority is 0 to 4." });
    expect(parsed(linearCreateIssue, { teamId: TEAM, title: "x", priority: 4 })).toMatchObject({ priority: 4 });
    expect(refused(linearCreateIssue, { teamId: TEAM, title: "x", assigneeId: "ada" })).toEqual({ assigneeId: "A Linear id is a UUID." });
  });

  test("reads id, identifier and url; success false or no issue is a provider_error", () => {
    const created = { data: { issueCreate: { success: true, issue: { id: "i1", identifier: "ENG-7", url: "https://linear.app/x/issue/ENG-7" } } } };
    expect(linearCreateIssue.response(answer(200, created), {} as never)).toEqual({ ok: true, output: { id: "i1", identifier: "ENG-7", url: "https://linear.app/x/issue/ENG-7" } });
    const failed = { ok: false, error: { code: "provider_error", message: "Linear did not create the issue (success: false).", retryable: false, status: 200 } };
    expect(linearCreateIssue.response(answer(200, { data: { issueCreate: { success: false, issue: null } } }), {} as never)).toEqual(failed);
    expect(linearCreateIssue.response(answer(200, { data: { issueCreate: { success: true, issue: null } } }), {} as never)).toEqual(failed);
  });

  test("an invalid input error lands on the field it names", () => {
    const mapped = linearCreateIssue.response(gqlError({ code: "INVALID_INPUT", type: "invalid input", userError: true, userPresentableMessage: "Entity not found: Team" }, "Argument Validation Error"), {} as never);
    expect(mapped).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Linear refused the input: Entity not found: Team",
        retryable: false,
        fields: { teamId: "Entity not found: Team" },
        providerCode: "INVALID_INPUT",
        status: 400,
      },
    });
  });
});

describe("linear.comment_on_issue", () => {
  test("sends commentCreate with the issue and the body; takes a UUID or an identifier", () => {
    expect(linearCommentOnIssue.request(parsed(linearCommentOnIssue, { issueId: " ENG-12 ", body: "Fixed in 1.4" }), context)).toEqual({
      method: "POST",
      path: "/graphql",
      body: { json: { query: COMMENT_CREATE, variables: { input: { issueId: "ENG-12", body: "Fixed in 1.4" } } } },
    });
    expect(parsed(linearCommentOnIssue, { issueId: TEAM, body: "x" })).toMatchObject({ issueId: TEAM });
    expect(parsed(linearCommentOnIssue, { issueId: TEAM.toUpperCase(), body: "x" })).toMatchObject({ issueId: TEAM.toUpperCase() });
    expect(refused(linearCommentOnIssue, { issueId: "ENG 12", body: "x" })).toEqual({ issueId: "An issue's id (a UUID) or its identifier, like ENG-123." });
    expect(refused(linearCommentOnIssue, { issueId: "12-ENG", body: "x" })).toHaveProperty("issueId");
    expect(refused(linearCommentOnIssue, { issueId: "ENG-12", body: " " })).toEqual({ body: "Write the comment." });
    expect(refused(linearCommentOnIssue, { issueId: "ENG-12", body: "x".repeat(100_001) })).toHaveProperty("body");
  });

  test("reads the comment; success false is a provider_error", () => {
    expect(linearCommentOnIssue.response(answer(200, { data: { commentCreate: { success: true, comment: { id: "c1", url: "https://linear.app/x#comment-c1" } } } }), {} as never)).toEqual({
      ok: true,
      output: { id: "c1", url: "https://linear.app/x#comment-c1" },
    });
    expect(linearCommentOnIssue.response(answer(200, { data: { commentCreate: { success: false, comment: null } } }), {} as never)).toMatchObject({
      ok: false,
      error: { message: "Linear did not add the comment (success: false)." },
    });
    expect(linearCommentOnIssue.response(gqlError({ type: "invalid input" }, "Entity not found: Issue"), {} as never)).toMatchObject({ ok: false, error: { fields: { issueId: "Entity not found: Issue" } } });
  });
});

describe("linear.list_teams", () => {
  test("asks for 50 teams after the cursor", () => {
    expect(linearListTeams.request(parsed(linearListTeams, {}), context)).toEqual({
      method: "POST",
      path: "/graphql",
      body: { json: { query: TEAMS, variables: { first: 50 } } },
    });
    expect(linearListTeams.request(parsed(linearListTeams, { cursor: "abc" }), context).body).toEqual({ json: { query: TEAMS, variables: { first: 50, after: "abc" } } });
  });

  test("teams by name with their key; the end cursor only while there is a next page", () => {
    const page = (hasNextPage: boolean, endCursor: string | null) =>
      answer(200, { data: { teams: { nodes: [{ id: "t1", name: "Engineering", key: "ENG" }], pageInfo: { hasNextPage, endCursor } } } });
    expect(linearListTeams.response(page(true, "c2"), {} as never)).toEqual({ ok: true, output: { options: [{ value: "t1", label: "Engineering", hint: "ENG" }], nextCursor: "c2" } });
    expect(linearListTeams.response(page(false, "c2"), {} as never)).toMatchObject({ ok: true, output: { nextCursor: undefined } });
    expect(linearListTeams.response(page(true, null), {} as never)).toMatchObject({ ok: true, output: { nextCursor: undefined } });
  });
});

describe("linearFailure", () => {
  const now = 1_700_000_000_000;

  test("data without errors is no failure; errors are never a success, even with data", () => {
    expect(linearFailure(answer(200, { data: { teams: {} } }), [], now)).toBeNull();
    expect(linearFailure(answer(200, { data: { x: 1 }, errors: [{ message: "partial", extensions: { type: "internal error" } }] }), [], now)).toMatchObject({ code: "provider_error", retryable: true });
    expect(linearFailure(answer(200, { data: null }), [], now)).toEqual({ code: "provider_error", message: "Linear answered without data.", retryable: false, status: 200 });
    expect(linearFailure(answer(200, "nope"), [], now)).toMatchObject({ message: "Linear answered without data." });
    expect(linearFailure(answer(200, { errors: [] , data: { a: 1 } }), [], now)).toBeNull();
    expect(linearFailure(answer(502, {}), [], now)).toMatchObject({ code: "provider_error", retryable: true, status: 502 });
    expect(linearFailure(answer(401, {}), [], now)).toMatchObject({ code: "auth_revoked", status: 401 });
    expect(linearFailure(answer(199, { data: {} }), [], now)).toMatchObject({ code: "provider_error", status: 199 });
  });

  test("RATELIMITED waits for Retry-After, else the reset header (epoch ms, or seconds), capped at an hour", () => {
    const limited = (headers: Record<string, string>, extensions: Record<string, unknown> = { code: "RATELIMITED", type: "ratelimited" }, status = 400) =>
      linearFailure(gqlError(extensions, "Rate limit exceeded", status, headers), [], now);
    expect(limited({ "x-ratelimit-requests-reset": String(now + 45_000) })).toEqual({
      code: "rate_limited",
      message: "Linear is rate limiting these requests.",
      retryable: true,
      retryAfterMs: 45_000,
      providerCode: "RATELIMITED",
      status: 400,
    });
    expect(limited({ "x-ratelimit-requests-reset": String(now / 1000 + 30) })).toMatchObject({ retryAfterMs: 30_000 });
    expect(limited({ "x-ratelimit-requests-reset": String(now + 10 * 3_600_000) })).toMatchObject({ retryAfterMs: 3_600_000 });
    expect(limited({ "x-ratelimit-requests-reset": String(now - 5_000) })).toMatchObject({ retryAfterMs: 0 });
    expect(limited({ "retry-after": "7", "x-ratelimit-requests-reset": String(now + 45_000) })).toMatchObject({ retryAfterMs: 7_000 });
    expect(limited({ "x-ratelimit-requests-reset": "soon" })).not.toHaveProperty("retryAfterMs");
    expect(limited({ "x-ratelimit-requests-reset": "0" })).not.toHaveProperty("retryAfterMs");
    expect(limited({})).not.toHaveProperty("retryAfterMs");
    expect(limited({}, { code: "RATELIMITED" })).toMatchObject({ code: "rate_limited" });
    expect(limited({}, { type: "Ratelimited" })).toMatchObject({ code: "rate_limited" });
    expect(limited({}, { type: "internal error" }, 429)).toMatchObject({ code: "rate_limited", status: 429 });
    // A rate limit anywhere in the list wins.
    expect(linearFailure(answer(400, { errors: [{ message: "a", extensions: { type: "invalid input" } }, { message: "b", extensions: { code: "RATELIMITED" } }] }), [], now)).toMatchObject({ code: "rate_limited" });
  });

  test("authentication, scope, input, usage and GraphQL errors", () => {
    expect(linearFailure(gqlError({ code: "AUTHENTICATION_ERROR", type: "authentication error" }, "Authentication required, not authenticated"), [], now)).toEqual({
      code: "auth_revoked",
      message: "Linear refused the token (Authentication required, not authenticated); reconnect Linear.",
      retryable: false,
      providerCode: "AUTHENTICATION_ERROR",
      status: 400,
    });
    expect(linearFailure(gqlError({}, "x", 401), [], now)).toMatchObject({ code: "auth_revoked", providerCode: "UNKNOWN", status: 401 });
    expect(linearFailure(gqlError({ code: "FORBIDDEN" }, "Invalid scope: `write` required"), [], now)).toEqual({
      code: "missing_scope",
      message: "Linear needs another scope for this (Invalid scope: `write` required): reconnect Linear and grant it.",
      retryable: false,
      providerCode: "FORBIDDEN",
      status: 400,
    });
    expect(linearFailure(gqlError({ type: "forbidden" }, "You cannot do that"), [], now)).toEqual({
      code: "provider_error",
      message: "Linear answered: You cannot do that",
      retryable: false,
      providerCode: "FORBIDDEN",
      status: 400,
    });
    expect(linearFailure(gqlError({ code: "INPUT_ERROR" }, "title must be shorter"), ["title"], now)).toMatchObject({ code: "invalid_input", fields: { title: "title must be shorter" } });
    expect(linearFailure(gqlError({ type: "user error" }, "Nope"), ["title"], now)).toEqual({
      code: "invalid_input",
      message: "Linear refused the input: Nope",
      retryable: false,
      providerCode: "USER_ERROR",
      status: 400,
    });
    expect(linearFailure(gqlError({ userError: true }, "Odd"), [], now)).toMatchObject({ code: "invalid_input", providerCode: "UNKNOWN" });
    expect(linearFailure(gqlError({ userError: false }, "Odd"), [], now)).toMatchObject({ code: "provider_error", retryable: false });
    expect(linearFailure(gqlError({ code: "USAGE_LIMIT_EXCEEDED" }, "Usage limit"), [], now)).toMatchObject({ code: "provider_error", retryable: false, providerCode: "USAGE_LIMIT_EXCEEDED" });
    expect(linearFailure(gqlError({ code: "GRAPHQL_VALIDATION_FAILED" }, 'Cannot query field "x"'), [], now)).toMatchObject({ code: "provider_error", retryable: false, message: 'Linear answered: Cannot query field "x"' });
    expect(linearFailure(gqlError({ type: "lock timeout" }, "Busy"), [], now)).toMatchObject({ retryable: true });
    expect(linearFailure(gqlError({ code: "INTERNAL_SERVER_ERROR" }, "Oops", 500), [], now)).toMatchObject({ retryable: true, status: 500 });
    expect(linearFailure(gqlError({}, "Oops", 503), [], now)).toMatchObject({ retryable: true });
    expect(linearFailure(answer(400, { errors: [{}] }), [], now)).toMatchObject({ message: "Linear answered: unknown error" });
    expect(linearFailure(gqlError({ code: "FEATURE_NOT_ACCESSIBLE" }, "Not on your plan"), [], now)).toMatchObject({ code: "provider_error", providerCode: "FEATURE_NOT_ACCESSIBLE" });
    expect(linearFailure(gqlError({ code: "SOMETHING_NEW" }, "Hm"), [], now)).toMatchObject({ code: "provider_error", providerCode: "SOMETHING_NEW" });
    // userPresentableMessage wins over message.
    expect(linearFailure(gqlError({ type: "invalid input", userPresentableMessage: "Pick a team" }, "Argument Validation Error"), [], now)).toMatchObject({ message: "Linear refused the input: Pick a team" });
    expect(linearFailure(gqlError({ type: "invalid input", userPresentableMessage: "  " }, "Argument Validation Error"), [], now)).toMatchObject({ message: "Linear refused the input: Argument Validation Error" });
  });

  test("fieldOfLinearMessage: a named field, or the entity that was not found", () => {
    const fields = ["teamId", "title", "assigneeId", "issueId"];
    expect(fieldOfLinearMessage("teamId must be a UUID", fields)).toBe("teamId");
    expect(fieldOfLinearMessage("Entity not found: User", fields)).toBe("assigneeId");
    expect(fieldOfLinearMessage("entity not found issue", fields)).toBe("issueId");
    expect(fieldOfLinearMessage("Entity not found: Team", ["title"])).toBeUndefined();
    expect(fieldOfLinearMessage("Entity not found: Project", fields)).toBeUndefined();
    expect(fieldOfLinearMessage("subtitle is odd", ["title"])).toBeUndefined();
    expect(fieldOfLinearMessage("Something else", fields)).toBeUndefined();
  });
});
