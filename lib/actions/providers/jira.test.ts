import { describe, expect, it } from "vitest";
import type { ActionAnswer, ActionContext, AnyAction } from "../define";
import { actionSpec } from "../spec";
import { parseInput, readAnswer } from "../prepare";
import { scopeNames } from "../scopes";
import { getProvider } from "../../providers";
import {
  adfDocument,
  issueUrl,
  jiraActions,
  jiraCommentOnIssue,
  jiraCreateIssue,
  jiraFailure,
  jiraListIssueTypes,
  jiraListProjects,
  jiraListTransitions,
  jiraTransitionIssue,
} from "./jira";

const context: ActionContext = { config: { cloudId: "site-1" }, scopes: [], correlationId: "run_1" };

function answer(status: number, json?: unknown, headers: Record<string, string> = {}): ActionAnswer {
  return { status, headers, body: json === undefined ? "" : JSON.stringify(json), json };
}

/** The request an input maps to, after the action's own schema. */
function requestOf(action: AnyAction, input: unknown) {
  const parsed = parseInput(action, input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return action.request(parsed.input, context);
}

function fieldsOf(action: AnyAction, input: unknown) {
  const parsed = parseInput(action, input);
  return parsed.ok ? null : parsed.error.fields;
}

/** What the runner hands back for an answer: the mapping, then the output schema. */
function read(action: AnyAction, input: unknown, given: ActionAnswer) {
  const parsed = parseInput(action, input);
  if (!parsed.ok) throw new Error("bad input");
  return readAnswer(action, parsed.input, given, "Jira");
}

describe("adfDocument", () => {
  it("makes a paragraph per blank-line block and a hardBreak per line break", () => {
    expect(adfDocument("First line\nsecond line\n\nNext paragraph")).toEqual({
      type: "doc",
      version: 1,
      content: [
        { type: "paragraph", content: [{ type: "text", text: "First line" }, { type: "hardBreak" }, { type: "text", text: "second line" }] },
        { type: "paragraph", content: [{ type: "text", text: "Next paragraph" }] },
      ],
    });
  });

  it("reads CRLF and CR, treats a line of spaces as blank, and never makes an empty text node", () => {
    expect(adfDocument("\n\na\r\n \t\r\nb\rc\n\n\n\nd\n\n")).toEqual({
      type: "doc",
      version: 1,
      content: [
        { type: "paragraph", content: [{ type: "text", text: "a" }] },
        { type: "paragraph", content: [{ type: "text", text: "b" }, { type: "hardBreak" }, { type: "text", text: "c" }] },
        { type: "paragraph", content: [{ type: "text", text: "d" }] },
      ],
    });
    expect(adfDocument("a\n\nb\n")).toEqual(adfDocument("a\n\nb"));
    expect(adfDocument("  x  ")).toEqual({ type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "  x  " }] }] });
    expect(adfDocument(" \n\t")).toEqual({ type: "doc", version: 1, content: [] });
    expect(adfDocument("a\n\n\n\n\nb\n\n\n")).toEqual({
      type: "doc",
      version: 1,
      content: [
        { type: "paragraph", content: [{ type: "text", text: "a" }] },
        { type: "paragraph", content: [{ type: "text", text: "b" }] },
      ],
    });
  });
});

