/**
 * What a workflow is: a trigger (run by hand with a sample input, on a schedule with a
 * fixed input, or when an inbound event of a type arrives: ./event-trigger.ts) and 1–20
 * steps, each one provider action from the catalog with an input template
 * (lib/templates.ts) and a retry policy. `checkDefinition` checks one
 * as the editor and the API send it and answers per-field messages at dot paths
 * (`steps.1.input.text`), including references a run could never fill in: a step may
 * use `{{trigger.<anything>}}` (the trigger's input is free-form) and the outputs of
 * steps before it, `{{steps.<earlier key>.output.<path>}}`, as far as that action's
 * output schema says such a path exists.
 */
import { z } from "zod";
import { fieldMessages } from "../actions/errors";
import { getAction } from "../actions/catalog";
import type { AnyAction } from "../actions/define";
import { hasMalformedReference, templateReferences, TEMPLATE_MAX_DEPTH } from "../templates";
import { EVENT_FILTERS_MAX, EVENT_TYPE_MAX, EVENT_TYPE_PATTERN, FILTER_PATH, FILTER_PATH_MAX, exampleEvent } from "./event-trigger";
import { storableProblem } from "./json";

export const WORKFLOW_NAME_MAX = 100;
export const WORKFLOW_DESCRIPTION_MAX = 1000;
export const STEP_NAME_MAX = 100;
export const WORKFLOW_STEPS_MAX = 20;
/** A step's key: how later steps name its output (`steps.<key>.output`). */
export const STEP_KEY = /^[a-z][a-z0-9_]{0,39}$/;
export const SCHEDULE_MINUTES_MIN = 5;
/** A week. */
export const SCHEDULE_MINUTES_MAX = 10_080;
export const RETRY_ATTEMPTS_MIN = 1;
export const RETRY_ATTEMPTS_MAX = 10;
export const RETRY_ATTEMPTS_DEFAULT = 3;
export const RETRY_DELAY_MIN_MS = 1_000;
export const RETRY_DELAY_MAX_MS = 3_600_000;
export const RETRY_DELAY_DEFAULT_MS = 5_000;
/**
 * The largest definition, as JSON. A run keeps a copy of its steps next to their
 * inputs and outputs, and the whole run must fit in one 1 MB document.
 */
export const DEFINITION_MAX_BYTES = 64 * 1024;

/** A JSON object Convex can store (field names printable ASCII, not starting with `$`). */
const jsonObject = (what: string) =>
  z
    .record(z.string(), z.json(), { error: `${what} must be a JSON object.` })
    .superRefine((value, ctx) => {
      const problem = storableProblem(value);
      // Never the root: the value is an object, so a problem is always inside it.
      if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: problem.at.split(".") });
    });

const trimmed = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .min(1, { error: `Give it a ${label.toLowerCase()}.` })
    .max(max, { error: `${label} is at most ${max} characters.` });

/** A condition on an event's payload: the value at a dot path is exactly this scalar. */
const eventFilterSchema = z.object({
  path: z
    .string({ error: "A filter's path is text." })
    .trim()
    .min(1, { error: "Say where in the payload, like issue.state." })
    .max(FILTER_PATH_MAX, { error: `A filter's path is at most ${FILTER_PATH_MAX} characters.` })
    .regex(FILTER_PATH, { error: "A path is names and list indexes separated by dots, like issue.labels.0.name." }),
  equals: z.union([z.string(), z.number(), z.boolean(), z.null()], { error: "A filter's value is text, a number, true, false or null." }),
});

const triggerSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("manual"),
      /** What a run started by hand gets when no input is given, and what Test step uses. */
      sampleInput: jsonObject("The sample input").default({}),
    }),
    z.object({
      kind: z.literal("schedule"),
      everyMinutes: z
        .number({ error: "Say how many minutes apart runs are." })
        .int({ error: "Minutes are a whole number." })
        .min(SCHEDULE_MINUTES_MIN, { error: `Runs are at least ${SCHEDULE_MINUTES_MIN} minutes apart.` })
        .max(SCHEDULE_MINUTES_MAX, { error: "Runs are at most a week (10,080 minutes) apart." }),
      /** The input every scheduled run gets. */
      input: jsonObject("The input").default({}),
    }),
    z.object({
      kind: z.literal("event"),
      eventType: z
        .string({ error: "The event type is text." })
        .trim()
        .min(1, { error: "Name the event type, like github.issues.opened." })
        .max(EVENT_TYPE_MAX, { error: `The event type is at most ${EVENT_TYPE_MAX} characters.` })
        .regex(EVENT_TYPE_PATTERN, {
          error: "An event type is names separated by dots (github.issues.opened), or ends in .* for every type under it (github.*); names have letters, digits, _ : and - only.",
        }),
      /** All must match the payload for a run to start. */
      filters: z
        .array(eventFilterSchema, { error: "Filters are a list." })
        .max(EVENT_FILTERS_MAX, { error: `A trigger has at most ${EVENT_FILTERS_MAX} filters.` })
        .default([]),
      /** The trigger data a run started by hand gets when no input is given, and what Test step uses. */
      sampleEvent: jsonObject("The sample event").default(exampleEvent),
    }),
  ],
  { error: 'The trigger is { kind: "manual" }, { kind: "schedule" } or { kind: "event" }.' },
);

