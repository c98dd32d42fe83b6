import { describe, expect, test } from "vitest";
import { z } from "zod";
import { emptyDraft, fromDefinition, newFilter, newStep, referencesFor, stepInputErrors, stepKeyFor, toDefinition, triggerInputPath, type Draft, type EditorAction } from "./draft";

const action = (id: string, input: z.ZodType, output: z.ZodType): EditorAction => ({
  id,
  providerId: id.split(".")[0]!,
  title: `Title of ${id}`,
  kind: "operation",
  inputSchemaJson: JSON.stringify(z.toJSONSchema(input, { io: "input" })),
  outputSchemaJson: JSON.stringify(z.toJSONSchema(output, { io: "output" })),
});
const createIssue = action("github.create_issue", z.object({ repository: z.string(), title: z.string(), labels: z.array(z.string()).optional() }), z.object({ number: z.number(), url: z.string() }));
const post = action("slack.post_message", z.object({ channel: z.string(), text: z.string(), count: z.number().optional() }), z.object({ ts: z.string(), meta: z.object({ team: z.string() }) }));
const actions = new Map([createIssue, post].map((a) => [a.id, a]));

function draftWith(steps: Draft["steps"], patch: Partial<Draft> = {}): Draft {
  return { ...emptyDraft(), name: " Triage ", triggerInput: '{ "title": "Crash" }', steps, ...patch };
}

describe("step keys", () => {
  test("come from the action's verb, unique among the others", () => {
    expect(stepKeyFor("github.create_issue", [])).toBe("create_issue");
    expect(stepKeyFor("github.create_issue", ["create_issue"])).toBe("create_issue_2");
    expect(stepKeyFor("github.create_issue", ["create_issue", "create_issue_2"])).toBe("create_issue_3");
    expect(stepKeyFor("x.3d_model", [])).toBe("s_3d_model");
    expect(stepKeyFor("nodot", [])).toBe("step");
    expect(stepKeyFor("x.Make-It", [])).toBe("s__ake__t");
  });
  test("a new step takes the action's title and default retry", () => {
    expect(newStep(post, ["post_message"])).toMatchObject({ key: "post_message_2", keyEdited: false, name: "Title of slack.post_message", providerId: "slack", actionId: "slack.post_message", values: {}, maxAttempts: "3", initialDelaySeconds: "5" });
  });
});

describe("toDefinition", () => {
  test("builds the definition: trimmed name, the trigger, inputs from the forms (templates kept), retries in ms", () => {
    const issue = { ...newStep(createIssue, []), values: { repository: "acme/app", title: "{{trigger.title}}", labels: '["crash"]' } };
    const slack = { ...newStep(post, ["create_issue"]), values: { channel: "C1", text: "See {{steps.create_issue.output.url}}", count: "{{steps.create_issue.output.number}}" }, initialDelaySeconds: "1.5" };
    expect(toDefinition(draftWith([issue, slack]), actions)).toEqual({
      ok: true,
      definition: {
        name: "Triage",
        trigger: { kind: "manual", sampleInput: { title: "Crash" } },
        steps: [
          { key: "create_issue", name: "Title of github.create_issue", actionId: "github.create_issue", input: { repository: "acme/app", title: "{{trigger.title}}", labels: ["crash"] }, retry: { maxAttempts: 3, initialDelayMs: 5000 } },
          { key: "post_message", name: "Title of slack.post_message", actionId: "slack.post_message", input: { channel: "C1", text: "See {{steps.create_issue.output.url}}", count: "{{steps.create_issue.output.number}}" }, retry: { maxAttempts: 3, initialDelayMs: 1500 } },
        ],
      },
    });
    expect(toDefinition(draftWith([], { description: "  Why  ", triggerKind: "schedule", everyMinutes: "15" }), actions)).toEqual({
      ok: true,
      definition: { name: "Triage", description: "Why", trigger: { kind: "schedule", everyMinutes: 15, input: { title: "Crash" } }, steps: [] },
    });
  });

  test("says what is wrong, by the paths the backend uses", () => {
    const unknown = { ...newStep(post, []), actionId: "slack.gone" };
    const bad = { ...newStep(createIssue, []), values: { title: "x", labels: "[oops" }, maxAttempts: "two", initialDelaySeconds: "soon" };
    expect(toDefinition(draftWith([unknown, bad], { triggerInput: "[1]" }), actions)).toEqual({
      ok: false,
      fields: {
        "trigger.sampleInput": 'A JSON object, like { "title": "Example" }.',
        "steps.0.actionId": "This action is not available: connect its provider.",
        "steps.1.input.repository": "Repository is required.",
        "steps.1.input.labels": "Labels must be JSON (for example [])." ,
        "steps.1.retry.maxAttempts": "A whole number.",
        "steps.1.retry.initialDelayMs": "A number of seconds.",
      },
    });
    expect(toDefinition(draftWith([], { triggerKind: "schedule", everyMinutes: "often", triggerInput: "nope" }), actions)).toEqual({
      ok: false,
      fields: { "trigger.input": 'A JSON object, like { "title": "Example" }.', "trigger.everyMinutes": "A whole number of minutes." },
    });
  });
});

