/** GitHub's actions as pure mappings: the exact request each input makes, and every way an answer reads. */
import { describe, expect, test } from "vitest";
import type { ActionAnswer, ActionContext, AnyAction } from "../define";
import { parseInput } from "../prepare";
import {
  githubCommentOnIssue,
  githubCreateIssue,
  githubDispatchWorkflow,
  githubFailure,
  githubListRepositories,
  githubListWorkflows,
  githubPutFile,
  MAX_FILE_BYTES,
  nextPageOf,
  utf8Base64,
} from "./github";

const context = (scopes: string[] = ["repo"]): ActionContext => ({ config: {}, scopes, correlationId: "run-1" });

function requestOf(action: AnyAction, raw: unknown, ctx: ActionContext = context()) {
  const parsed = parseInput(action, raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return action.request(parsed.input, ctx);
}

function fieldsOf(action: AnyAction, raw: unknown) {
  const parsed = parseInput(action, raw);
  if (parsed.ok) throw new Error("expected the input to be refused");
  return parsed.error.fields;
}

const answer = (status: number, json?: unknown, headers: Record<string, string> = {}): ActionAnswer => ({
  status,
  headers,
  body: json === undefined ? "" : JSON.stringify(json),
  json,
});

const REPO_404 = { notFound: { field: "repository", message: "no such repository" } };

describe("github.create_issue", () => {
  test("posts the issue to the repository's issues, with only the fields given", () => {
    expect(requestOf(githubCreateIssue, { repository: " octo-org/app ", title: " Bug " })).toEqual({
      method: "POST",
      path: "/repos/octo-org/app/issues",
      body: { json: { title: "Bug" } },
    });
    expect(
      requestOf(githubCreateIssue, { repository: "octo-org/app", title: "Bug", body: "", labels: [" bug "], assignees: ["octocat"] }),
    ).toEqual({
      method: "POST",
      path: "/repos/octo-org/app/issues",
      body: { json: { title: "Bug", body: "", labels: ["bug"], assignees: ["octocat"] } },
    });
  });

  test("refuses repositories, titles and people GitHub would not take", () => {
    for (const repository of ["octo-org", "octo-org/app/x", "-octo/app", "octo--org/app", "octo-org/..", "octo-org/.", "a".repeat(40) + "/x"]) {
      expect(fieldsOf(githubCreateIssue, { repository, title: "x" })).toHaveProperty("repository");
    }
    expect(requestOf(githubCreateIssue, { repository: "a".repeat(39) + "/x.y_z-1", title: "x" }).path).toBe(`/repos/${"a".repeat(39)}/x.y_z-1/issues`);
    expect(fieldsOf(githubCreateIssue, { repository: "o/r", title: "  " })).toEqual({ title: "Write a title." });
    expect(fieldsOf(githubCreateIssue, { repository: "o/r", title: "x".repeat(257) })).toHaveProperty("title");
    expect(fieldsOf(githubCreateIssue, { repository: "o/r", title: "x", body: "x".repeat(65_537) })).toHaveProperty("body");
    expect(fieldsOf(githubCreateIssue, { repository: "o/r", title: "x", labels: [""] })).toHaveProperty(["labels.0"]);
    expect(fieldsOf(githubCreateIssue, { repository: "o/r", title: "x", labels: ["x".repeat(51)] })).toHaveProperty(["labels.0"]);
    expect(fieldsOf(githubCreateIssue, { repository: "o/r", title: "x", labels: Array(101).fill("l") })).toHaveProperty("labels");
    expect(fieldsOf(githubCreateIssue, { repository: "o/r", title: "x", assignees: ["not a login"] })).toHaveProperty(["assignees.0"]);
    expect(fieldsOf(githubCreateIssue, { repository: "o/r", title: "x", assignees: Array(11).fill("a") })).toHaveProperty("assignees");
  });

  test("reads number, id, links and state", () => {
    const created = { number: 7, id: 99, html_url: "https://github.com/o/r/issues/7", url: "https://api.github.com/repos/o/r/issues/7", state: "open" };
    expect(githubCreateIssue.response(answer(201, created), {} as never)).toEqual({
      ok: true,
      output: { number: 7, id: 99, url: "https://github.com/o/r/issues/7", apiUrl: "https://api.github.com/repos/o/r/issues/7", state: "open" },
    });
    const { url: _url, ...bare } = created;
    expect(githubCreateIssue.response(answer(201, bare), {} as never)).toEqual({
      ok: true,
      output: { number: 7, id: 99, url: "https://github.com/o/r/issues/7", state: "open" },
    });
  });

  test("a 404 blames the repository; a 410 says issues are disabled", () => {
    expect(githubCreateIssue.response(answer(404, { message: "Not Found" }), {} as never)).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "GitHub refused the input: there is no such repository, or this connection cannot see it.",
        retryable: false,
        fields: { repository: "there is no such repository, or this connection cannot see it" },
        providerCode: "not_found",
        status: 404,
      },
    });
    expect(githubCreateIssue.response(answer(410, { message: "Issues are disabled for this repo" }), {} as never)).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "GitHub refused the input: Issues are disabled for this repo.",
        retryable: false,
        fields: { repository: "Issues are disabled for this repo" },
        providerCode: "gone",
        status: 410,
      },
    });
  });
});

