import { describe, expect, test } from "vitest";
import {
  advanceRun,
  cancelRunSteps,
  isRunFinished,
  lostStepReport,
  newRunSteps,
  resolveStepInput,
  RUN_STATUSES,
  stepCorrelationId,
  type Advance,
  type RunState,
  type RunStep,
  type StepReport,
} from "./run";

const retry = { maxAttempts: 3, initialDelayMs: 5_000 };
const NOW = 1_000_000;

function step(key: string, extra: Partial<RunStep> = {}): RunStep {
  return { key, name: key, actionId: "slack.post_message", inputTemplate: { text: key }, retry, status: "pending", attempts: 0, ...extra };
}

/** A run of three steps whose first is running (its first attempt under way). */
function run(extra: Partial<RunState> = {}): RunState {
  return { status: "running", currentStep: 0, steps: [step("post", { status: "running", startedAt: 10 }), step("reply"), step("react")], ...extra };
}

const ok = (output: unknown = { ts: "1.2" }, correlationId = "wf:r:post:1") => ({ ok: true as const, output, correlationId });
const failure = (retryable: boolean, extra: Record<string, unknown> = {}, correlationId = "wf:r:post:1") => ({
  ok: false as const,
  error: { code: retryable ? ("rate_limited" as const) : ("invalid_input" as const), message: "No.", retryable, ...extra },
  correlationId,
});
const report = (result: StepReport["result"], extra: Partial<StepReport> = {}): StepReport => ({ stepIndex: 0, attempt: 1, input: { text: "post" }, result, ...extra });

function recorded(advance: Advance) {
  if (advance.kind !== "recorded") throw new Error("expected the report to be recorded");
  return advance;
}

describe("statuses", () => {
  test("a run is finished once it succeeded, failed or was cancelled", () => {
    expect(RUN_STATUSES.filter(isRunFinished)).toEqual(["succeeded", "failed", "cancelled"]);
  });
});

describe("newRunSteps", () => {
  test("copies each step's definition; the first is running from now, the rest pending", () => {
    const steps = newRunSteps(
      [
        { key: "a", name: "A", actionId: "slack.post_message", input: { text: "x" }, retry },
        { key: "b", name: "B", actionId: "slack.add_reaction", input: {}, retry: { maxAttempts: 1, initialDelayMs: 1000 } },
      ],
      NOW,
    );
    expect(steps).toEqual([
      { key: "a", name: "A", actionId: "slack.post_message", inputTemplate: { text: "x" }, retry, status: "running", attempts: 0, startedAt: NOW },
      { key: "b", name: "B", actionId: "slack.add_reaction", inputTemplate: {}, retry: { maxAttempts: 1, initialDelayMs: 1000 }, status: "pending", attempts: 0 },
    ]);
    expect("startedAt" in steps[1]!).toBe(false);
  });
});

describe("stepCorrelationId", () => {
  test("names the run, the step and the attempt, in what the call pipeline accepts", () => {
    expect(stepCorrelationId("jd7abc123", "post", 2)).toBe("wf:jd7abc123:post:2");
    const id = stepCorrelationId("10004;workflowRuns", "reply_in_thread", 10);
    expect(id).toBe("wf:10004-workflowRuns:reply_in_thread:10");
    expect(id).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    const longest = stepCorrelationId("r".repeat(200), "k".repeat(40), 10);
    expect(longest).toBe(`wf:${"r".repeat(64)}:${"k".repeat(40)}:10`);
    expect(longest).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });
});

