/**
 * What a run's history keeps of each step, so that a run stays one document (Convex's
 * limit is 1 MB) and holds no secret a person typed into an input:
 *
 * - the resolved input, with the values of secret-looking keys (`token`, `password`,
 *   `apiKey`, `authorization`…) replaced and URLs' secret parameters redacted
 *   (lib/redact.ts), each string cut to 1 KB and the whole to 4 KB;
 * - the output as the action gave it, because later steps read it, when it is at most
 *   64 KB of JSON and the run's outputs together stay under 256 KB; otherwise
 *   `{ truncated: true }` and a note saying why (later steps cannot refer to it);
 * - the error, with its texts cut.
 */
import type { ActionError } from "../actions/errors";
import { redactJson, truncate } from "../redact";
import { fieldNameProblem, jsonBytes, storableProblem } from "./json";

/*
 * The budget of one run document, at most: the steps' copy (a definition is at most
 * 64 KB), the trigger input (32 KB), the kept outputs (256 KB), 20 resolved inputs
 * (4 KB each) and 20 errors (about 4 KB each): some 530 KB, well inside Convex's 1 MB,
 * and small enough to read 20 runs in one transaction (16 MiB).
 */
export const HISTORY_STRING_MAX_BYTES = 1024;
export const HISTORY_INPUT_MAX_BYTES = 4 * 1024;
export const HISTORY_OUTPUT_MAX_BYTES = 64 * 1024;
/** All kept outputs of one run together. */
export const RUN_OUTPUTS_MAX_BYTES = 256 * 1024;
export const HISTORY_MESSAGE_MAX_BYTES = 1024;
/** Field messages kept of one error; the longest field name and message kept. */
export const HISTORY_ERROR_FIELDS_MAX = 10;
export const HISTORY_FIELD_NAME_MAX = 128;
export const HISTORY_FIELD_MESSAGE_MAX_BYTES = 256;

/** What history holds in place of an input or output it could not keep. */
export const NOT_KEPT = { truncated: true } as const;

function capStrings(value: unknown, maxBytes: number): unknown {
  if (typeof value === "string") return truncate(value, maxBytes);
  if (Array.isArray(value)) return value.map((item) => capStrings(item, maxBytes));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, capStrings(item, maxBytes)]));
  }
  return value;
}

/**
 * A step's resolved input as its history keeps it: secrets redacted, strings cut, and
 * `{ truncated: true }` when it is still too large or cannot be stored.
 * @example historyInput({ text: "hi", apiToken: "abc" }) // { text: "hi", apiToken: "[REDACTED]" }
 */
export function historyInput(input: unknown): unknown {
  const kept = capStrings(redactJson(input), HISTORY_STRING_MAX_BYTES);
  if (storableProblem(kept) !== null || jsonBytes(kept) > HISTORY_INPUT_MAX_BYTES) return { ...NOT_KEPT };
  return kept;
}

function kilobytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * A step's output as its history keeps it, given the bytes the run's earlier outputs
 * already take: the output itself, or `{ truncated: true }` with the note a person reads.
 */
export function historyOutput(output: unknown, usedBytes: number): { output: unknown; note?: string } {
  const problem = storableProblem(output);
  if (problem) {
    return { output: { ...NOT_KEPT }, note: `The output was not kept (${problem.at || "the output"}: ${problem.message}); later steps cannot use it.` };
  }
  const bytes = jsonBytes(output);
  if (bytes > HISTORY_OUTPUT_MAX_BYTES) {
    return {
      output: { ...NOT_KEPT },
      note: `The output was ${kilobytes(bytes)}, more than the ${kilobytes(HISTORY_OUTPUT_MAX_BYTES)} a run keeps of a step; later steps cannot use it.`,
    };
  }
  if (usedBytes + bytes > RUN_OUTPUTS_MAX_BYTES) {
    return {
      output: { ...NOT_KEPT },
      note: `The run's outputs would pass the ${kilobytes(RUN_OUTPUTS_MAX_BYTES)} a run keeps, so this one (${kilobytes(bytes)}) was not kept; later steps cannot use it.`,
    };
  }
  return { output };
}

/** The bytes the kept outputs of these steps take (what `historyOutput` counts against). */
export function outputBytesUsed(steps: ReadonlyArray<{ output?: unknown; note?: string }>): number {
  // No output counts 0 bytes.
  return steps.reduce((sum, step) => (step.note !== undefined ? sum : sum + jsonBytes(step.output)), 0);
}

/** A step's error as its history keeps it: the message and field messages cut, at most 10 fields, each name storable. */
export function historyError(error: ActionError): ActionError {
  const kept: ActionError = { ...error, message: truncate(error.message, HISTORY_MESSAGE_MAX_BYTES) };
  if (error.fields) {
    kept.fields = Object.fromEntries(
      Object.entries(error.fields)
        // A name Convex cannot store as a key (a provider's non-ASCII property name) is left out.
        .filter(([name]) => name.length <= HISTORY_FIELD_NAME_MAX && fieldNameProblem(name) === null)
        .slice(0, HISTORY_ERROR_FIELDS_MAX)
        .map(([name, message]) => [name, truncate(message, HISTORY_FIELD_MESSAGE_MAX_BYTES)]),
    );
  }
  if (error.providerCode !== undefined) kept.providerCode = truncate(error.providerCode, HISTORY_FIELD_MESSAGE_MAX_BYTES);
  return kept;
}