describe("github.comment_on_issue", () => {
  test("posts the comment under the issue's number", () => {
    expect(requestOf(githubCommentOnIssue, { repository: "octo-org/app", issueNumber: 2, body: "Looks good" })).toEqual({
      method: "POST",
      path: "/repos/octo-org/app/issues/2/comments",
      body: { json: { body: "Looks good" } },
    });
    expect(fieldsOf(githubCommentOnIssue, { repository: "o/r", issueNumber: 0, body: "x" })).toEqual({ issueNumber: "An issue number starts at 1." });
    expect(fieldsOf(githubCommentOnIssue, { repository: "o/r", issueNumber: 1.5, body: "x" })).toEqual({ issueNumber: "An issue number is a whole number." });
    expect(fieldsOf(githubCommentOnIssue, { repository: "o/r", issueNumber: 1, body: "" })).toEqual({ body: "Write the comment." });
    expect(fieldsOf(githubCommentOnIssue, { repository: "o/r", issueNumber: 1, body: "x".repeat(65_537) })).toHaveProperty("body");
  });

  test("reads the comment's id and page, and blames the issue number for a 404", () => {
    expect(githubCommentOnIssue.response(answer(201, { id: 5, html_url: "https://github.com/o/r/issues/2#issuecomment-5", url: "api" }), {} as never)).toEqual({
      ok: true,
      output: { id: 5, url: "https://github.com/o/r/issues/2#issuecomment-5" },
    });
    expect(githubCommentOnIssue.response(answer(404, { message: "Not Found" }), {} as never)).toMatchObject({
      ok: false,
      error: { code: "invalid_input", fields: { issueNumber: expect.stringMatching(/no such issue or pull request/) } },
    });
  });
});