describe("advanceRun: a step that succeeded", () => {
  test("is recorded, and the next step is running, scheduled at once", () => {
    const advance = recorded(advanceRun(run(), report(ok()), NOW));
    expect(advance).toEqual({ kind: "recorded", status: "running", currentStep: 1, schedule: { delayMs: 0 }, steps: expect.any(Array) });
    expect(advance.steps[0]).toEqual({
      ...step("post"),
      status: "succeeded",
      attempts: 1,
      startedAt: 10,
      finishedAt: NOW,
      input: { text: "post" },
      output: { ts: "1.2" },
      correlationId: "wf:r:post:1",
    });
    expect(advance.steps[1]).toEqual({ ...step("reply"), status: "running", startedAt: NOW });
    expect(advance.steps[2]).toEqual(step("react"));
    expect(Object.keys(advance.steps[0]!).sort()).toEqual(
      ["actionId", "attempts", "correlationId", "finishedAt", "input", "inputTemplate", "key", "name", "output", "retry", "startedAt", "status"].sort(),
    );
  });

  test("the last step's success ends the run", () => {
    const last = run({ currentStep: 2, steps: [step("a", { status: "succeeded" }), step("b", { status: "succeeded" }), step("c", { status: "running" })] });
    expect(recorded(advanceRun(last, report(ok(), { stepIndex: 2 }), NOW))).toMatchObject({
      status: "succeeded",
      currentStep: 2,
      finishedAt: NOW,
      schedule: null,
    });
  });

  test("after a retry: the wait and the earlier error are gone; an output not kept carries its note", () => {
    const waited = run({ status: "retrying", steps: [step("post", { status: "running", attempts: 1, nextAttemptAt: 5, error: failure(true).error, input: { old: 1 } })] });
    const advance = recorded(advanceRun(waited, report(ok({ truncated: true }), { attempt: 2, note: "too big" }), NOW));
    expect(advance.steps[0]).toEqual({
      ...step("post"),
      status: "succeeded",
      attempts: 2,
      input: { text: "post" },
      output: { truncated: true },
      note: "too big",
      correlationId: "wf:r:post:1",
      finishedAt: NOW,
    });
    expect(advance).toMatchObject({ status: "succeeded", finishedAt: NOW });
  });
});

describe("advanceRun: a step that failed", () => {
  test("a retryable failure waits as the policy says, the step still running and the run retrying", () => {
    const advance = recorded(advanceRun(run(), report(failure(true, { retryAfterMs: 7_000 })), NOW));
    expect(advance).toMatchObject({ status: "retrying", currentStep: 0, schedule: { delayMs: 7_000 } });
    expect("finishedAt" in advance).toBe(false);
    expect(advance.steps[0]).toEqual({
      ...step("post"),
      status: "running",
      startedAt: 10,
      attempts: 1,
      input: { text: "post" },
      error: failure(true, { retryAfterMs: 7_000 }).error,
      correlationId: "wf:r:post:1",
      nextAttemptAt: NOW + 7_000,
    });
    const second = recorded(advanceRun({ ...advance, steps: advance.steps }, report(failure(true), { attempt: 2 }), NOW));
    expect(second.schedule).toEqual({ delayMs: 10_000 });
  });

  test("the last allowed attempt, or a failure that is not retryable, fails the run and cancels the steps after it", () => {
    const third = run({ status: "retrying", steps: [step("post", { status: "running", attempts: 2, nextAttemptAt: 5 }), step("reply"), step("react", { status: "succeeded" })] });
    const advance = recorded(advanceRun(third, report(failure(true), { attempt: 3 }), NOW));
    expect(advance).toMatchObject({ status: "failed", currentStep: 0, finishedAt: NOW, schedule: null });
    expect(advance.steps.map((s) => s.status)).toEqual(["failed", "cancelled", "succeeded"]);
    expect(advance.steps[0]).toMatchObject({ attempts: 3, finishedAt: NOW, error: { code: "rate_limited" } });
    expect("nextAttemptAt" in advance.steps[0]!).toBe(false);
    expect(recorded(advanceRun(run(), report(failure(false)), NOW))).toMatchObject({ status: "failed", schedule: null });
  });

  test("the error is kept as history keeps errors (texts cut)", () => {
    const advance = recorded(advanceRun(run(), report(failure(false, { message: "m".repeat(5_000) })), NOW));
    expect(advance.steps[0]!.error!.message).toMatch(/truncated/);
  });

  test("an attempt whose input could not be resolved, or that was lost, leaves no input", () => {
    const before = run({ status: "retrying", steps: [step("post", { status: "running", attempts: 1, input: { text: "first try" } })] });
    const advance = recorded(advanceRun(before, report(failure(false), { attempt: 2, input: undefined }), NOW));
    expect("input" in advance.steps[0]!).toBe(false);
  });
});

