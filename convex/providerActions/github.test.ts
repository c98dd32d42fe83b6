/** GitHub's actions through the step contract, against the simulator's GitHub REST API. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

describe("github actions", () => {
  test("create_issue posts title, body, labels and assignees and answers number, id, links and state", async () => {
    const w = await setup(simulatorUrl, "github");
    const result = await w.runAction("github.create_issue", {
      repository: "octo-org/app",
      title: "Checkout fails",
      body: "Steps to reproduce…",
      labels: ["bug"],
      assignees: ["hubot"],
    });
    expect(result).toMatchObject({
      ok: true,
      output: {
        number: 3,
        id: expect.any(Number),
        url: "https://github.com/octo-org/app/issues/3",
        apiUrl: "https://api.github.com/repos/octo-org/app/issues/3",
        state: "open",
      },
    });
    const [sent] = await w.simulator.apiCalls({ providerId: "github", apiPath: "/repos/octo-org/app/issues" });
    expect(sent).toMatchObject({
      method: "POST",
      body: { title: "Checkout fails", body: "Steps to reproduce…", labels: ["bug"], assignees: ["hubot"] },
    });
    expect(sent!.headers).toMatchObject({ accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "content-type": "application/json" });
    expect(sent!.headers.authorization).toBeUndefined();
  });

  test("comment_on_issue comments on a pull request by its number", async () => {
    const w = await setup(simulatorUrl, "github");
    const result = await w.runAction("github.comment_on_issue", { repository: "octo-org/app", issueNumber: 2, body: "Looks good to me" });
    expect(result).toMatchObject({ ok: true, output: { id: expect.any(Number), url: expect.stringMatching(/^https:\/\/github\.com\/octo-org\/app\/pull\/2#issuecomment-\d+$/) } });
    const [sent] = await w.simulator.apiCalls({ providerId: "github", apiPath: "/repos/octo-org/app/issues/2/comments" });
    expect(sent).toMatchObject({ method: "POST", body: { body: "Looks good to me" } });
    const missing = await w.runAction("github.comment_on_issue", { repository: "octo-org/app", issueNumber: 404, body: "x" });
    expect(missing).toMatchObject({ ok: false, error: { code: "invalid_input", status: 404, fields: { issueNumber: expect.any(String) } } });
  });

  test("GitHub's 422, 410 and 404 become invalid input on the field at fault", async () => {
    const w = await setup(simulatorUrl, "github");
    const nobody = await w.runAction("github.create_issue", { repository: "octo-org/app", title: "x", assignees: ["nobody"] });
    expect(nobody).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 422, providerCode: "validation_failed", fields: { assignees: 'assignees is not valid ("nobody")' } },
    });
    const disabled = await w.runAction("github.create_issue", { repository: "octo-org/docs", title: "x" });
    expect(disabled).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 410, fields: { repository: "Issues are disabled for this repo" } },
    });
    const missing = await w.runAction("github.create_issue", { repository: "octo-org/nope", title: "x" });
    expect(missing).toMatchObject({ ok: false, error: { code: "invalid_input", status: 404, fields: { repository: expect.stringMatching(/no such repository/) } } });
  });

  test("dispatch_workflow runs a workflow by file name with its inputs and names the run", async () => {
    const w = await setup(simulatorUrl, "github");
    const result = await w.runAction("github.dispatch_workflow", {
      repository: "octo-org/app",
      workflow: "deploy.yml",
      ref: "main",
      inputs: { environment: "staging", dry_run: true },
    });
    expect(result).toMatchObject({ ok: true, output: { dispatched: true, runId: expect.any(Number), runUrl: expect.stringMatching(/actions\/runs\/\d+$/) } });
    const [sent] = await w.simulator.apiCalls({ providerId: "github", apiPath: "/repos/octo-org/app/actions/workflows/deploy.yml/dispatches" });
    expect(sent).toMatchObject({ method: "POST", body: { ref: "main", inputs: { environment: "staging", dry_run: true }, return_run_details: true } });

    const noInput = await w.runAction("github.dispatch_workflow", { repository: "octo-org/app", workflow: 161336, ref: "main" });
    expect(noInput).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { inputs: "Required input 'environment' not provided" } } });
    const noRef = await w.runAction("github.dispatch_workflow", { repository: "octo-org/app", workflow: "deploy.yml", ref: "feature", inputs: { environment: "x" } });
    expect(noRef).toMatchObject({ ok: false, error: { fields: { ref: "No ref found for: feature" } } });
    const noTrigger = await w.runAction("github.dispatch_workflow", { repository: "octo-org/app", workflow: "ci.yml", ref: "main" });
    expect(noTrigger).toMatchObject({ ok: false, error: { fields: { workflow: expect.stringMatching(/workflow_dispatch/) } } });
    const unknown = await w.runAction("github.dispatch_workflow", { repository: "octo-org/app", workflow: "nope.yml", ref: "main" });
    expect(unknown).toMatchObject({ ok: false, error: { status: 404, fields: { workflow: expect.any(String) } } });
  });

  test("put_file creates a file, updates it with its sha, and refuses a missing or stale sha", async () => {
    const w = await setup(simulatorUrl, "github");
    const created = await w.runAction("github.put_file", { repository: "octo-org/app", path: "docs/release notes.md", message: "Add notes", content: "v1 ✓\n" });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.output).toMatchObject({
      path: "docs/release notes.md",
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      commitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
      url: "https://github.com/octo-org/app/blob/main/docs/release%20notes.md",
      created: true,
    });
    const [sent] = await w.simulator.apiCalls({ providerId: "github", apiPath: "/repos/octo-org/app/contents/docs/release%20notes.md" });
    expect(sent).toMatchObject({ method: "PUT", body: { message: "Add notes", content: Buffer.from("v1 ✓\n").toString("base64") } });

    const updated = await w.runAction("github.put_file", {
      repository: "octo-org/app",
      path: "docs/release notes.md",
      message: "Update notes",
      content: "v2\n",
      sha: created.output.sha,
    });
    expect(updated).toMatchObject({ ok: true, output: { created: false } });
    const withoutSha = await w.runAction("github.put_file", { repository: "octo-org/app", path: "README.md", message: "m", content: "x" });
    expect(withoutSha).toMatchObject({ ok: false, error: { code: "invalid_input", status: 422, fields: { sha: expect.stringMatching(/"sha" wasn't supplied/) } } });
    const stale = await w.runAction("github.put_file", { repository: "octo-org/app", path: "docs/release notes.md", message: "m", content: "x", sha: created.output.sha });
    expect(stale).toMatchObject({ ok: false, error: { code: "invalid_input", status: 409, fields: { sha: expect.stringMatching(/changed since that sha/) } } });
    // Refused once, not re-sent: a file write is never retried.
    expect(await w.simulator.apiCalls({ providerId: "github", method: "PUT" })).toHaveLength(4);
  });

  test("a workflow file without the workflow scope is refused before anything leaves", async () => {
    const w = await setup(simulatorUrl, "github");
    const result = await w.runAction("github.put_file", { repository: "octo-org/app", path: ".github/workflows/x.yml", message: "m", content: "on: push" });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_input", message: expect.stringMatching(/workflow scope/) } });
    expect(await w.simulator.apiCalls({ providerId: "github" })).toEqual([]);
  });

  test("403 with x-ratelimit-remaining 0 is rate_limited until x-ratelimit-reset; a revoked token is auth_revoked", async () => {
    const w = await setup(simulatorUrl, "github");
    const resetAt = Date.now() + 90_000;
    await w.simulator.patchWorld("github", { rateLimit: { limit: 5000, remaining: 0, resetAt } });
    const limited = await w.runAction("github.create_issue", { repository: "octo-org/app", title: "x" });
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryable: true, status: 403 } });
    const wait = !limited.ok ? limited.error.retryAfterMs! : 0;
    expect(wait).toBeGreaterThan(80_000);
    expect(wait).toBeLessThanOrEqual(91_000);

    await w.simulator.revokeAll("github");
    const revoked = await w.runAction("github.comment_on_issue", { repository: "octo-org/app", issueNumber: 1, body: "x" });
    expect(revoked).toMatchObject({ ok: false, error: { code: "auth_revoked", retryable: false } });
  });

  test("lookups page through repositories with GitHub's Link header, and list a repository's workflows", async () => {
    const w = await setup(simulatorUrl, "github");
    const first = await w.runAction("github.list_repositories", {});
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options).toHaveLength(100);
    expect(first.output.options.slice(0, 2)).toEqual([
      { value: "octo-org/app", label: "octo-org/app", hint: "The app" },
      { value: "octo-org/docs", label: "octo-org/docs", hint: "Documentation" },
    ]);
    expect(first.output.nextCursor).toBe("2");
    const second = await w.runAction("github.list_repositories", { cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.output.options).toHaveLength(33);
    expect(second.output.options.at(-1)).toEqual({ value: "octo-org/secret", label: "octo-org/secret", hint: "Private · Keys" });
    expect(second.output.nextCursor).toBeUndefined();
    const calls = await w.simulator.apiCalls({ providerId: "github", apiPath: "/user/repos" });
    expect(calls.map((c) => c.query)).toEqual([
      { per_page: "100", sort: "full_name" },
      { per_page: "100", sort: "full_name", page: "2" },
    ]);

    const workflows = await w.runAction("github.list_workflows", { repository: "octo-org/app" });
    expect(workflows).toMatchObject({
      ok: true,
      output: {
        options: [
          { value: "161335", label: "CI", hint: ".github/workflows/ci.yml" },
          { value: "161336", label: "Deploy", hint: ".github/workflows/deploy.yml" },
          { value: "161337", label: "Nightly", hint: ".github/workflows/nightly.yml (disabled manually)" },
        ],
      },
    });
    expect(workflows.ok && workflows.output.nextCursor).toBeUndefined();
  });
});