describe("issueUrl", () => {
  it("is the site's browse page when self is the site's REST URL", () => {
    expect(issueUrl("https://acme.atlassian.net/rest/api/3/issue/10001", "OPS-1")).toBe("https://acme.atlassian.net/browse/OPS-1");
    expect(issueUrl("https://acme.atlassian.net/rest/api/2/issue/OPS-1", "OPS-1")).toBe("https://acme.atlassian.net/browse/OPS-1");
    expect(issueUrl("https://acme.atlassian.net/rest/api/10/issue/1", "OPS-1")).toBe("https://acme.atlassian.net/browse/OPS-1");
  });

  it("is self when the site cannot be told from it", () => {
    const gateway = "https://api.atlassian.com/ex/jira/abc/rest/api/3/issue/10001";
    expect(issueUrl(gateway, "OPS-1")).toBe(gateway);
    expect(issueUrl("http://acme.atlassian.net/rest/api/3/issue/10001", "OPS-1")).toBe("http://acme.atlassian.net/rest/api/3/issue/10001");
    expect(issueUrl("https://acme.atlassian.net/rest/api/3/issue/10001?x=1", "OPS-1")).toBe("https://acme.atlassian.net/rest/api/3/issue/10001?x=1");
    expect(issueUrl("https://acme.atlassian.net/rest/api/3/issue/10001/comment", "OPS-1")).toBe("https://acme.atlassian.net/rest/api/3/issue/10001/comment");
    expect(issueUrl("https://acme.atlassian.net/rest/api/v3/issue/10001", "OPS-1")).toBe("https://acme.atlassian.net/rest/api/v3/issue/10001");
    expect(issueUrl("xhttps://acme.atlassian.net/rest/api/3/issue/1", "OPS-1")).toBe("xhttps://acme.atlassian.net/rest/api/3/issue/1");
  });
});

describe("jira.create_issue", () => {
  it("posts the fields with a project key, the issue type id and the description as ADF", () => {
    expect(
      requestOf(jiraCreateIssue, { project: " ops ", issueType: "10001", summary: "  Checkout fails  ", description: "Steps:\n1. Pay" }),
    ).toStrictEqual({
      method: "POST",
      path: "/issue",
      headers: { Accept: "application/json" },
      body: {
        json: {
          fields: {
            project: { key: "OPS" },
            issuetype: { id: "10001" },
            summary: "Checkout fails",
            description: {
              type: "doc",
              version: 1,
              content: [{ type: "paragraph", content: [{ type: "text", text: "Steps:" }, { type: "hardBreak" }, { type: "text", text: "1. Pay" }] }],
            },
          },
        },
      },
    });
  });

  it("sends a numeric project as an id and leaves out an empty description", () => {
    const fields = (input: unknown) => (requestOf(jiraCreateIssue, input).body as { json: { fields: unknown } }).json.fields;
    expect(fields({ project: "10000", issueType: " 10001 ", summary: "x" })).toEqual({ project: { id: "10000" }, issuetype: { id: "10001" }, summary: "x" });
    expect(fields({ project: "T1", issueType: "1", summary: "x" })).toEqual({ project: { key: "T1" }, issuetype: { id: "1" }, summary: "x" });
    expect(fields({ project: "10000", issueType: "10001", summary: "x", description: " \n " })).toStrictEqual({
      project: { id: "10000" },
      issuetype: { id: "10001" },
      summary: "x",
    });
  });

  it("refuses what Jira would refuse, with the form's words", () => {
    expect(fieldsOf(jiraCreateIssue, { project: "O PS", issueType: "Bug", summary: "" })).toEqual({
      project: "A project key (OPS) or its numeric id.",
      issueType: "Choose an issue type (its numeric id).",
      summary: "Write a summary.",
    });
    expect(fieldsOf(jiraCreateIssue, { project: "1OPS", issueType: "1", summary: "two\nlines" })).toEqual({
      project: "A project key (OPS) or its numeric id.",
      summary: "A summary is one line.",
    });
    expect(fieldsOf(jiraCreateIssue, { project: "O".repeat(256), issueType: "1", summary: "x".repeat(256) })).toEqual({
      project: "A project key (OPS) or its numeric id.",
      summary: "Jira takes a summary of at most 255 characters.",
    });
    expect(fieldsOf(jiraCreateIssue, { project: "OPS", issueType: "1", summary: "x\ry", description: "d".repeat(32_768) })).toEqual({
      summary: "A summary is one line.",
      description: "Jira takes at most 32,767 characters.",
    });
    expect(fieldsOf(jiraCreateIssue, { project: "O".repeat(255), issueType: "1", summary: "x".repeat(255), description: "d".repeat(32_767) })).toBeNull();
  });

  it("answers the id, the key and the issue's URL", () => {
    const created = answer(201, { id: "10042", key: "OPS-7", self: "https://acme.atlassian.net/rest/api/3/issue/10042" });
    expect(read(jiraCreateIssue, { project: "OPS", issueType: "1", summary: "x" }, created)).toEqual({
      ok: true,
      output: { id: "10042", key: "OPS-7", url: "https://acme.atlassian.net/browse/OPS-7" },
    });
    const viaGateway = answer(201, { id: "1", key: "OPS-1", self: "https://api.atlassian.com/ex/jira/c/rest/api/3/issue/1" });
    expect(read(jiraCreateIssue, { project: "OPS", issueType: "1", summary: "x" }, viaGateway)).toMatchObject({
      output: { url: "https://api.atlassian.com/ex/jira/c/rest/api/3/issue/1" },
    });
  });

  it("maps Jira's field errors to the form's fields", () => {
    const refused = answer(400, { errorMessages: [], errors: { issuetype: "Specify a valid issue type", summary: "You must specify a summary of the issue." } });
    expect(read(jiraCreateIssue, { project: "OPS", issueType: "1", summary: "x" }, refused)).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Jira refused the input: Specify a valid issue type You must specify a summary of the issue.",
        retryable: false,
        fields: { issueType: "Specify a valid issue type", summary: "You must specify a summary of the issue." },
        status: 400,
      },
    });
  });
});