describe("advanceRun: a run cancelled while its step was under way", () => {
  const cancelled = (status: RunStep["status"] = "cancelled") =>
    run({ status: "cancelled", steps: [step("post", { status, finishedAt: 20 }), step("reply", { status: "cancelled" })] });

  test("keeps the result as the step's outcome and schedules nothing", () => {
    const success = recorded(advanceRun(cancelled(), report(ok()), NOW));
    expect(success).toMatchObject({ status: "cancelled", currentStep: 0, schedule: null });
    expect("finishedAt" in success).toBe(false);
    expect(success.steps.map((s) => s.status)).toEqual(["succeeded", "cancelled"]);
    const retryable = recorded(advanceRun(cancelled(), report(failure(true)), NOW));
    expect(retryable).toMatchObject({ status: "cancelled", schedule: null });
    expect(retryable.steps[0]).toMatchObject({ status: "failed", finishedAt: NOW, error: { code: "rate_limited" } });
  });

  test("a step that was not cancelled under way gets no late result", () => {
    expect(advanceRun(cancelled("succeeded"), report(ok()), NOW)).toEqual({ kind: "ignored" });
    // The step after it was cancelled too, but it was never under way.
    expect(advanceRun(cancelled(), report(ok(), { stepIndex: 1 }), NOW)).toEqual({ kind: "ignored" });
  });
});

describe("advanceRun: reports that are ignored", () => {
  test("for another step, an attempt already recorded, a missing step, or a run that ended", () => {
    expect(advanceRun(run(), report(ok(), { stepIndex: 1 }), NOW)).toEqual({ kind: "ignored" });
    expect(advanceRun(run({ currentStep: 5 }), report(ok(), { stepIndex: 5 }), NOW)).toEqual({ kind: "ignored" });
    expect(advanceRun(run(), report(ok(), { attempt: 2 }), NOW)).toEqual({ kind: "ignored" });
    expect(advanceRun(run(), report(ok(), { attempt: 0 }), NOW)).toEqual({ kind: "ignored" });
    expect(advanceRun(run({ status: "failed" }), report(ok()), NOW)).toEqual({ kind: "ignored" });
    expect(advanceRun(run({ status: "succeeded" }), report(ok()), NOW)).toEqual({ kind: "ignored" });
    const pending = run({ steps: [step("post", { status: "pending" })] });
    expect(advanceRun(pending, report(ok()), NOW)).toEqual({ kind: "ignored" });
  });

  test("a retrying run takes the report of the retry", () => {
    const waiting = run({ status: "retrying", steps: [step("post", { status: "running", attempts: 1 })] });
    expect(advanceRun(waiting, report(ok(), { attempt: 2 }), NOW).kind).toBe("recorded");
  });
});

describe("cancelRunSteps", () => {
  test("every step not finished is cancelled; a waiting retry is no longer due", () => {
    const steps = cancelRunSteps(
      run({
        status: "retrying",
        currentStep: 1,
        steps: [step("a", { status: "succeeded", finishedAt: 5 }), step("b", { status: "running", nextAttemptAt: 99, attempts: 1 }), step("c")],
      }),
      NOW,
    );
    expect(steps).toEqual([
      step("a", { status: "succeeded", finishedAt: 5 }),
      step("b", { status: "cancelled", attempts: 1, finishedAt: NOW }),
      step("c", { status: "cancelled" }),
    ]);
  });

  test("a run that ended cannot be cancelled", () => {
    for (const status of ["succeeded", "failed", "cancelled"] as const) expect(cancelRunSteps(run({ status }), NOW)).toBeNull();
    expect(cancelRunSteps(run({ status: "queued" }), NOW)).not.toBeNull();
  });
});