describe("github.dispatch_workflow", () => {
  test("dispatches by id or file name with the ref, the inputs and return_run_details", () => {
    expect(requestOf(githubDispatchWorkflow, { repository: "octo-org/app", workflow: "deploy.yml", ref: " main ", inputs: { environment: "staging", dry_run: true, count: 2 } })).toEqual({
      method: "POST",
      path: "/repos/octo-org/app/actions/workflows/deploy.yml/dispatches",
      body: { json: { ref: "main", inputs: { environment: "staging", dry_run: true, count: 2 }, return_run_details: true } },
    });
    expect(requestOf(githubDispatchWorkflow, { repository: "octo-org/app", workflow: 161336, ref: "v1.0" })).toEqual({
      method: "POST",
      path: "/repos/octo-org/app/actions/workflows/161336/dispatches",
      body: { json: { ref: "v1.0", return_run_details: true } },
    });
    expect(requestOf(githubDispatchWorkflow, { repository: "o/r", workflow: "42", ref: "main" }).path).toBe("/repos/o/r/actions/workflows/42/dispatches");
    expect(requestOf(githubDispatchWorkflow, { repository: "o/r", workflow: "ci.yaml", ref: "main" }).path).toBe("/repos/o/r/actions/workflows/ci.yaml/dispatches");
  });

  test("refuses workflows, refs and inputs GitHub would not take", () => {
    expect(fieldsOf(githubDispatchWorkflow, { repository: "o/r", workflow: "../x.yml", ref: "main" })).toHaveProperty("workflow");
    expect(fieldsOf(githubDispatchWorkflow, { repository: "o/r", workflow: "deploy", ref: "main" })).toHaveProperty("workflow");
    expect(fieldsOf(githubDispatchWorkflow, { repository: "o/r", workflow: 0, ref: "main" })).toHaveProperty("workflow");
    expect(fieldsOf(githubDispatchWorkflow, { repository: "o/r", workflow: "d.yml", ref: " " })).toEqual({ ref: "Name a branch or tag." });
    expect(fieldsOf(githubDispatchWorkflow, { repository: "o/r", workflow: "d.yml", ref: "x".repeat(256) })).toHaveProperty("ref");
    expect(fieldsOf(githubDispatchWorkflow, { repository: "o/r", workflow: "d.yml", ref: "main", inputs: { "bad name": "x" } })).toHaveProperty(["inputs.bad name"]);
    expect(fieldsOf(githubDispatchWorkflow, { repository: "o/r", workflow: "d.yml", ref: "main", inputs: { a: { nested: 1 } } })).toHaveProperty(["inputs.a"]);
    const many = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`i${i}`, "x"]));
    expect(fieldsOf(githubDispatchWorkflow, { repository: "o/r", workflow: "d.yml", ref: "main", inputs: many })).toEqual({ inputs: "GitHub takes at most 25 inputs." });
    const enough = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`i${i}`, "x"]));
    expect(parseInput(githubDispatchWorkflow, { repository: "o/r", workflow: "d.yml", ref: "main", inputs: enough }).ok).toBe(true);
  });

  test("a 204 is dispatched; a 200 with run details names the run", () => {
    expect(githubDispatchWorkflow.response(answer(204), {} as never)).toEqual({ ok: true, output: { dispatched: true } });
    expect(
      githubDispatchWorkflow.response(answer(200, { workflow_run_id: 31, run_url: "api", html_url: "https://github.com/o/r/actions/runs/31" }), {} as never),
    ).toEqual({ ok: true, output: { dispatched: true, runId: 31, runUrl: "https://github.com/o/r/actions/runs/31" } });
    expect(githubDispatchWorkflow.response(answer(200, { workflow_run_id: "31", html_url: 5 }), {} as never)).toEqual({ ok: true, output: { dispatched: true } });
  });

  test("GitHub's 422 messages without `errors` name the input at fault; a 404 the workflow", () => {
    const fields = (message: string) => {
      const mapped = githubDispatchWorkflow.response(answer(422, { message }), {} as never);
      return mapped.ok ? undefined : mapped.error.fields;
    };
    expect(fields("No ref found for: feature")).toEqual({ ref: "No ref found for: feature" });
    expect(fields('Unexpected inputs provided: ["x"]')).toEqual({ inputs: 'Unexpected inputs provided: ["x"]' });
    expect(fields("Required input 'environment' not provided")).toEqual({ inputs: "Required input 'environment' not provided" });
    expect(fields("Workflow does not have 'workflow_dispatch' trigger")).toEqual({ workflow: "Workflow does not have 'workflow_dispatch' trigger" });
    expect(fields("Something else entirely")).toBeUndefined();
    expect(githubDispatchWorkflow.response(answer(404, { message: "Not Found" }), {} as never)).toMatchObject({
      ok: false,
      error: { fields: { workflow: expect.stringMatching(/no such workflow/) } },
    });
  });
});