describe("jira.comment_on_issue", () => {
  it("posts the comment as an ADF body under the issue's escaped key", () => {
    expect(requestOf(jiraCommentOnIssue, { issue: "ops-12", body: "Deployed.\n\nThanks!" })).toEqual({
      method: "POST",
      path: "/issue/OPS-12/comment",
      headers: { Accept: "application/json" },
      body: {
        json: {
          body: {
            type: "doc",
            version: 1,
            content: [
              { type: "paragraph", content: [{ type: "text", text: "Deployed." }] },
              { type: "paragraph", content: [{ type: "text", text: "Thanks!" }] },
            ],
          },
        },
      },
    });
    expect(requestOf(jiraCommentOnIssue, { issue: " 10042 ", body: "x" }).path).toBe("/issue/10042/comment");
  });

  it("refuses an empty comment and a malformed issue key", () => {
    expect(fieldsOf(jiraCommentOnIssue, { issue: "OPS", body: " \n " })).toEqual({
      issue: "An issue key like OPS-123, or its numeric id.",
      body: "Write the comment.",
    });
    expect(fieldsOf(jiraCommentOnIssue, { issue: `${"O".repeat(250)}-12345`, body: "x" })).toEqual({
      issue: "An issue key like OPS-123, or its numeric id.",
    });
    expect(fieldsOf(jiraCommentOnIssue, { issue: "OPS-1/../x", body: "x" })).toEqual({ issue: "An issue key like OPS-123, or its numeric id." });
  });

  it("answers the comment id; a 404 is the issue field's fault", () => {
    expect(read(jiraCommentOnIssue, { issue: "OPS-1", body: "x" }, answer(201, { id: "10100", self: "s" }))).toEqual({ ok: true, output: { id: "10100" } });
    const missing = answer(404, { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} });
    expect(read(jiraCommentOnIssue, { issue: "OPS-9", body: "x" }, missing)).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Jira refused the input: Issue does not exist or you do not have permission to see it.",
        retryable: false,
        fields: { issue: "Issue does not exist or you do not have permission to see it." },
        status: 404,
      },
    });
    const emptyBody = answer(400, { errorMessages: [], errors: { comment: "Comment body can not be empty!" } });
    expect(read(jiraCommentOnIssue, { issue: "OPS-9", body: "x" }, emptyBody)).toMatchObject({
      error: { code: "invalid_input", fields: { body: "Comment body can not be empty!" } },
    });
  });
});