const retrySchema = z.object({
  maxAttempts: z
    .number({ error: "Attempts are a number." })
    .int({ error: "Attempts are a whole number." })
    .min(RETRY_ATTEMPTS_MIN, { error: "A step is tried at least once." })
    .max(RETRY_ATTEMPTS_MAX, { error: `A step is tried at most ${RETRY_ATTEMPTS_MAX} times.` })
    .default(RETRY_ATTEMPTS_DEFAULT),
  initialDelayMs: z
    .number({ error: "The delay is a number of milliseconds." })
    .int({ error: "The delay is a whole number of milliseconds." })
    .min(RETRY_DELAY_MIN_MS, { error: "The first retry waits at least a second." })
    .max(RETRY_DELAY_MAX_MS, { error: "The first retry waits at most an hour." })
    .default(RETRY_DELAY_DEFAULT_MS),
});

const stepSchema = z.object({
  key: z.string({ error: "A step's key is text." }).regex(STEP_KEY, {
    error: "A key is a lowercase letter, then up to 39 lowercase letters, digits or _ (post_message).",
  }),
  name: trimmed("Name", STEP_NAME_MAX),
  actionId: z.string({ error: "Choose an action." }).superRefine((id, ctx) => {
    const problem = actionProblem(id);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  input: jsonObject("A step's input"),
  retry: retrySchema.default({ maxAttempts: RETRY_ATTEMPTS_DEFAULT, initialDelayMs: RETRY_DELAY_DEFAULT_MS }),
});

const stepsSchema = z
  .array(stepSchema, { error: "Steps are a list." })
  .min(1, { error: "A workflow has at least one step." })
  .max(WORKFLOW_STEPS_MAX, { error: `A workflow has at most ${WORKFLOW_STEPS_MAX} steps.` })
  .superRefine((steps, ctx) => {
    for (const problem of stepProblems(steps)) ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
  });

export const workflowDefinitionSchema = z.object({
  name: trimmed("Name", WORKFLOW_NAME_MAX),
  description: z
    .string({ error: "The description is text." })
    .trim()
    .max(WORKFLOW_DESCRIPTION_MAX, { error: `The description is at most ${WORKFLOW_DESCRIPTION_MAX} characters.` })
    .optional(),
  trigger: triggerSchema,
  steps: stepsSchema,
});

/** A checked definition, defaults filled in. */
export type WorkflowDefinition = z.output<typeof workflowDefinitionSchema>;
/** A definition as an editor or API caller writes it (retry policies and sample inputs may be left out). */
export type WorkflowDefinitionInput = z.input<typeof workflowDefinitionSchema>;
export type WorkflowStep = WorkflowDefinition["steps"][number];
export type WorkflowTrigger = WorkflowDefinition["trigger"];
export type RetryPolicy = WorkflowStep["retry"];

/** Why an action id cannot be a step, or null. */
function actionProblem(id: string): string | null {
  const action = getAction(id);
  if (!action) return `There is no action called "${id}".`;
  if (action.kind !== "operation") return `"${id}" lists options for a form; it cannot be a step.`;
  return null;
}

type Problem = { path: (string | number)[]; message: string };

/** Keys used twice, and references no run could fill in. */
function stepProblems(steps: readonly WorkflowStep[]): Problem[] {
  const problems: Problem[] = [];
  const earlier = new Map<string, AnyAction | undefined>();
  for (const [index, step] of steps.entries()) {
    if (earlier.has(step.key)) problems.push({ path: [index, "key"], message: `Another step is already called ${step.key}.` });
    // The input is an object, so a problem is always inside it (`at` is never the root).
    for (const { at, message } of templateProblems(step.input, earlier)) problems.push({ path: [index, "input", ...at.split(".")], message });
    earlier.set(step.key, getAction(step.actionId));
  }
  return problems;
}

/**
 * Every string of a step's input template whose references a run could not fill in,
 * with where it is (`text`, `blocks.0.text`): malformed ones, and names that are not
 * the trigger or an earlier step's output. `earlier` maps earlier steps' keys to their actions.
 */
export function templateProblems(template: unknown, earlier: ReadonlyMap<string, AnyAction | undefined>): Array<{ at: string; message: string }> {
  const problems: Array<{ at: string; message: string }> = [];
  const walk = (value: unknown, at: string, depth: number) => {
    if (depth > TEMPLATE_MAX_DEPTH) {
      problems.push({ at, message: "The template nests too deeply." });
      return;
    }
    if (typeof value === "string") {
      const message = hasMalformedReference(value)
        ? "A reference looks like {{trigger.title}}: names and dots only."
        : templateReferences(value)
            .map((reference) => referenceProblem(reference, earlier))
            .find((problem) => problem !== null);
      if (message) problems.push({ at, message });
    } else if (value !== null && typeof value === "object") {
      // Arrays too: their entries are their indexes.
      for (const [key, item] of Object.entries(value)) walk(item, at === "" ? key : `${at}.${key}`, depth + 1);
    }
  };
  walk(template, "", 0);
  return problems;
}

/**
 * Why a reference cannot be filled in when the step runs after `earlier`, or null.
 * @example referenceProblem("steps.later.output.ts", new Map()) // "Nothing earlier is called steps.later"
 */
export function referenceProblem(reference: string, earlier: ReadonlyMap<string, AnyAction | undefined>): string | null {
  const [root, key, part, ...path] = reference.split(".");
  if (root === "trigger") return null;
  if (root !== "steps") return `Nothing is called ${reference}: a reference starts with trigger. or steps.`;
  if (key === undefined) return "Name the step: steps.<key>.output.";
  if (!earlier.has(key)) return `Nothing earlier is called steps.${key}`;
  if (part !== "output") return `A step gives its result as steps.${key}.output.`;
  const action = earlier.get(key);
  return action ? outputPathProblem(action.output as z.ZodType, path, `steps.${key}.output`) : null;
}

/** The schema a value of `schema` has after `segment`, `undefined` when none can say, or a problem. */
type Walked = { schema: z.ZodType | undefined } | { problem: string };

/** Unwraps what does not change a value's shape: optional, nullable, default, readonly, a pipe's output. */
function unwrap(schema: z.ZodType): z.ZodType {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType; out?: z.ZodType };
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === "pipe") return unwrap(def.out!);
  return schema;
}