describe("github.put_file", () => {
  test("puts base64 UTF-8 content at the path, each segment escaped, without retries", () => {
    expect(
      requestOf(githubPutFile, { repository: "octo-org/app", path: "docs/notes #1/ü.md", message: "Add notes", content: "héllo ✓\n" }),
    ).toEqual({
      method: "PUT",
      path: "/repos/octo-org/app/contents/docs/notes%20%231/%C3%BC.md",
      body: { json: { message: "Add notes", content: "aMOpbGxvIOKckwo=" } },
      maxAttempts: 1,
    });
    const sha = "a".repeat(40);
    expect(requestOf(githubPutFile, { repository: "o/r", path: "README.md", message: "m", content: "", branch: "dev", sha })).toEqual({
      method: "PUT",
      path: "/repos/o/r/contents/README.md",
      body: { json: { message: "m", content: "", branch: "dev", sha } },
      maxAttempts: 1,
    });
  });

  test("refuses paths that leave their place, bad shas and oversized content", () => {
    for (const path of ["../secrets", "a/../b", "a/./b", "/abs", "dir/", "a//b", " ", "x".repeat(1025)]) {
      expect(fieldsOf(githubPutFile, { repository: "o/r", path, message: "m", content: "c" })).toHaveProperty("path");
    }
    expect(fieldsOf(githubPutFile, { repository: "o/r", path: "a", message: "m", content: "c", sha: "abc" })).toHaveProperty("sha");
    expect(fieldsOf(githubPutFile, { repository: "o/r", path: "a", message: " ", content: "c" })).toEqual({ message: "Write a commit message." });
    expect(fieldsOf(githubPutFile, { repository: "o/r", path: "a", message: "m", content: "é".repeat(MAX_FILE_BYTES / 2 + 1) })).toEqual({ content: "At most 512 KiB of text." });
    expect(parseInput(githubPutFile, { repository: "o/r", path: "a", message: "m", content: "é".repeat(MAX_FILE_BYTES / 2) }).ok).toBe(true);
  });

  test("a workflow file needs the workflow scope before anything is sent", () => {
    const input = { repository: "o/r", path: ".github/workflows/ci.yml", message: "m", content: "on: push" };
    expect(() => requestOf(githubPutFile, input, context(["repo"]))).toThrow(/needs the workflow scope/);
    expect(requestOf(githubPutFile, input, context(["repo", "workflow"])).path).toBe("/repos/o/r/contents/.github/workflows/ci.yml");
    expect(requestOf(githubPutFile, { ...input, path: ".github/CODEOWNERS" }, context(["repo"])).path).toBe("/repos/o/r/contents/.github/CODEOWNERS");
  });

  test("reads the new sha, the commit and whether the file is new", () => {
    const written = { content: { path: "a.md", sha: "b".repeat(40), html_url: "https://github.com/o/r/blob/main/a.md" }, commit: { sha: "c".repeat(40) } };
    expect(githubPutFile.response(answer(201, written), {} as never)).toEqual({
      ok: true,
      output: { path: "a.md", sha: "b".repeat(40), commitSha: "c".repeat(40), url: "https://github.com/o/r/blob/main/a.md", created: true },
    });
    expect(githubPutFile.response(answer(200, written), {} as never)).toMatchObject({ ok: true, output: { created: false } });
  });

  test("a stale sha (409) and a missing one (422) are the sha's fault", () => {
    expect(githubPutFile.response(answer(409, { message: "is at 1234 but expected abcd" }), {} as never)).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "GitHub refused the input: the file changed since that sha (is at 1234 but expected abcd); read the file again for its current sha.",
        retryable: false,
        fields: { sha: "the file changed since that sha (is at 1234 but expected abcd)" },
        providerCode: "conflict",
        status: 409,
      },
    });
    expect(githubPutFile.response(answer(409, {}), {} as never)).toMatchObject({ ok: false, error: { fields: { sha: "the file changed since that sha" } } });
    expect(githubPutFile.response(answer(422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' }), {} as never)).toMatchObject({
      ok: false,
      error: { code: "invalid_input", fields: { sha: 'Invalid request.\n\n"sha" wasn\'t supplied.' } },
    });
    expect(githubPutFile.response(answer(422, { message: "Branch nope not found" }), {} as never)).toMatchObject({
      ok: false,
      error: { fields: { branch: "Branch nope not found" } },
    });
    expect(githubPutFile.response(answer(422, { message: 'Invalid request.\n\n"unknown" is odd' }), {} as never)).toMatchObject({ ok: false });
    expect(githubPutFile.response(answer(404, {}), {} as never)).toMatchObject({ ok: false, error: { fields: { repository: expect.stringMatching(/repository or branch/) } } });
  });
});

