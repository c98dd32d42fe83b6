import { describe, expect, test } from "vitest";
import { z } from "zod";
import type { AnyAction } from "../actions/define";
import { getAction } from "../actions/catalog";
import {
  checkDefinition,
  DEFINITION_MAX_BYTES,
  referenceProblem,
  templateProblems,
  type DefinitionCheck,
  type WorkflowDefinitionInput,
} from "./definition";

const post = { key: "post", name: "Post", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "{{trigger.title}}" } };
const reply = {
  key: "reply",
  name: "Reply",
  actionId: "slack.reply_in_thread",
  input: { channel: "C0GENERAL", threadTs: "{{steps.post.output.ts}}", text: "Thread for {{trigger.title}}" },
};

function definition(overrides: Partial<WorkflowDefinitionInput> = {}): WorkflowDefinitionInput {
  return { name: "Deploy notice", trigger: { kind: "manual", sampleInput: { title: "v1.2" } }, steps: [post, reply], ...overrides };
}

function fields(check: DefinitionCheck): Record<string, string> {
  if (check.ok) throw new Error("expected the definition to be refused");
  return check.fields;
}

/** The fields a definition is refused at, for one change to a valid one. */
const refusedAt = (raw: unknown) => fields(checkDefinition(raw));

describe("checkDefinition: what is accepted", () => {
  test("a valid definition comes back trimmed, with default retry policies and sample input", () => {
    const check = checkDefinition({ ...definition(), name: "  Deploy notice ", description: " Tells #general ", trigger: { kind: "manual" } });
    expect(check).toEqual({
      ok: true,
      definition: {
        name: "Deploy notice",
        description: "Tells #general",
        trigger: { kind: "manual", sampleInput: {} },
        steps: [
          { ...post, retry: { maxAttempts: 3, initialDelayMs: 5000 } },
          { ...reply, retry: { maxAttempts: 3, initialDelayMs: 5000 } },
        ],
      },
    });
  });

  test("a schedule trigger keeps its interval and input; a partial retry policy gets the other default", () => {
    const check = checkDefinition(
      definition({ trigger: { kind: "schedule", everyMinutes: 60 }, steps: [{ ...post, retry: { maxAttempts: 5 } }] }),
    );
    expect(check.ok && check.definition.trigger).toEqual({ kind: "schedule", everyMinutes: 60, input: {} });
    expect(check.ok && check.definition.steps[0]!.retry).toEqual({ maxAttempts: 5, initialDelayMs: 5000 });
  });

  test("an event trigger keeps its type (trimmed) and filters; filters and the sample event have defaults", () => {
    const filters = [
      { path: "issue.state", equals: "open" },
      { path: "issue.labels.0.name", equals: "bug" },
      { path: "issue.number", equals: 7 },
      { path: "issue.locked", equals: false },
      { path: "issue.milestone", equals: null },
    ];
    const sampleEvent = { type: "github.issues.opened", payload: { issue: { title: "Crash" } } };
    const full = checkDefinition(definition({ trigger: { kind: "event", eventType: " github.issues.opened ", filters, sampleEvent } }));
    expect(full.ok && full.definition.trigger).toEqual({ kind: "event", eventType: "github.issues.opened", filters, sampleEvent });
    const bare = checkDefinition(definition({ trigger: { kind: "event", eventType: "github.*" } }));
    expect(bare.ok && bare.definition.trigger).toEqual({
      kind: "event",
      eventType: "github.*",
      filters: [],
      sampleEvent: {
        eventId: "evt_example",
        type: "github.issues.opened",
        providerId: "github",
        connectionId: null,
        receivedAt: 0,
        payload: { action: "opened", issue: { number: 1, title: "Example issue", state: "open", labels: [{ name: "bug" }] } },
      },
    });
    for (const eventType of ["slack.message", "slack.app_uninstalled", "linear.Issue.create", "webhook.invoice:paid", "github.issues.*", "a".repeat(200)]) {
      expect(checkDefinition(definition({ trigger: { kind: "event", eventType } })).ok, eventType).toBe(true);
    }
    expect(checkDefinition(definition({ trigger: { kind: "event", eventType: "x", filters: Array.from({ length: 10 }, () => ({ path: "a", equals: 1 })) } })).ok).toBe(true);
    // The payload is read as {{trigger.payload.<path>}}, like any trigger field.
    const step = { ...post, input: { channel: "C0GENERAL", text: "New: {{trigger.payload.issue.title}} ({{trigger.type}}, {{trigger.payload.issue.labels.0.name}})" } };
    expect(checkDefinition(definition({ trigger: { kind: "event", eventType: "github.issues.opened" }, steps: [step] })).ok).toBe(true);
  });

  test("bounds are inclusive", () => {
    const at = (extra: Partial<WorkflowDefinitionInput>) => checkDefinition(definition(extra)).ok;
    expect(at({ name: "n".repeat(100), description: "d".repeat(1000) })).toBe(true);
    expect(at({ trigger: { kind: "schedule", everyMinutes: 5, input: {} } })).toBe(true);
    expect(at({ trigger: { kind: "schedule", everyMinutes: 10_080, input: {} } })).toBe(true);
    expect(at({ steps: [{ ...post, key: "a", name: "n".repeat(100), retry: { maxAttempts: 1, initialDelayMs: 1000 } }] })).toBe(true);
    expect(at({ steps: [{ ...post, key: `a${"_9".repeat(19)}z`, retry: { maxAttempts: 10, initialDelayMs: 3_600_000 } }] })).toBe(true);
    expect(at({ steps: Array.from({ length: 20 }, (_, i) => ({ ...post, key: `s${i}` })) })).toBe(true);
  });

  test("trigger fields are free-form: any trigger.* reference is allowed", () => {
    expect(checkDefinition(definition({ steps: [{ ...post, input: { channel: "{{trigger.where.0}}", text: "{{trigger}}" } }] })).ok).toBe(true);
  });
});

