/**
 * The workflow editor's draft: what the form holds (text as typed), and how it becomes the
 * definition the backend validates (lib/workflows/definition.ts) and back again.
 */
import { formFields, formInput, formValues, outputPaths, type FormValues } from "../actions/form";
import { exampleEvent, filterValueText, parseFilterValue, type EventFilter } from "./event-trigger";

/** An action as the editor needs it (from providerActions/catalog:available). */
export type EditorAction = {
  id: string;
  providerId: string;
  title: string;
  kind: "operation" | "lookup";
  inputSchemaJson: string;
  outputSchemaJson: string;
};

export type StepDraft = {
  /** Stable React key; not saved. */
  uid: string;
  key: string;
  /** True once the person typed a key: it then stops following the action. */
  keyEdited: boolean;
  name: string;
  providerId: string;
  actionId: string;
  values: FormValues;
  maxAttempts: string;
  initialDelaySeconds: string;
};

/** One condition of an event trigger, as typed: the value is read by `parseFilterValue` (`open`, `42`, `"42"`, `true`, `null`). */
export type FilterDraft = { uid: string; path: string; value: string };

export type Draft = {
  name: string;
  description: string;
  triggerKind: "manual" | "schedule" | "event";
  /** JSON object text: the manual trigger's sample input, or the schedule's input. */
  triggerInput: string;
  everyMinutes: string;
  /** The event trigger's type pattern, its filters, and its sample event (JSON object text). */
  eventType: string;
  filters: FilterDraft[];
  sampleEvent: string;
  steps: StepDraft[];
};

export type StepDefinition = {
  key: string;
  name: string;
  actionId: string;
  input: Record<string, unknown>;
  retry: { maxAttempts: number; initialDelayMs: number };
};

export type WorkflowDefinition = {
  name: string;
  description?: string;
  trigger:
    | { kind: "manual"; sampleInput: Record<string, unknown> }
    | { kind: "schedule"; everyMinutes: number; input: Record<string, unknown> }
    | { kind: "event"; eventType: string; filters: EventFilter[]; sampleEvent: Record<string, unknown> };
  steps: StepDefinition[];
};

let uidCounter = 0;
export const newUid = (kind = "step") => `${kind}-${++uidCounter}`;

const exampleEventText = () => JSON.stringify(exampleEvent(), null, 2);

export function emptyDraft(): Draft {
  return {
    name: "",
    description: "",
    triggerKind: "manual",
    triggerInput: '{\n  "title": "Example"\n}',
    everyMinutes: "60",
    eventType: "",
    filters: [],
    sampleEvent: exampleEventText(),
    steps: [],
  };
}

export function newFilter(): FilterDraft {
  return { uid: newUid("filter"), path: "", value: "" };
}

/** A step key from an action id: `github.create_issue` → `create_issue`, unique among `taken`. */
export function stepKeyFor(actionId: string, taken: readonly string[]): string {
  const base = (actionId.split(".")[1] ?? "step").replace(/[^a-z0-9_]/g, "_").slice(0, 36) || "step";
  let key = /^[a-z]/.test(base) ? base : `s_${base}`;
  for (let n = 2; taken.includes(key); n += 1) key = `${base}_${n}`;
  return key;
}