describe("githubFailure", () => {
  const now = 1_700_000_000_000;

  test("a 2xx is no failure", () => {
    for (const status of [200, 201, 204, 299]) expect(githubFailure(answer(status, {}), REPO_404, now)).toBeNull();
  });

  test("a 422's errors become fields under the input's names, in GitHub's words or ours", () => {
    const failure = githubFailure(
      answer(422, {
        message: "Validation Failed",
        errors: [
          { resource: "Issue", field: "title", code: "missing_field" },
          { resource: "Issue", field: "assignees", code: "invalid", value: "nobody" },
          { resource: "Issue", field: "title", code: "invalid" },
          { resource: "Label", field: "name", code: "already_exists" },
          { resource: "Issue", code: "custom", message: "body is too long (maximum is 65536 characters)" },
          "labels must be strings",
          { resource: "Issue", field: "labels", code: "missing" },
          { resource: "Issue", field: "body", code: "unprocessable" },
          { resource: "Issue" },
          null,
        ],
      }),
      REPO_404,
      now,
    );
    expect(failure).toEqual({
      code: "invalid_input",
      message:
        'GitHub refused the input: Validation Failed: title is required; assignees is not valid ("nobody"); title is not valid; name already exists; body is too long (maximum is 65536 characters); labels must be strings; labels does not exist; body cannot be processed; a field is not valid; a field is not valid.',
      retryable: false,
      fields: { title: "title is required", assignees: 'assignees is not valid ("nobody")', name: "name already exists", labels: "labels does not exist", body: "body cannot be processed" },
      providerCode: "validation_failed",
      status: 422,
    });
    expect(githubFailure(answer(422, { errors: [{ field: "sha", code: "weird_code" }] }), REPO_404, now)).toMatchObject({
      message: "GitHub refused the input: Validation Failed: sha weird_code.",
      fields: { sha: "sha weird_code" },
    });
    expect(githubFailure(answer(422, { message: "Done already!" }), REPO_404, now)).toEqual({
      code: "invalid_input",
      message: "GitHub refused the input: Done already!",
      retryable: false,
      providerCode: "validation_failed",
      status: 422,
    });
    expect(githubFailure(answer(422, undefined), REPO_404, now)).toMatchObject({ message: "GitHub refused the input: Validation Failed." });
  });

  test("the primary limit (remaining 0) waits until x-ratelimit-reset; a secondary one for Retry-After", () => {
    const reset = String(now / 1000 + 120);
    expect(githubFailure(answer(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), REPO_404, now)).toEqual({
      code: "rate_limited",
      message: "GitHub is rate limiting these requests (the hourly limit is used up).",
      retryable: true,
      retryAfterMs: 120_000,
      status: 403,
    });
    expect(githubFailure(answer(429, {}, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 7200) }), REPO_404, now)).toMatchObject({
      code: "rate_limited",
      retryAfterMs: 3_600_000,
      status: 429,
    });
    expect(githubFailure(answer(403, {}, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 - 5) }), REPO_404, now)).toMatchObject({ retryAfterMs: 0 });
    const noReset = githubFailure(answer(403, {}, { "x-ratelimit-remaining": "0" }), REPO_404, now);
    expect(noReset).toEqual({ code: "rate_limited", message: "GitHub is rate limiting these requests (the hourly limit is used up).", retryable: true, status: 403 });
    expect(githubFailure(answer(403, {}, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "0" }), REPO_404, now)).not.toHaveProperty("retryAfterMs");
    expect(githubFailure(answer(403, {}, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "soon" }), REPO_404, now)).not.toHaveProperty("retryAfterMs");
    expect(githubFailure(answer(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "60", "x-ratelimit-remaining": "4000" }), REPO_404, now)).toEqual({
      code: "rate_limited",
      message: "GitHub is rate limiting these requests.",
      retryable: true,
      retryAfterMs: 60_000,
      status: 403,
    });
    // Retry-After wins over the reset when both are there.
    expect(githubFailure(answer(429, {}, { "retry-after": "5", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), REPO_404, now)).toMatchObject({ retryAfterMs: 5_000 });
    // A 500 with the headers is not a rate limit.
    expect(githubFailure(answer(500, {}, { "x-ratelimit-remaining": "0", "retry-after": "1" }), REPO_404, now)).toMatchObject({ code: "provider_error" });
  });

  test("a 403 that is not a rate limit, a 401, a 409 without a sha to blame, 5xx and others", () => {
    expect(githubFailure(answer(403, { message: "Resource not accessible by integration" }, { "x-ratelimit-remaining": "10" }), REPO_404, now)).toEqual({
      code: "provider_error",
      message: "GitHub refused the request (HTTP 403): Resource not accessible by integration.",
      retryable: false,
      providerCode: "forbidden",
      status: 403,
    });
    expect(githubFailure(answer(403, "nope"), REPO_404, now)).toMatchObject({ message: "GitHub refused the request (HTTP 403)." });
    expect(githubFailure(answer(403, { message: "   " }), REPO_404, now)).toMatchObject({ message: "GitHub refused the request (HTTP 403)." });
    expect(githubFailure(answer(401, { message: "Bad credentials" }), REPO_404, now)).toMatchObject({ code: "auth_revoked", status: 401 });
    expect(githubFailure(answer(409, { message: "Git Repository is empty." }), REPO_404, now)).toEqual({
      code: "provider_error",
      message: "GitHub answered HTTP 409: Git Repository is empty..",
      retryable: false,
      status: 409,
    });
    expect(githubFailure(answer(502, {}), REPO_404, now)).toMatchObject({ code: "provider_error", retryable: true, status: 502 });
    expect(githubFailure(answer(410, {}), REPO_404, now)).toMatchObject({ fields: { repository: "this resource is gone" } });
  });
});