describe("checkDefinition: shape and bounds", () => {
  test("names and descriptions", () => {
    expect(refusedAt(definition({ name: "   " }))).toEqual({ name: "Give it a name." });
    expect(refusedAt(definition({ name: "n".repeat(101) }))).toEqual({ name: "Name is at most 100 characters." });
    expect(refusedAt({ ...definition(), name: 7 })).toEqual({ name: "Name must be text." });
    expect(refusedAt(definition({ description: "d".repeat(1001) }))).toEqual({ description: "The description is at most 1000 characters." });
    expect(refusedAt({ ...definition(), description: 1 })).toEqual({ description: "The description is text." });
  });

  test("triggers", () => {
    const kinds = 'The trigger is { kind: "manual" }, { kind: "schedule" } or { kind: "event" }.';
    expect(refusedAt({ ...definition(), trigger: { kind: "webhook" } })).toEqual({ "trigger.kind": kinds });
    expect(refusedAt({ ...definition(), trigger: undefined })).toEqual({ trigger: kinds });
    const every = (everyMinutes: unknown) => refusedAt({ ...definition(), trigger: { kind: "schedule", everyMinutes } })["trigger.everyMinutes"];
    expect(every(4)).toBe("Runs are at least 5 minutes apart.");
    expect(every(10_081)).toBe("Runs are at most a week (10,080 minutes) apart.");
    expect(every(7.5)).toBe("Minutes are a whole number.");
    expect(every(undefined)).toBe("Say how many minutes apart runs are.");
    expect(refusedAt({ ...definition(), trigger: { kind: "manual", sampleInput: [1] } })).toEqual({
      "trigger.sampleInput": "The sample input must be a JSON object.",
    });
    expect(refusedAt({ ...definition(), trigger: { kind: "schedule", everyMinutes: 5, input: "x" } })).toEqual({
      "trigger.input": "The input must be a JSON object.",
    });
  });

  test("event triggers: the type, the filters and the sample event", () => {
    const event = (trigger: Record<string, unknown>) => refusedAt({ ...definition(), trigger: { kind: "event", eventType: "github.issues.opened", ...trigger } });
    const typeMessage =
      "An event type is names separated by dots (github.issues.opened), or ends in .* for every type under it (github.*); names have letters, digits, _ : and - only.";
    for (const eventType of ["*", "github.", "github..push", "github.*.opened", "github.is*", "git hub.push", "github/push"]) {
      expect(event({ eventType }), eventType).toEqual({ "trigger.eventType": typeMessage });
    }
    expect(event({ eventType: "  " })).toEqual({ "trigger.eventType": "Name the event type, like github.issues.opened." });
    expect(event({ eventType: `github.${"x".repeat(194)}` })).toEqual({ "trigger.eventType": "The event type is at most 200 characters." });
    expect(event({ eventType: 7 })).toEqual({ "trigger.eventType": "The event type is text." });
    expect(event({ eventType: undefined })).toEqual({ "trigger.eventType": "The event type is text." });
    expect(event({ filters: "issue.state" })).toEqual({ "trigger.filters": "Filters are a list." });
    expect(event({ filters: Array.from({ length: 11 }, () => ({ path: "a", equals: 1 })) })).toEqual({ "trigger.filters": "A trigger has at most 10 filters." });
    expect(event({ filters: [{ path: "issue.state", equals: "open" }, { path: "issue..state", equals: "open" }] })).toEqual({
      "trigger.filters.1.path": "A path is names and list indexes separated by dots, like issue.labels.0.name.",
    });
    expect(event({ filters: [{ path: "issue.labels[0]", equals: "x" }] })).toEqual({
      "trigger.filters.0.path": "A path is names and list indexes separated by dots, like issue.labels.0.name.",
    });
    expect(event({ filters: [{ path: " ", equals: "x" }] })).toEqual({ "trigger.filters.0.path": "Say where in the payload, like issue.state." });
    expect(event({ filters: [{ path: "a".repeat(201), equals: "x" }] })).toEqual({ "trigger.filters.0.path": "A filter's path is at most 200 characters." });
    expect(event({ filters: [{ equals: "x" }] })).toEqual({ "trigger.filters.0.path": "A filter's path is text." });
    const valueMessage = "A filter's value is text, a number, true, false or null.";
    for (const equals of [undefined, ["bug"], { name: "bug" }]) expect(event({ filters: [{ path: "a", equals }] }), JSON.stringify(equals)).toEqual({ "trigger.filters.0.equals": valueMessage });
    expect(event({ sampleEvent: [1] })).toEqual({ "trigger.sampleEvent": "The sample event must be a JSON object." });
    expect(event({ sampleEvent: { payload: { $ref: 1 } } })).toEqual({ "trigger.sampleEvent.payload.$ref": "The field name $ref cannot start with $." });
  });

  test("inputs Convex could not store are refused where they are", () => {
    expect(refusedAt({ ...definition(), trigger: { kind: "manual", sampleInput: { a: { $ref: 1 } } } })).toEqual({
      "trigger.sampleInput.a.$ref": "The field name $ref cannot start with $.",
    });
    expect(refusedAt(definition({ steps: [{ ...post, input: { channel: "C1", text: "x", "Título": "y" } }] }))).toEqual({
      "steps.0.input.Título": "The field name Título may only have printable ASCII characters.",
    });
  });

  test("steps: how many, and each one's key, name, action, input and retry policy", () => {
    expect(refusedAt(definition({ steps: [] }))).toEqual({ steps: "A workflow has at least one step." });
    expect(refusedAt(definition({ steps: Array.from({ length: 21 }, (_, i) => ({ ...post, key: `s${i}` })) }))).toEqual({
      steps: "A workflow has at most 20 steps.",
    });
    expect(refusedAt({ ...definition(), steps: "post" })).toEqual({ steps: "Steps are a list." });
    const one = (step: Record<string, unknown>) => refusedAt(definition({ steps: [{ ...post, ...step } as never] }));
    const keyMessage = "A key is a lowercase letter, then up to 39 lowercase letters, digits or _ (post_message).";
    for (const key of ["Post", "1post", "_post", "post-it", "a".repeat(41), ""]) expect(one({ key }), key).toEqual({ "steps.0.key": keyMessage });
    expect(one({ key: 3 })).toEqual({ "steps.0.key": "A step's key is text." });
    expect(one({ name: "" })).toEqual({ "steps.0.name": "Give it a name." });
    expect(one({ name: "n".repeat(101) })).toEqual({ "steps.0.name": "Name is at most 100 characters." });
    expect(one({ actionId: "slack.launch_rocket" })).toEqual({ "steps.0.actionId": 'There is no action called "slack.launch_rocket".' });
    expect(one({ actionId: "slack.list_channels" })).toEqual({ "steps.0.actionId": '"slack.list_channels" lists options for a form; it cannot be a step.' });
    expect(one({ actionId: undefined })).toEqual({ "steps.0.actionId": "Choose an action." });
    expect(one({ input: ["x"] })).toEqual({ "steps.0.input": "A step's input must be a JSON object." });
    const retry = (policy: Record<string, unknown>) => one({ retry: policy });
    expect(retry({ maxAttempts: 0 })).toEqual({ "steps.0.retry.maxAttempts": "A step is tried at least once." });
    expect(retry({ maxAttempts: 11 })).toEqual({ "steps.0.retry.maxAttempts": "A step is tried at most 10 times." });
    expect(retry({ maxAttempts: 2.5 })).toEqual({ "steps.0.retry.maxAttempts": "Attempts are a whole number." });
    expect(retry({ maxAttempts: "3" })).toEqual({ "steps.0.retry.maxAttempts": "Attempts are a number." });
    expect(retry({ initialDelayMs: 999 })).toEqual({ "steps.0.retry.initialDelayMs": "The first retry waits at least a second." });
    expect(retry({ initialDelayMs: 3_600_001 })).toEqual({ "steps.0.retry.initialDelayMs": "The first retry waits at most an hour." });
    expect(retry({ initialDelayMs: 1500.5 })).toEqual({ "steps.0.retry.initialDelayMs": "The delay is a whole number of milliseconds." });
    expect(retry({ initialDelayMs: null })).toEqual({ "steps.0.retry.initialDelayMs": "The delay is a number of milliseconds." });
  });

  test("keys are unique", () => {
    expect(refusedAt(definition({ steps: [post, { ...reply, key: "post" }] }))).toEqual({ "steps.1.key": "Another step is already called post." });
  });

  test("several problems are all named, and the message lists where", () => {
    const check = checkDefinition({ ...definition(), name: "", steps: [{ ...post, key: "X" }] });
    expect(check).toEqual({
      ok: false,
      message: "The workflow is not valid: check name, steps.0.key.",
      fields: { name: "Give it a name.", "steps.0.key": expect.any(String) },
    });
  });

  test("a definition over 64 KB, or not JSON at all, is refused as a whole", () => {
    const big = definition({ steps: [{ ...post, input: { channel: "C1", text: "x".repeat(DEFINITION_MAX_BYTES) } }] });
    expect(checkDefinition(big)).toEqual({
      ok: false,
      message: "The workflow is not valid: check (the workflow).",
      fields: { "": "The workflow is larger than 64 KB; shorten its inputs." },
    });
    // Just under the limit, counted in bytes of UTF-8 (é is two).
    const text = "é".repeat((DEFINITION_MAX_BYTES - 400) / 2);
    expect(checkDefinition(definition({ steps: [{ ...post, input: { channel: "C1", text } }] })).ok).toBe(true);
    const tooManyBytes = "é".repeat(DEFINITION_MAX_BYTES / 2);
    expect(refusedAt(definition({ steps: [{ ...post, input: { channel: "C1", text: tooManyBytes } }] }))).toHaveProperty([""]);
    // Exactly the limit is still accepted.
    const exact = (length: number) => definition({ steps: [{ ...post, input: { channel: "C1", text: "x".repeat(length) } }] });
    const fill = DEFINITION_MAX_BYTES - new TextEncoder().encode(JSON.stringify(exact(0))).length;
    expect(new TextEncoder().encode(JSON.stringify(exact(fill))).length).toBe(DEFINITION_MAX_BYTES);
    expect(checkDefinition(exact(fill)).ok).toBe(true);
    expect(checkDefinition(exact(fill + 1)).ok).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(refusedAt(cyclic)).toEqual({ "": "The workflow must be JSON." });
    expect(refusedAt(undefined)).toEqual({ "": "The workflow must be JSON." });
    expect(refusedAt({ ...definition(), n: 1n })).toEqual({ "": "The workflow must be JSON." });
  });
});