describe("lostStepReport", () => {
  test("a running step's next attempt, failed with a retryable provider error under its own correlation id", () => {
    const waiting = run({ status: "retrying", steps: [step("post", { status: "running", attempts: 2 })] });
    expect(lostStepReport("run1", waiting)).toEqual({
      stepIndex: 0,
      attempt: 3,
      result: {
        ok: false,
        error: { code: "provider_error", message: expect.stringMatching(/stopped before it reported/), retryable: true },
        correlationId: "wf:run1:post:3",
      },
    });
    // Recorded, it follows the step's retry policy like any failure.
    expect(recorded(advanceRun(waiting, lostStepReport("run1", waiting)!, NOW))).toMatchObject({ status: "failed" });
    expect(recorded(advanceRun(run(), lostStepReport("run1", run())!, NOW))).toMatchObject({ status: "retrying", schedule: { delayMs: 5_000 } });
  });

  test("nothing when the current step is not running or not there", () => {
    expect(lostStepReport("r", run({ steps: [step("post", { status: "succeeded" })] }))).toBeNull();
    expect(lostStepReport("r", run({ currentStep: 3 }))).toBeNull();
  });
});

describe("resolveStepInput", () => {
  const steps = [
    step("post", { status: "succeeded", output: { ts: "1.2", channel: "C1" } }),
    step("big", { status: "succeeded", output: { truncated: true }, note: "too big" }),
    step("reply", { status: "running", inputTemplate: { channel: "{{steps.post.output.channel}}", threadTs: "{{steps.post.output.ts}}", text: "{{trigger.title}}!" } }),
  ];

  test("renders the template against the trigger input and earlier outputs", () => {
    expect(resolveStepInput({ title: "Hi" }, steps, 2)).toEqual({ ok: true, input: { channel: "C1", threadTs: "1.2", text: "Hi!" } });
  });

  test("what cannot be filled in is invalid_input naming the field, not retryable", () => {
    expect(resolveStepInput({}, steps, 2)).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "The input could not be filled in at text: Nothing is called trigger.title.",
        retryable: false,
        fields: { text: "Nothing is called trigger.title." },
      },
    });
    const root = [step("a", { status: "running", inputTemplate: "{{trigger.x}}" as never })];
    expect(resolveStepInput({}, root, 0)).toEqual({
      ok: false,
      error: { code: "invalid_input", message: "The input could not be filled in: Nothing is called trigger.x.", retryable: false, fields: { "": "Nothing is called trigger.x." } },
    });
  });

  test("a reference to an output that was not kept says so", () => {
    const uses = [...steps.slice(0, 2), step("react", { status: "running", inputTemplate: { a: "{{steps.big.output.x}}", b: "{{steps.post.output.ts}}" } })];
    expect(resolveStepInput({}, uses, 2)).toEqual({
      ok: false,
      error: { code: "invalid_input", message: "This step uses the output of steps.big, which was too large to keep.", retryable: false },
    });
    const two = [step("a", { status: "succeeded", output: { truncated: true }, note: "big" }), ...uses.slice(1, 2), step("c", { status: "running", inputTemplate: { x: "{{steps.a.output}}{{steps.big.output}}" } })];
    expect(resolveStepInput({}, two, 2)).toMatchObject({ ok: false, error: { message: "This step uses the output of steps.a, steps.big, which was too large to keep." } });
  });

  test("only earlier steps' outputs are in scope", () => {
    const own = [step("a", { status: "succeeded", output: { x: 1 }, inputTemplate: { v: "{{steps.a.output.x}}" } })];
    expect(resolveStepInput({}, own, 0)).toMatchObject({ ok: false, error: { fields: { v: "Nothing is called steps.a.output.x." } } });
    // Nor does a later step's unkept output count.
    const later = [step("a", { status: "running", inputTemplate: { v: "{{steps.b.output.x}}" } }), step("b", { status: "succeeded", output: { truncated: true }, note: "big" })];
    expect(resolveStepInput({}, later, 0)).toMatchObject({ ok: false, error: { fields: { v: "Nothing is called steps.b.output.x." } } });
    expect(resolveStepInput({}, own, 1)).toEqual({ ok: false, error: { code: "invalid_input", message: "The run has no such step.", retryable: false } });
  });
});