export function newStep(action: EditorAction, taken: readonly string[]): StepDraft {
  return {
    uid: newUid(),
    key: stepKeyFor(action.id, taken),
    keyEdited: false,
    name: action.title,
    providerId: action.providerId,
    actionId: action.id,
    values: {},
    maxAttempts: "3",
    initialDelaySeconds: "5",
  };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export type Built = { ok: true; definition: WorkflowDefinition } | { ok: false; fields: Record<string, string> };

/** The definition to save, or per-field messages (paths as the backend names them: `steps.1.input.text`). */
export function toDefinition(draft: Draft, actions: ReadonlyMap<string, EditorAction>): Built {
  const fields: Record<string, string> = {};
  const triggerInput = parseObject(draft.triggerKind === "event" ? draft.sampleEvent : draft.triggerInput);
  if (!triggerInput) {
    if (draft.triggerKind === "event") fields["trigger.sampleEvent"] = "A JSON object, like the example event (its payload is what steps read).";
    else fields[triggerInputPath(draft.triggerKind)] = 'A JSON object, like { "title": "Example" }.';
  }
  const everyMinutes = Number(draft.everyMinutes);
  if (draft.triggerKind === "schedule" && !Number.isInteger(everyMinutes)) fields["trigger.everyMinutes"] = "A whole number of minutes.";
  const steps: StepDefinition[] = draft.steps.map((step, index) => {
    const action = actions.get(step.actionId);
    let input: Record<string, unknown> = {};
    if (!action) fields[`steps.${index}.actionId`] = "This action is not available: connect its provider.";
    else {
      const read = formInput(formFields(JSON.parse(action.inputSchemaJson)), step.values, { templates: true });
      if (read.ok) input = read.input;
      else for (const [name, message] of Object.entries(read.fields)) fields[`steps.${index}.input.${name}`] = message;
    }
    const maxAttempts = Number(step.maxAttempts);
    const delaySeconds = Number(step.initialDelaySeconds);
    if (!Number.isInteger(maxAttempts)) fields[`steps.${index}.retry.maxAttempts`] = "A whole number.";
    if (!Number.isFinite(delaySeconds)) fields[`steps.${index}.retry.initialDelayMs`] = "A number of seconds.";
    return { key: step.key, name: step.name, actionId: step.actionId, input, retry: { maxAttempts, initialDelayMs: Math.round(delaySeconds * 1000) } };
  });
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  const trigger: WorkflowDefinition["trigger"] =
    draft.triggerKind === "manual"
      ? { kind: "manual", sampleInput: triggerInput! }
      : draft.triggerKind === "schedule"
        ? { kind: "schedule", everyMinutes, input: triggerInput! }
        : {
            kind: "event",
            eventType: draft.eventType.trim(),
            filters: draft.filters.map((filter) => ({ path: filter.path.trim(), equals: parseFilterValue(filter.value) })),
            sampleEvent: triggerInput!,
          };
  return {
    ok: true,
    definition: { name: draft.name.trim(), ...(draft.description.trim() ? { description: draft.description.trim() } : {}), trigger, steps },
  };
}

/** The draft of a saved definition. */
export function fromDefinition(definition: WorkflowDefinition, actions: ReadonlyMap<string, EditorAction>): Draft {
  const trigger = definition.trigger;
  const empty = emptyDraft();
  return {
    name: definition.name,
    description: definition.description ?? "",
    triggerKind: trigger.kind,
    triggerInput: trigger.kind === "manual" ? JSON.stringify(trigger.sampleInput, null, 2) : trigger.kind === "schedule" ? JSON.stringify(trigger.input, null, 2) : empty.triggerInput,
    everyMinutes: trigger.kind === "schedule" ? String(trigger.everyMinutes) : empty.everyMinutes,
    eventType: trigger.kind === "event" ? trigger.eventType : empty.eventType,
    filters: trigger.kind === "event" ? trigger.filters.map((filter) => ({ uid: newUid("filter"), path: filter.path, value: filterValueText(filter.equals) })) : [],
    sampleEvent: trigger.kind === "event" ? JSON.stringify(trigger.sampleEvent, null, 2) : empty.sampleEvent,
    steps: definition.steps.map((step) => {
      const action = actions.get(step.actionId);
      const values = action
        ? formValues(formFields(JSON.parse(action.inputSchemaJson)), step.input)
        : Object.fromEntries(Object.entries(step.input).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
      return {
        uid: newUid(),
        key: step.key,
        keyEdited: true,
        name: step.name,
        providerId: action?.providerId ?? step.actionId.split(".")[0] ?? "",
        actionId: step.actionId,
        values,
        maxAttempts: String(step.retry.maxAttempts),
        initialDelaySeconds: String(step.retry.initialDelayMs / 1000),
      };
    }),
  };
}

/** Where the trigger's JSON (sample input, scheduled input or sample event) is checked: the backend's path. */
export function triggerInputPath(kind: Draft["triggerKind"]): string {
  return kind === "manual" ? "trigger.sampleInput" : kind === "schedule" ? "trigger.input" : "trigger.sampleEvent";
}

/** The paths of a sample value's objects (not into lists), `depth` levels down: `payload`, `payload.issue`, `payload.issue.title`. */
function samplePaths(value: unknown, depth: number): string[] {
  if (depth <= 0 || value === null || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([name, item]) => [name, ...samplePaths(item, depth - 1).map((path) => `${name}.${path}`)]);
}

/** What a step may reference: the trigger's sample fields (an event's down into its payload), and every earlier step's outputs. */
export function referencesFor(draft: Draft, index: number, actions: ReadonlyMap<string, EditorAction>): string[] {
  const refs =
    draft.triggerKind === "event"
      ? samplePaths(parseObject(draft.sampleEvent), 4).map((path) => `trigger.${path}`)
      : Object.keys(parseObject(draft.triggerInput) ?? {}).map((name) => `trigger.${name}`);
  for (const step of draft.steps.slice(0, index)) {
    const action = actions.get(step.actionId);
    if (!action) continue;
    for (const path of outputPaths(JSON.parse(action.outputSchemaJson))) refs.push(`steps.${step.key}.output.${path}`);
  }
  return refs;
}

/** Messages for one step's input fields, out of the whole form's `steps.N.input.<field>` paths. */
export function stepInputErrors(fields: Record<string, string>, index: number): Record<string, string> {
  const prefix = `steps.${index}.input.`;
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([path]) => path.startsWith(prefix))
      .map(([path, message]) => [path.slice(prefix.length).split(".")[0]!, message]),
  );
}