describe("jira.transition_issue", () => {
  it("posts the transition id and answers transitioned on 204", () => {
    expect(requestOf(jiraTransitionIssue, { issue: "OPS-3", transition: " 31 " })).toEqual({
      method: "POST",
      path: "/issue/OPS-3/transitions",
      headers: { Accept: "application/json" },
      body: { json: { transition: { id: "31" } } },
    });
    expect(read(jiraTransitionIssue, { issue: "OPS-3", transition: "31" }, answer(204))).toEqual({ ok: true, output: { transitioned: true } });
    expect(fieldsOf(jiraTransitionIssue, { issue: "OPS-3", transition: "Done" })).toEqual({ transition: "Choose a transition (its numeric id)." });
  });

  it("a transition the issue cannot take is Jira's 400, and an unknown issue the issue field's", () => {
    const invalid = answer(400, { errorMessages: ["Transition id '99' is not valid for this issue."], errors: {} });
    expect(read(jiraTransitionIssue, { issue: "OPS-3", transition: "99" }, invalid)).toEqual({
      ok: false,
      error: { code: "invalid_input", message: "Jira refused the input: Transition id '99' is not valid for this issue.", retryable: false, status: 400 },
    });
    expect(read(jiraTransitionIssue, { issue: "OPS-3", transition: "99" }, answer(404, {}))).toMatchObject({
      error: { code: "invalid_input", fields: { issue: "it does not exist or the connection cannot see it." } },
    });
  });
});

describe("jira.list_projects", () => {
  it("asks for projects the user can create issues in, by name, 50 from the cursor", () => {
    expect(requestOf(jiraListProjects, {})).toEqual({
      method: "GET",
      path: "/project/search",
      headers: { Accept: "application/json" },
      query: { action: "create", orderBy: "name", startAt: "0", maxResults: "50" },
    });
    expect(requestOf(jiraListProjects, { cursor: "" }).query).toMatchObject({ startAt: "0" });
    expect(requestOf(jiraListProjects, { cursor: "050" }).query).toMatchObject({ startAt: "50" });
    expect(requestOf(jiraListProjects, { cursor: "999999999" }).query).toMatchObject({ startAt: "999999999" });
  });

  it("refuses a cursor it did not give", () => {
    for (const cursor of ["-1", "1e3", "abc", "1234567890", " 5"]) {
      const parsed = parseInput(jiraListProjects, { cursor });
      if (!parsed.ok) throw new Error("schema refused");
      expect(() => jiraListProjects.request(parsed.input as never, context)).toThrow("That cursor did not come from this lookup.");
    }
  });

  it("offers each project's id, named, with its key; the next cursor is startAt + maxResults until isLast", () => {
    const page = answer(200, {
      startAt: 50,
      maxResults: 50,
      total: 120,
      isLast: false,
      values: [
        { id: "10000", key: "OPS", name: "Operations" },
        { id: "10001", key: "WEB", name: "Website" },
      ],
    });
    expect(read(jiraListProjects, {}, page)).toEqual({
      ok: true,
      output: {
        options: [
          { value: "10000", label: "Operations", hint: "OPS" },
          { value: "10001", label: "Website", hint: "WEB" },
        ],
        nextCursor: "100",
      },
    });
    expect(read(jiraListProjects, {}, answer(200, { startAt: 100, maxResults: 50, isLast: true, values: [] }))).toEqual({ ok: true, output: { options: [] } });
    // Without isLast, the page is taken as the last rather than risking a loop.
    expect(read(jiraListProjects, {}, answer(200, { startAt: 0, maxResults: 50, values: [] }))).toEqual({ ok: true, output: { options: [] } });
  });
});