describe("checkDefinition: references", () => {
  test("a reference to a later step, to the step itself, or to no step is named where it is", () => {
    const later = definition({
      steps: [{ ...post, input: { channel: "C1", text: "{{steps.later.output.ts}}" } }, { ...reply, key: "later" }],
    });
    expect(refusedAt(later)).toEqual({ "steps.0.input.text": "Nothing earlier is called steps.later" });
    const self = definition({ steps: [{ ...post, input: { channel: "C1", text: "{{steps.post.output.ts}}" } }] });
    expect(refusedAt(self)).toEqual({ "steps.0.input.text": "Nothing earlier is called steps.post" });
    const nested = definition({ steps: [post, { ...reply, input: { ...reply.input, blocks: [{ text: "{{steps.nope.output}}" }] } }] });
    expect(refusedAt(nested)).toEqual({ "steps.1.input.blocks.0.text": "Nothing earlier is called steps.nope" });
  });

  test("references an earlier step's output schema does not have", () => {
    const step2 = (threadTs: string) => definition({ steps: [post, { ...reply, input: { ...reply.input, threadTs } }] });
    expect(refusedAt(step2("{{steps.post.output.tss}}"))).toEqual({ "steps.1.input.threadTs": "steps.post.output has no tss; it has channel, ts." });
    expect(refusedAt(step2("{{steps.post.output.ts.length}}"))).toEqual({
      "steps.1.input.threadTs": "steps.post.output.ts is a single value; it has no length.",
    });
    expect(refusedAt(step2("{{steps.post.ts}}"))).toEqual({ "steps.1.input.threadTs": "A step gives its result as steps.post.output." });
    expect(refusedAt(step2("{{steps}}"))).toEqual({ "steps.1.input.threadTs": "Name the step: steps.<key>.output." });
    expect(refusedAt(step2("{{input.ts}}"))).toEqual({ "steps.1.input.threadTs": "Nothing is called input.ts: a reference starts with trigger. or steps." });
    expect(refusedAt(step2("{{ steps.post.output | first }}"))).toEqual({
      "steps.1.input.threadTs": "A reference looks like {{trigger.title}}: names and dots only.",
    });
    expect(checkDefinition(step2("{{steps.post.output}}")).ok).toBe(true);
    // The first problem of a string is the one named.
    expect(refusedAt(step2("{{steps.post.output.ts}} {{steps.post.output.x}} {{steps.zz.output}}"))).toEqual({
      "steps.1.input.threadTs": "steps.post.output has no x; it has channel, ts.",
    });
  });

  test("templates nested deeper than rendering allows are refused", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 32; i++) deep = [deep];
    const path = `steps.0.input.text${".0".repeat(32)}`;
    expect(refusedAt(definition({ steps: [{ ...post, input: { channel: "C1", text: deep as never } }] }))).toEqual({
      [path]: "The template nests too deeply.",
    });
    let fine: unknown = "x";
    for (let i = 0; i < 31; i++) fine = [fine];
    expect(checkDefinition(definition({ steps: [{ ...post, input: { channel: "C1", text: fine as never } }] })).ok).toBe(true);
  });
});

