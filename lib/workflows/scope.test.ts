import { describe, expect, test } from "vitest";
import { missingReferences, stepScope, unkeptReferences } from "./scope";

const steps = [
  { key: "post", status: "succeeded", output: { ts: "1.2" } },
  { key: "big", status: "succeeded", output: { truncated: true }, note: "too big" },
  // A failed step has no output; were one there, it would not count.
  { key: "bad", status: "failed", output: { ts: "x" } },
  { key: "nothing", status: "succeeded" },
  { key: "zero", status: "succeeded", output: 0 },
  { key: "later", status: "pending" },
];

describe("stepScope", () => {
  test("the trigger input, and the kept outputs of the steps that succeeded", () => {
    expect(stepScope({ title: "x" }, steps)).toEqual({ trigger: { title: "x" }, steps: { post: { output: { ts: "1.2" } }, zero: { output: 0 } } });
    expect(stepScope(undefined, [])).toEqual({ trigger: undefined, steps: {} });
  });
});

describe("unkeptReferences", () => {
  test("the steps referred to whose output succeeded but was not kept, once each", () => {
    expect(unkeptReferences({ a: "{{steps.big.output.x}} {{steps.big.output.y}}", b: "{{steps.post.output.ts}} {{steps.bad.output}}" }, steps)).toEqual(["big"]);
    expect(unkeptReferences({ a: "{{trigger.big}} {{steps}} {{big.output}}" }, steps)).toEqual([]);
  });
});

describe("missingReferences", () => {
  test("the steps referred to that the scope has no output for, once each, in order", () => {
    const scope = stepScope({}, steps);
    expect(missingReferences({ a: "{{steps.bad.output}} {{steps.post.output.ts}} {{steps.later.output}} {{steps.bad.output.x}}" }, scope)).toEqual([
      "bad",
      "later",
    ]);
    expect(missingReferences({ a: "{{trigger.x}} {{steps}} {{other.steps.x}}" }, scope)).toEqual([]);
  });
});
