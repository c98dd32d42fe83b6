/**
 * What a step's input template is rendered against: the run's trigger input and the
 * outputs of the steps that succeeded before it.
 *
 *   { trigger: { title: "Crash on save" }, steps: { post: { output: { channel, ts } } } }
 */
import { templateReferences } from "../templates";

/** What the scope needs of a run's step. */
export type ScopeStep = { key: string; status: string; output?: unknown; note?: string };

export type StepScope = { trigger: unknown; steps: Record<string, { output: unknown }> };

/** A step's output is usable when it succeeded and its output was kept (no note says otherwise). */
function hasKeptOutput(step: ScopeStep): boolean {
  return step.status === "succeeded" && step.output !== undefined && step.note === undefined;
}

/**
 * The template scope from a run's trigger input and its steps (those that have not
 * succeeded, or whose output was too large to keep, are not in it).
 * @example stepScope({ title: "x" }, [{ key: "post", status: "succeeded", output: { ts: "1.2" } }]) // { trigger: { title: "x" }, steps: { post: { output: { ts: "1.2" } } } }
 */
export function stepScope(triggerInput: unknown, steps: readonly ScopeStep[]): StepScope {
  const outputs: Record<string, { output: unknown }> = {};
  for (const step of steps) if (hasKeptOutput(step)) outputs[step.key] = { output: step.output };
  return { trigger: triggerInput, steps: outputs };
}

/**
 * The keys of the steps a template refers to (`{{steps.<key>.output…}}`) that
 * succeeded without their output being kept, each once, in order.
 */
export function unkeptReferences(template: unknown, steps: readonly ScopeStep[]): string[] {
  const unkept = new Set(steps.filter((step) => step.status === "succeeded" && !hasKeptOutput(step)).map((step) => step.key));
  const found = new Set<string>();
  for (const reference of templateReferences(template)) {
    // `{{steps}}` names no step: its key is "", which no step has.
    const [root, key = ""] = reference.split(".");
    if (root === "steps" && unkept.has(key)) found.add(key);
  }
  return [...found];
}

/** The keys of the steps a template refers to that the scope has no output for, each once, in order. */
export function missingReferences(template: unknown, scope: StepScope): string[] {
  const found = new Set<string>();
  for (const reference of templateReferences(template)) {
    const [root, key] = reference.split(".");
    if (root === "steps" && key !== undefined && !Object.hasOwn(scope.steps, key)) found.add(key);
  }
  return [...found];
}
