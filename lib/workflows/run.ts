/**
 * A workflow run as data, and every change it goes through, pure: the runner
 * (convex/workflows/runner.ts) reads a run, runs its current step, and writes what
 * `advanceRun` answers in one mutation, which also schedules what it says.
 *
 * A run is `running` while a step's attempt is scheduled or under way, `retrying`
 * while a step waits to be tried again, and ends `succeeded`, `failed` (a step failed
 * for good: the steps after it are `cancelled`) or `cancelled` (by a person: the steps
 * that had not finished are `cancelled`). `queued` is in the vocabulary for runs that
 * wait their turn; this runner schedules a run's first step at once, so it starts a
 * run as `running`.
 */
import type { ActionError } from "../actions/errors";
import { renderTemplate } from "../templates";
import type { RetryPolicy, WorkflowStep } from "./definition";
import { historyError } from "./redact";
import { nextRetry } from "./retry";
import { stepScope, unkeptReferences } from "./scope";

export const RUN_STATUSES = ["queued", "running", "retrying", "succeeded", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const STEP_STATUSES = ["pending", "running", "succeeded", "failed", "cancelled"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const TRIGGER_KINDS = ["manual", "schedule", "event"] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** True once a run can change no more (bar a late result of a step cancelled mid-flight). */
export function isRunFinished(status: RunStatus): boolean {
  return status === "succeeded" || status === "failed" || status === "cancelled";
}

/** One step of a run: its definition as the run started with it, and what happened. */
export type RunStep = {
  key: string;
  name: string;
  actionId: string;
  /** The step's input template, copied at the start: editing the workflow does not change a run. */
  inputTemplate: Record<string, unknown>;
  retry: RetryPolicy;
  status: StepStatus;
  /** Attempts made (finished or lost). */
  attempts: number;
  /** The last attempt's input, resolved and redacted (lib/workflows/redact.ts). */
  input?: unknown;
  output?: unknown;
  /** Why the output was not kept, when it was not. */
  note?: string;
  /** The last attempt's error (also while a retry waits). */
  error?: ActionError;
  /** The last attempt's correlation id: its call log row has the same. */
  correlationId?: string;
  startedAt?: number;
  finishedAt?: number;
  /** When the next attempt is due, while a retry waits. */
  nextAttemptAt?: number;
};

/** What the changes of a run read. */
export type RunState = { status: RunStatus; currentStep: number; steps: readonly RunStep[] };

/** The steps of a new run: the first one running (its job is scheduled with the run), the rest pending. */
export function newRunSteps(steps: readonly WorkflowStep[], now: number): RunStep[] {
  return steps.map((step, index) => ({
    key: step.key,
    name: step.name,
    actionId: step.actionId,
    inputTemplate: step.input,
    retry: step.retry,
    status: index === 0 ? "running" : "pending",
    attempts: 0,
    ...(index === 0 ? { startedAt: now } : {}),
  }));
}

/** A correlation id is what the call pipeline accepts: 8–128 of `A-Za-z0-9._:-`. */
const UNSAFE = /[^A-Za-z0-9._-]/g;

/**
 * The correlation id of one attempt of one step of a run, which its call log row carries.
 * @example stepCorrelationId("jd7abc", "post", 2) // "wf:jd7abc:post:2"
 */
export function stepCorrelationId(runId: string, stepKey: string, attempt: number): string {
  return `wf:${runId.replace(UNSAFE, "-").slice(0, 64)}:${stepKey}:${attempt}`;
}

/** The step contract's answer (convex/providerActions/run.ts), as a report carries it. */
export type StepResult = { ok: true; output: unknown; correlationId: string } | { ok: false; error: ActionError; correlationId: string };

/** What one attempt of a step reports. */
export type StepReport = {
  stepIndex: number;
  /** Which attempt this is (1 for the first): a report for an attempt already recorded is ignored. */
  attempt: number;
  /** The resolved input as history keeps it; absent when it could not be resolved. */
  input?: unknown;
  /** The output as history keeps it (lib/workflows/redact.ts `historyOutput`). */
  result: StepResult;
  /** Why the output was not kept, when it was not. */
  note?: string;
};

export type Advance =
  | { kind: "ignored" }
  | {
      kind: "recorded";
      status: RunStatus;
      steps: RunStep[];
      currentStep: number;
      /** Set when the run ends with this report. */
      finishedAt?: number;
      /** The job to schedule: the next step, or a retry of this one; null when nothing is. */
      schedule: { delayMs: number } | null;
    };

/**
 * The run after a step's report: the step's outcome recorded, then the next step, a
 * retry, or the end of the run. A report that is not for the current step's next
 * attempt (late, repeated, or for a run that ended) is ignored; for a run cancelled
 * while the step was under way, it is kept as the step's outcome and nothing follows.
 */
export function advanceRun(run: RunState, report: StepReport, now: number): Advance {
  const index = report.stepIndex;
  const step = run.steps[index];
  if (!step || index !== run.currentStep || report.attempt !== step.attempts + 1) return { kind: "ignored" };
  const cancelled = run.status === "cancelled";
  if (cancelled ? step.status !== "cancelled" : isRunFinished(run.status) || step.status !== "running") return { kind: "ignored" };

  const steps = [...run.steps];
  const base: RunStep = { ...step, attempts: report.attempt, correlationId: report.result.correlationId };
  delete base.nextAttemptAt;
  // The input of this attempt; none when it could not be resolved (or the attempt was lost).
  if (report.input === undefined) delete base.input;
  else base.input = report.input;
  const recorded = (status: RunStatus, extra: { finishedAt?: number; schedule?: { delayMs: number }; currentStep?: number } = {}): Advance => ({
    kind: "recorded",
    status,
    steps,
    currentStep: extra.currentStep ?? index,
    ...(extra.finishedAt !== undefined ? { finishedAt: extra.finishedAt } : {}),
    schedule: extra.schedule ?? null,
  });

  if (report.result.ok) {
    const done: RunStep = { ...base, status: "succeeded", output: report.result.output, finishedAt: now };
    delete done.error;
    if (report.note === undefined) delete done.note;
    else done.note = report.note;
    steps[index] = done;
    if (cancelled) return recorded("cancelled");
    const next = steps[index + 1];
    if (!next) return recorded("succeeded", { finishedAt: now });
    steps[index + 1] = { ...next, status: "running", startedAt: now };
    return recorded("running", { currentStep: index + 1, schedule: { delayMs: 0 } });
  }

  const error = historyError(report.result.error);
  const decision = nextRetry(error, report.attempt, step.retry);
  if (!cancelled && decision.retry) {
    steps[index] = { ...base, status: "running", error, nextAttemptAt: now + decision.delayMs };
    return recorded("retrying", { schedule: { delayMs: decision.delayMs } });
  }
  steps[index] = { ...base, status: "failed", error, finishedAt: now };
  if (cancelled) return recorded("cancelled");
  for (let later = index + 1; later < steps.length; later++) {
    if (steps[later]!.status === "pending") steps[later] = { ...steps[later]!, status: "cancelled" };
  }
  return recorded("failed", { finishedAt: now });
}

/**
 * The steps of a run a person cancels: every step not finished is `cancelled` (one
 * under way too: if its result still arrives, `advanceRun` keeps it). Null when the
 * run already ended.
 */
export function cancelRunSteps(run: RunState, now: number): RunStep[] | null {
  if (isRunFinished(run.status)) return null;
  return run.steps.map((step) => {
    if (step.status === "pending") return { ...step, status: "cancelled" };
    if (step.status !== "running") return step;
    const cancelled: RunStep = { ...step, status: "cancelled", finishedAt: now };
    delete cancelled.nextAttemptAt;
    return cancelled;
  });
}

/**
 * The report for a current step whose job ended without reporting (it crashed, timed
 * out or vanished): a retryable provider error, so its retry policy decides what follows.
 */
export function lostStepReport(runId: string, run: RunState): StepReport | null {
  const step = run.steps[run.currentStep];
  if (!step || step.status !== "running") return null;
  const attempt = step.attempts + 1;
  return {
    stepIndex: run.currentStep,
    attempt,
    result: {
      ok: false,
      error: {
        code: "provider_error",
        message: "The step stopped before it reported a result (it crashed or timed out); it is tried again while its retry policy allows.",
        retryable: true,
      },
      correlationId: stepCorrelationId(runId, step.key, attempt),
    },
  };
}

export type ResolvedInput = { ok: true; input: unknown } | { ok: false; error: ActionError };

/**
 * The input of a run's current step: its template rendered against the trigger input
 * and the outputs of the steps before it. What cannot be filled in is `invalid_input`
 * (not retryable: the same run would fail the same way), naming the field.
 */
export function resolveStepInput(triggerInput: unknown, steps: readonly RunStep[], index: number): ResolvedInput {
  const step = steps[index];
  if (!step) return { ok: false, error: { code: "invalid_input", message: "The run has no such step.", retryable: false } };
  const unkept = unkeptReferences(step.inputTemplate, steps.slice(0, index));
  if (unkept.length > 0) {
    const names = unkept.map((key) => `steps.${key}`).join(", ");
    return {
      ok: false,
      error: { code: "invalid_input", message: `This step uses the output of ${names}, which was too large to keep.`, retryable: false },
    };
  }
  const rendered = renderTemplate(step.inputTemplate, stepScope(triggerInput, steps.slice(0, index)));
  if (rendered.ok) return { ok: true, input: rendered.value };
  const { at, message } = rendered.error;
  return {
    ok: false,
    error: {
      code: "invalid_input",
      message: `The input could not be filled in${at ? ` at ${at}` : ""}: ${message}`,
      retryable: false,
      fields: { [at]: message },
    },
  };
}