describe("jira.list_issue_types", () => {
  it("asks the project's create metadata, 50 from the cursor", () => {
    expect(requestOf(jiraListIssueTypes, { project: "ops", cursor: "50" })).toEqual({
      method: "GET",
      path: "/issue/createmeta/OPS/issuetypes",
      headers: { Accept: "application/json" },
      query: { startAt: "50", maxResults: "50" },
    });
    expect(fieldsOf(jiraListIssueTypes, {})).toEqual({ project: expect.any(String) });
  });

  it("offers the types that need no parent, with their description, paging by total", () => {
    const page = answer(200, {
      startAt: 0,
      maxResults: 50,
      total: 51,
      issueTypes: [
        { id: "10001", name: "Task", description: "A small piece of work.", subtask: false },
        { id: "10002", name: "Bug", description: "" },
        { id: "10003", name: "Sub-task", description: "Part of a task.", subtask: true },
      ],
    });
    expect(read(jiraListIssueTypes, { project: "OPS" }, page)).toEqual({
      ok: true,
      output: {
        options: [
          { value: "10001", label: "Task", hint: "A small piece of work." },
          { value: "10002", label: "Bug" },
        ],
        nextCursor: "50",
      },
    });
    const last = answer(200, { startAt: 50, maxResults: 50, total: 100, createMetaIssueType: [{ id: "7", name: "Story" }] });
    expect(read(jiraListIssueTypes, { project: "OPS" }, last)).toEqual({ ok: true, output: { options: [{ value: "7", label: "Story" }] } });
    expect(read(jiraListIssueTypes, { project: "OPS" }, answer(200, { startAt: 0, maxResults: 50 }))).toEqual({ ok: true, output: { options: [] } });
  });

  it("a 404 is the project field's fault", () => {
    const missing = answer(404, { errorMessages: ["No project could be found with key 'NOPE'."], errors: {} });
    expect(read(jiraListIssueTypes, { project: "NOPE" }, missing)).toMatchObject({
      error: { code: "invalid_input", fields: { project: "No project could be found with key 'NOPE'." } },
    });
  });
});

describe("jira.list_transitions", () => {
  it("asks the issue's transitions and offers them with the status they lead to", () => {
    expect(requestOf(jiraListTransitions, { issue: "OPS-3", cursor: "ignored" })).toEqual({
      method: "GET",
      path: "/issue/OPS-3/transitions",
      headers: { Accept: "application/json" },
    });
    const listed = answer(200, {
      transitions: [
        { id: "21", name: "Start progress", to: { name: "In Progress" } },
        { id: "31", name: "Done", to: {} },
        { id: "41", name: "Reopen" },
      ],
    });
    expect(read(jiraListTransitions, { issue: "OPS-3" }, listed)).toEqual({
      ok: true,
      output: {
        options: [
          { value: "21", label: "Start progress", hint: "→ In Progress" },
          { value: "31", label: "Done" },
          { value: "41", label: "Reopen" },
        ],
      },
    });
    expect(read(jiraListTransitions, { issue: "OPS-3" }, answer(404, { errorMessages: ["Gone."] }))).toMatchObject({
      error: { code: "invalid_input", fields: { issue: "Gone." } },
    });
  });
});