const LEAVES = new Set(["string", "number", "boolean", "literal", "enum", "null", "bigint", "date"]);

function step(schema: z.ZodType, segment: string, at: string): Walked {
  const inner = unwrap(schema);
  const def = inner._zod.def as { type: string; shape?: Record<string, z.ZodType>; catchall?: z.ZodType; element?: z.ZodType };
  if (def.type === "object") {
    const shape = def.shape!;
    if (Object.hasOwn(shape, segment)) return { schema: shape[segment] };
    if (def.catchall && def.catchall._zod.def.type !== "never") return { schema: def.catchall };
    return { problem: `${at} has no ${segment}; it has ${Object.keys(shape).join(", ") || "nothing"}.` };
  }
  if (def.type === "array") {
    return /^\d+$/.test(segment) ? { schema: def.element } : { problem: `${at} is a list: use a number, like ${at}.0.` };
  }
  if (LEAVES.has(def.type)) return { problem: `${at} is a single value; it has no ${segment}.` };
  // Records, unions, unknown and the like: any name may be there.
  return { schema: undefined };
}

/** Why an output schema has no value at `path`, or null (also when the schema cannot tell). */
function outputPathProblem(schema: z.ZodType, path: readonly string[], at: string): string | null {
  let current: z.ZodType | undefined = schema;
  let where = at;
  for (const segment of path) {
    if (!current) return null;
    const walked = step(current, segment, where);
    if ("problem" in walked) return walked.problem;
    current = walked.schema;
    where = `${where}.${segment}`;
  }
  return null;
}

export type DefinitionCheck =
  | { ok: true; definition: WorkflowDefinition }
  | { ok: false; message: string; fields: Record<string, string> };

/**
 * Checks a definition as sent: its size, its shape and bounds, its actions, its keys
 * and its references. The failure's `fields` maps dot paths to the first message for each.
 * @example checkDefinition({ name: "", trigger: { kind: "manual" }, steps: [] }) // { ok: false, fields: { name: "Give it a name.", steps: "A workflow has at least one step." }, … }
 */
export function checkDefinition(raw: unknown): DefinitionCheck {
  let text: string | undefined;
  try {
    text = JSON.stringify(raw);
  } catch {
    text = undefined;
  }
  if (text === undefined) return failed({ "": "The workflow must be JSON." });
  if (new TextEncoder().encode(text).length > DEFINITION_MAX_BYTES) {
    return failed({ "": `The workflow is larger than ${DEFINITION_MAX_BYTES / 1024} KB; shorten its inputs.` });
  }
  const parsed = workflowDefinitionSchema.safeParse(raw);
  return parsed.success ? { ok: true, definition: parsed.data } : failed(fieldMessages(parsed.error));
}

function failed(fields: Record<string, string>): DefinitionCheck {
  const names = Object.keys(fields).map((name) => name || "(the workflow)");
  return { ok: false, message: `The workflow is not valid: check ${names.join(", ")}.`, fields };
}