describe("templateProblems", () => {
  test("lists every string at fault with where it is, the first problem of each, and nothing for other values", () => {
    const earlier = new Map<string, AnyAction | undefined>([["post", getAction("slack.post_message")]]);
    expect(
      templateProblems(
        { a: "{{steps.x.output}}", b: [1, true, null, "{{steps.post.output.nope}}"], c: { d: "{{}}" }, ok: "{{steps.post.output.ts}}" },
        earlier,
      ),
    ).toEqual([
      { at: "a", message: "Nothing earlier is called steps.x" },
      { at: "b.3", message: "steps.post.output has no nope; it has channel, ts." },
      { at: "c.d", message: "A reference looks like {{trigger.title}}: names and dots only." },
    ]);
    expect(templateProblems("{{steps.a.output}}", new Map())).toEqual([{ at: "", message: "Nothing earlier is called steps.a" }]);
    expect(templateProblems(["{{steps.a.output}}"], new Map())).toEqual([{ at: "0", message: "Nothing earlier is called steps.a" }]);
    expect(templateProblems(7, new Map())).toEqual([]);
  });
});

describe("referenceProblem against output schemas", () => {
  const action = (output: z.ZodType) => ({ output }) as unknown as AnyAction;
  const check = (reference: string, output: z.ZodType) => referenceProblem(reference, new Map([["s", action(output)]]));

  test("objects: a key in the shape, or any key when they keep unknown ones", () => {
    const shape = z.object({ id: z.string(), user: z.object({ login: z.string() }).optional() });
    expect(check("steps.s.output.id", shape)).toBeNull();
    expect(check("steps.s.output.user.login", shape)).toBeNull();
    expect(check("steps.s.output.user.name", shape)).toBe("steps.s.output.user has no name; it has login.");
    expect(check("steps.s.output.x", z.object({}))).toBe("steps.s.output has no x; it has nothing.");
    expect(check("steps.s.output.x.y", z.looseObject({ id: z.string() }))).toBeNull();
    expect(check("steps.s.output.x", z.strictObject({ id: z.string() }))).toBe("steps.s.output has no x; it has id.");
    expect(check("steps.s.output.x", z.object({ id: z.string() }).catchall(z.number()))).toBeNull();
    expect(check("steps.s.output.x.y", z.object({ id: z.string() }).catchall(z.number()))).toBe("steps.s.output.x is a single value; it has no y.");
  });

  test("lists take indexes; wrappers and pipes are seen through; what cannot tell allows anything", () => {
    const list = z.object({ items: z.array(z.object({ id: z.number() })) });
    expect(check("steps.s.output.items.0.id", list)).toBeNull();
    expect(check("steps.s.output.items.first", list)).toBe("steps.s.output.items is a list: use a number, like steps.s.output.items.0.");
    expect(check("steps.s.output.items.10.id", list)).toBeNull();
    for (const index of ["1x", "x1", "-1"]) expect(check(`steps.s.output.items.${index}`, list), index).toMatch(/is a list/);
    expect(check("steps.s.output.items.1.name", list)).toBe("steps.s.output.items.1 has no name; it has id.");
    expect(check("steps.s.output.a.b", z.object({ a: z.object({ b: z.string() }).nullable().default(null) }))).toBeNull();
    expect(check("steps.s.output.a.c", z.object({ a: z.object({ b: z.string() }).nullable().readonly() }))).toBe("steps.s.output.a has no c; it has b.");
    expect(check("steps.s.output.n.x", z.object({ n: z.string().pipe(z.coerce.number()) }))).toBe("steps.s.output.n is a single value; it has no x.");
    expect(check("steps.s.output.any.thing", z.record(z.string(), z.string()))).toBeNull();
    expect(check("steps.s.output.a.b", z.union([z.object({ a: z.string() }), z.object({ c: z.string() })]))).toBeNull();
    expect(check("steps.s.output.a.b.c", z.object({ a: z.unknown() }))).toBeNull();
    expect(check("steps.s.output.x", z.object({ t: z.string() }).transform((o) => o.t))).toBeNull();
    for (const leaf of [z.string(), z.number(), z.boolean(), z.literal(true), z.enum(["a"]), z.null(), z.bigint(), z.date()]) {
      expect(check("steps.s.output.x", leaf)).toBe("steps.s.output is a single value; it has no x.");
    }
  });

  test("an earlier step whose action is unknown cannot be checked further, so it is allowed", () => {
    expect(referenceProblem("steps.s.output.anything", new Map([["s", undefined]]))).toBeNull();
  });
});