describe("jiraFailure", () => {
  it("is null for every 2xx", () => {
    for (const status of [200, 201, 204, 299]) expect(jiraFailure(answer(status))).toBeNull();
    expect(jiraFailure(answer(300))).toMatchObject({ code: "provider_error", status: 300 });
  });

  it("a 400 without a readable body still says Jira refused the input", () => {
    expect(jiraFailure(answer(400))).toEqual({ code: "invalid_input", message: "Jira refused the input: the request was refused.", retryable: false, status: 400 });
    expect(jiraFailure(answer(400, "nope"))).toMatchObject({ message: "Jira refused the input: the request was refused." });
    expect(jiraFailure(answer(400, { errorMessages: "x", errors: "y", message: 5 }))).toEqual({
      code: "invalid_input",
      message: "Jira refused the input: the request was refused.",
      retryable: false,
      status: 400,
    });
  });

  it("keeps unknown Jira fields under their id, skips non-strings, and the first message per field wins", () => {
    const failure = jiraFailure(
      answer(400, {
        errorMessages: ["Bad.", "", 3],
        errors: {
          customfield_10001: "Team is required.",
          pid: "valid project is required",
          project: "second",
          labels: 4,
          description: "Not ADF.",
          transition: "Not valid.",
        },
      }),
    );
    expect(failure).toEqual({
      code: "invalid_input",
      message: "Jira refused the input: Bad. Team is required. valid project is required Not ADF. Not valid.",
      retryable: false,
      fields: { customfield_10001: "Team is required.", project: "valid project is required", description: "Not ADF.", transition: "Not valid." },
      status: 400,
    });
    expect(jiraFailure(answer(400, { errors: null }))).not.toHaveProperty("fields");
  });

  it("a 401 about scopes is missing_scope; any other 401 is a refused credential", () => {
    expect(jiraFailure(answer(401, { code: 401, message: "Unauthorized; scope does not match" }))).toEqual({
      code: "missing_scope",
      message: "Jira says the connection's scopes do not allow this: reconnect Jira and grant them.",
      retryable: false,
      status: 401,
    });
    expect(jiraFailure(answer(401, { errorMessages: ["Scope Does Not Match"] }))).toMatchObject({ code: "missing_scope" });
    expect(jiraFailure(answer(401, { message: "Client must be authenticated to access this resource." }))).toMatchObject({
      code: "auth_revoked",
      status: 401,
    });
    expect(jiraFailure(answer(403, { message: "scope does not match" }))).toMatchObject({ code: "provider_error", status: 403 });
  });

  it("403, 404 without a field, 429 and 5xx go by status with Jira's words", () => {
    expect(jiraFailure(answer(403, { errorMessages: ["You do not have permission to create issues in this project."] }))).toEqual({
      code: "provider_error",
      message: "Jira answered HTTP 403: You do not have permission to create issues in this project.",
      retryable: false,
      status: 403,
    });
    expect(jiraFailure(answer(403, { errorMessages: ["Version 1.2 is archived..."] }), "issue")).toEqual({
      code: "provider_error",
      message: "Jira answered HTTP 403: Version 1.2 is archived.",
      retryable: false,
      status: 403,
    });
    expect(jiraFailure(answer(404, { errorMessages: ["Not here."] }))).toMatchObject({ code: "provider_error", message: "Jira answered HTTP 404: Not here.", status: 404 });
    expect(jiraFailure(answer(404))).toMatchObject({ code: "provider_error", message: "Jira answered HTTP 404." });
    expect(jiraFailure(answer(429, undefined, { "retry-after": "7" }))).toEqual({
      code: "rate_limited",
      message: "Jira is rate limiting these requests.",
      retryable: true,
      retryAfterMs: 7000,
      status: 429,
    });
    expect(jiraFailure(answer(503, { message: "down" }))).toMatchObject({ code: "provider_error", retryable: true, message: "Jira answered HTTP 503: down." });
    expect(jiraFailure(answer(302))).toMatchObject({ code: "provider_error", status: 302 });
    expect(jiraFailure(answer(199))).toMatchObject({ code: "provider_error", status: 199 });
  });
});

describe("the Jira actions", () => {
  it("name only scopes the catalog knows for Jira", () => {
    const jira = getProvider("jira");
    if (jira?.authKind !== "oauth2") throw new Error("Jira is an OAuth provider");
    const known = new Set([...jira.defaultScopes, ...jira.optionalScopes.map((scope) => scope.scope)]);
    for (const action of jiraActions) {
      expect(action.providerId).toBe("jira");
      expect(action.id.startsWith("jira.")).toBe(true);
      for (const scope of scopeNames(action.scopes)) expect(known.has(scope)).toBe(true);
    }
  });

  it("describe themselves to forms", () => {
    expect(jiraActions.map((action) => actionSpec(action))).toMatchSnapshot();
  });
});