describe("event triggers in the draft", () => {
  const filter = (path: string, value: string) => ({ ...newFilter(), path, value });
  const sample = { type: "github.issues.opened", payload: { issue: { title: "Crash", labels: [{ name: "bug" }] } } };

  test("the type (trimmed), the filters with their values read as typed, and the sample event", () => {
    const draft = draftWith([], {
      triggerKind: "event",
      eventType: " github.issues.* ",
      filters: [filter(" issue.state ", "open"), filter("issue.number", "42"), filter("issue.locked", "false"), filter("issue.milestone", "null"), filter("issue.title", '"42"')],
      sampleEvent: JSON.stringify(sample),
      triggerInput: "not even JSON: the event trigger does not read it",
    });
    expect(toDefinition(draft, actions)).toEqual({
      ok: true,
      definition: {
        name: "Triage",
        trigger: {
          kind: "event",
          eventType: "github.issues.*",
          filters: [
            { path: "issue.state", equals: "open" },
            { path: "issue.number", equals: 42 },
            { path: "issue.locked", equals: false },
            { path: "issue.milestone", equals: null },
            { path: "issue.title", equals: "42" },
          ],
          sampleEvent: sample,
        },
        steps: [],
      },
    });
  });

  test("a sample event that is not a JSON object is named at the backend's path", () => {
    expect(toDefinition(draftWith([], { triggerKind: "event", eventType: "github.*", sampleEvent: "[]" }), actions)).toEqual({
      ok: false,
      fields: { "trigger.sampleEvent": "A JSON object, like the example event (its payload is what steps read)." },
    });
    expect(triggerInputPath("event")).toBe("trigger.sampleEvent");
    expect(triggerInputPath("manual")).toBe("trigger.sampleInput");
    expect(triggerInputPath("schedule")).toBe("trigger.input");
  });

  test("a new draft has an example sample event; a saved event trigger comes back as typed", () => {
    expect(JSON.parse(emptyDraft().sampleEvent)).toMatchObject({ eventId: "evt_example", type: "github.issues.opened", payload: { issue: { title: "Example issue" } } });
    const filters = [{ path: "issue.state", equals: "open" }, { path: "issue.number", equals: 7 }, { path: "issue.title", equals: "true" }, { path: "x", equals: null }];
    const draft = fromDefinition({ name: "E", trigger: { kind: "event", eventType: "github.issues.opened", filters, sampleEvent: sample }, steps: [] }, actions);
    expect(draft).toMatchObject({ triggerKind: "event", eventType: "github.issues.opened", sampleEvent: JSON.stringify(sample, null, 2), everyMinutes: "60" });
    expect(draft.filters.map(({ path, value }) => [path, value])).toEqual([["issue.state", "open"], ["issue.number", "7"], ["issue.title", '"true"'], ["x", "null"]]);
    expect(new Set(draft.filters.map((f) => f.uid)).size).toBe(4);
    // And back to the same definition.
    expect(toDefinition(draft, actions)).toEqual({ ok: true, definition: { name: "E", trigger: { kind: "event", eventType: "github.issues.opened", filters, sampleEvent: sample }, steps: [] } });
  });

  test("steps may reference the sample event's fields, down into its payload", () => {
    const draft = draftWith([], { triggerKind: "event", sampleEvent: JSON.stringify({ eventId: "e", ...sample }) });
    expect(referencesFor(draft, 0, actions)).toEqual([
      "trigger.eventId",
      "trigger.type",
      "trigger.payload",
      "trigger.payload.issue",
      "trigger.payload.issue.title",
      "trigger.payload.issue.labels",
    ]);
  });
});

describe("fromDefinition", () => {
  test("shows a saved definition again, and keeps the input of an action that is gone", () => {
    const draft = fromDefinition(
      {
        name: "Triage",
        description: "Why",
        trigger: { kind: "schedule", everyMinutes: 30, input: { title: "x" } },
        steps: [
          { key: "create_issue", name: "Open", actionId: "github.create_issue", input: { repository: "a/b", labels: ["x"] }, retry: { maxAttempts: 2, initialDelayMs: 2500 } },
          { key: "old", name: "Old", actionId: "pumble.post_message", input: { text: "hi", n: 2 }, retry: { maxAttempts: 1, initialDelayMs: 1000 } },
        ],
      },
      actions,
    );
    expect(draft).toMatchObject({ name: "Triage", description: "Why", triggerKind: "schedule", triggerInput: '{\n  "title": "x"\n}', everyMinutes: "30" });
    expect(draft.steps[0]).toMatchObject({ key: "create_issue", keyEdited: true, providerId: "github", values: { repository: "a/b", labels: '[\n  "x"\n]' }, maxAttempts: "2", initialDelaySeconds: "2.5" });
    expect(draft.steps[1]).toMatchObject({ providerId: "pumble", values: { text: "hi", n: "2" } });
    expect(fromDefinition({ name: "M", trigger: { kind: "manual", sampleInput: {} }, steps: [] }, actions)).toMatchObject({ description: "", triggerKind: "manual", everyMinutes: "60" });
  });
});

describe("references and errors per step", () => {
  test("a step may reference the trigger's fields and every earlier step's outputs", () => {
    const draft = draftWith([newStep(createIssue, []), newStep(post, ["create_issue"]), { ...newStep(post, []), key: "x", actionId: "slack.gone" }]);
    expect(referencesFor(draft, 0, actions)).toEqual(["trigger.title"]);
    expect(referencesFor(draft, 2, actions)).toEqual([
      "trigger.title",
      "steps.create_issue.output.number",
      "steps.create_issue.output.url",
      "steps.post_message.output.ts",
      "steps.post_message.output.meta",
      "steps.post_message.output.meta.team",
    ]);
    expect(referencesFor(draftWith([], { triggerInput: "not json" }), 0, actions)).toEqual([]);
  });
  test("a step's field errors, out of the whole form's", () => {
    expect(stepInputErrors({ "steps.1.input.text": "a", "steps.1.input.blocks.0.text": "b", "steps.10.input.x": "c", "steps.1.key": "d", name: "e" }, 1)).toEqual({ text: "a", blocks: "b" });
  });
});
