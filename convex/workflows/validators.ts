/**
 * The stored shapes of workflows and their runs (the schema's tables, and the
 * runner's arguments), derived from the vocabularies in lib/workflows/.
 */
import { literals } from "convex-helpers/validators";
import { v, type Infer } from "convex/values";
import { RUN_STATUSES, STEP_STATUSES, TRIGGER_KINDS } from "../../lib/workflows";
import { actionErrorValidator } from "../providerActions/validators";
import { actorValidator } from "../shared/validators";

export const runStatusValidator = literals(...RUN_STATUSES);
export const stepStatusValidator = literals(...STEP_STATUSES);

/** A JSON object (checked by lib/workflows/definition.ts before it is stored). */
const jsonObject = v.record(v.string(), v.any());

export const retryPolicyValidator = v.object({ maxAttempts: v.number(), initialDelayMs: v.number() });

export const workflowTriggerValidator = v.union(
  v.object({ kind: v.literal("manual"), sampleInput: jsonObject }),
  v.object({ kind: v.literal("schedule"), everyMinutes: v.number(), input: jsonObject }),
  v.object({
    kind: v.literal("event"),
    /** An exact type or a prefix ending in `.*` (lib/workflows/event-trigger.ts); the workflows index looks it up. */
    eventType: v.string(),
    filters: v.array(v.object({ path: v.string(), equals: v.union(v.string(), v.number(), v.boolean(), v.null()) })),
    sampleEvent: jsonObject,
  }),
);

export const workflowStepValidator = v.object({
  key: v.string(),
  name: v.string(),
  actionId: v.string(),
  /** The input template (lib/templates.ts). */
  input: jsonObject,
  retry: retryPolicyValidator,
});

export const workflowFields = {
  orgId: v.id("organizations"),
  name: v.string(),
  description: v.optional(v.string()),
  trigger: workflowTriggerValidator,
  steps: v.array(workflowStepValidator),
  /** Off: no run starts, by hand, on schedule or for an event. */
  enabled: v.boolean(),
  createdBy: v.id("users"),
  updatedAt: v.number(),
  /** The pending `schedule.fire` job of an enabled schedule trigger; replaced on every change. */
  scheduleJobId: v.optional(v.id("_scheduled_functions")),
  /** When that job fires. */
  nextRunAt: v.optional(v.number()),
  /**
   * The newest run in a line, written when it starts and when it ends (not at each step),
   * so the workflow list reads no run documents and is not re-run by every step.
   */
  lastRun: v.optional(
    v.object({ runId: v.id("workflowRuns"), status: runStatusValidator, createdAt: v.number(), finishedAt: v.optional(v.number()) }),
  ),
};

/** One step of a run: its definition as the run started with it (lib/workflows/run.ts `RunStep`), and what happened. */
export const runStepValidator = v.object({
  key: v.string(),
  name: v.string(),
  actionId: v.string(),
  inputTemplate: jsonObject,
  retry: retryPolicyValidator,
  status: stepStatusValidator,
  attempts: v.number(),
  /** The last attempt's resolved input, redacted and cut (lib/workflows/redact.ts). */
  input: v.optional(v.any()),
  /** As the action gave it, or `{ truncated: true }` with a note when it was too large to keep. */
  output: v.optional(v.any()),
  note: v.optional(v.string()),
  error: v.optional(actionErrorValidator),
  correlationId: v.optional(v.string()),
  startedAt: v.optional(v.number()),
  finishedAt: v.optional(v.number()),
  nextAttemptAt: v.optional(v.number()),
});

export const workflowRunFields = {
  orgId: v.id("organizations"),
  workflowId: v.id("workflows"),
  /** The workflow's name when the run started. */
  workflowName: v.string(),
  status: runStatusValidator,
  trigger: v.object({ kind: literals(...TRIGGER_KINDS), input: jsonObject }),
  /** Who started it: a person, or Switchboard for a schedule or an event. */
  actor: actorValidator,
  steps: v.array(runStepValidator),
  /** The step being run, or the last one run. */
  currentStep: v.number(),
  /** The job that will carry the run on (the current step's attempt), while there is one. */
  jobId: v.optional(v.id("_scheduled_functions")),
  createdAt: v.number(),
  finishedAt: v.optional(v.number()),
};

export type RunStepDoc = Infer<typeof runStepValidator>;