describe("lookups", () => {
  test("nextPageOf reads rel=next from a Link header, wherever it stands", () => {
    expect(nextPageOf(undefined)).toBeUndefined();
    expect(nextPageOf("")).toBeUndefined();
    expect(nextPageOf('<https://api.github.com/user/repos?per_page=100&page=2>; rel="next", <https://api.github.com/user/repos?per_page=100&page=2>; rel="last"')).toBe("2");
    expect(nextPageOf('<https://api.github.com/user/repos?page=1>; rel="prev", <https://api.github.com/user/repos?page=3>; rel="next"')).toBe("3");
    expect(nextPageOf('<https://api.github.com/user/repos?page=1>; rel="first", <https://api.github.com/user/repos?page=1>; rel="prev"')).toBeUndefined();
    expect(nextPageOf("<https://api.github.com/x?page=4>; rel=next")).toBe("4");
    expect(nextPageOf('<https://api.github.com/x?page=5>; rel="last next"')).toBe("5");
    expect(nextPageOf('<https://api.github.com/x?page=6>; rel="nextish"')).toBeUndefined();
    expect(nextPageOf('<not a url>; rel="next"')).toBeUndefined();
    expect(nextPageOf('<https://api.github.com/x?page=abc>; rel="next"')).toBeUndefined();
    expect(nextPageOf('<https://api.github.com/x>; rel="next"')).toBeUndefined();
    expect(nextPageOf("garbage")).toBeUndefined();
  });

  test("list_repositories asks for 100 a page by name, and a cursor is a page number", () => {
    expect(requestOf(githubListRepositories, {})).toEqual({ method: "GET", path: "/user/repos", query: { per_page: "100", sort: "full_name" } });
    expect(requestOf(githubListRepositories, { cursor: "2" })).toEqual({ method: "GET", path: "/user/repos", query: { per_page: "100", sort: "full_name", page: "2" } });
    for (const cursor of ["0", "abc", "1234567", "-1"]) expect(() => requestOf(githubListRepositories, { cursor })).toThrow(/cursor/);
    expect(requestOf(githubListRepositories, { cursor: "123456" }).query).toMatchObject({ page: "123456" });
  });

  test("list_repositories: full names, private ones marked, descriptions as hints, and the next page from Link", () => {
    const repos = [
      { full_name: "octo-org/app", private: false, description: "The app" },
      { full_name: "octo-org/secret", private: true, description: null },
      { full_name: "octo-org/infra", private: true, description: "Terraform" },
      { full_name: "octo-org/empty", private: false, description: null },
    ];
    expect(githubListRepositories.response(answer(200, repos, { link: '<https://api.github.com/user/repos?page=2>; rel="next"' }), {} as never)).toEqual({
      ok: true,
      output: {
        options: [
          { value: "octo-org/app", label: "octo-org/app", hint: "The app" },
          { value: "octo-org/secret", label: "octo-org/secret", hint: "Private" },
          { value: "octo-org/infra", label: "octo-org/infra", hint: "Private · Terraform" },
          { value: "octo-org/empty", label: "octo-org/empty" },
        ],
        nextCursor: "2",
      },
    });
    expect(githubListRepositories.response(answer(200, []), {} as never)).toEqual({ ok: true, output: { options: [], nextCursor: undefined } });
    expect(githubListRepositories.response(answer(401, {}), {} as never)).toMatchObject({ ok: false, error: { code: "auth_revoked" } });
  });

  test("list_workflows: the repository's workflows by id, paged by Link or by total_count", () => {
    expect(requestOf(githubListWorkflows, { repository: "octo-org/app" })).toEqual({
      method: "GET",
      path: "/repos/octo-org/app/actions/workflows",
      query: { per_page: "100" },
    });
    expect(requestOf(githubListWorkflows, { repository: "octo-org/app", cursor: "3" }).query).toEqual({ per_page: "100", page: "3" });
    expect(fieldsOf(githubListWorkflows, {})).toHaveProperty("repository");
    const workflows = [
      { id: 1, name: "CI", path: ".github/workflows/ci.yml", state: "active" },
      { id: 2, name: "Nightly", path: ".github/workflows/nightly.yml", state: "disabled_manually" },
    ];
    expect(githubListWorkflows.response(answer(200, { total_count: 2, workflows }), { repository: "o/r" } as never)).toEqual({
      ok: true,
      output: {
        options: [
          { value: "1", label: "CI", hint: ".github/workflows/ci.yml" },
          { value: "2", label: "Nightly", hint: ".github/workflows/nightly.yml (disabled manually)" },
        ],
        nextCursor: undefined,
      },
    });
    const more = (total: number, cursor?: string, headers: Record<string, string> = {}) => {
      const mapped = githubListWorkflows.response(answer(200, { total_count: total, workflows: [] }, headers), { repository: "o/r", cursor } as never);
      return mapped.ok ? mapped.output.nextCursor : "failed";
    };
    expect(more(101)).toBe("2");
    expect(more(100)).toBeUndefined();
    expect(more(250, "2")).toBe("3");
    expect(more(200, "2")).toBeUndefined();
    expect(more(0, undefined, { link: '<https://api.github.com/x?page=9>; rel="next"' })).toBe("9");
    expect(githubListWorkflows.response(answer(404, {}), { repository: "o/r" } as never)).toMatchObject({ ok: false, error: { fields: { repository: expect.any(String) } } });
  });
});

test("utf8Base64 encodes UTF-8 bytes, also past one chunk", () => {
  expect(utf8Base64("")).toBe("");
  expect(utf8Base64("hi")).toBe("aGk=");
  expect(utf8Base64("€")).toBe("4oKs");
  const long = "ab€".repeat(20_000);
  expect(utf8Base64(long)).toBe(Buffer.from(long, "utf8").toString("base64"));
});
