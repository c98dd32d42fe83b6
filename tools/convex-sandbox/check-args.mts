/**
 * Argument validation with the deployment's wording, so a client sees
 * `ArgumentValidationError: Object is missing the required field …` as it would
 * from a real backend (convex-test's own messages read differently).
 */
import { jsonToConvex, type JSONValue, type Value } from "convex/values";

/** A validator as `exportArgs()` serializes it. */
export type ValidatorJson =
  | { type: "null" | "number" | "bigint" | "boolean" | "string" | "bytes" | "any" | "commitTs" }
  | { type: "literal"; value: JSONValue }
  | { type: "id"; tableName: string }
  | { type: "array"; value: ValidatorJson }
  | { type: "record"; keys: ValidatorJson; values: FieldJson }
  | { type: "object"; value: Record<string, FieldJson> }
  | { type: "union"; value: ValidatorJson[] };
type FieldJson = { fieldType: ValidatorJson; optional: boolean };

/** Prints a value the way the backend's error messages do: `{body: "x", n: 1.0}`. */
export function printValue(value: Value | undefined): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? `${value}.0` : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof ArrayBuffer) return `Bytes(${value.byteLength})`;
  if (Array.isArray(value)) return `[${value.map(printValue).join(", ")}]`;
  const fields = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}: ${printValue(v)}`);
  return `{${fields.join(", ")}}`;
}

/** Prints a validator as its `v.` source: `v.object({id: v.id("users")})`. */
export function printValidator(validator: ValidatorJson): string {
  switch (validator.type) {
    case "null":
    case "boolean":
    case "string":
    case "bytes":
    case "any":
      return `v.${validator.type}()`;
    case "number":
      return "v.float64()";
    case "bigint":
      return "v.int64()";
    case "commitTs":
      return "v.commitTs()";
    case "literal":
      return `v.literal(${printValue(jsonToConvex(validator.value))})`;
    case "id":
      return `v.id(${JSON.stringify(validator.tableName)})`;
    case "array":
      return `v.array(${printValidator(validator.value)})`;
    case "record":
      return `v.record(${printValidator(validator.keys)}, ${printValidator(validator.values.fieldType)})`;
    case "union":
      return `v.union(${validator.value.map(printValidator).join(", ")})`;
    case "object": {
      const fields = Object.entries(validator.value).map(
        ([k, f]) => `${k}: ${f.optional ? `v.optional(${printValidator(f.fieldType)})` : printValidator(f.fieldType)}`,
      );
      return `v.object({${fields.join(", ")}})`;
    }
    default:
      validator satisfies never;
      return "v.any()";
  }
}

const isPlainObject = (value: unknown): value is Record<string, Value> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof ArrayBuffer);

/** Whether `value` matches, ignoring why; used to pick union members. */
function matches(validator: ValidatorJson, value: Value | undefined): boolean {
  return firstProblem(validator, value, "") === null;
}

/** The backend's message for the first mismatch, or null when the value is valid. */
function firstProblem(validator: ValidatorJson, value: Value | undefined, path: string): string | null {
  const mismatch = () =>
    `Value does not match validator.\nPath: ${path || "."}\nValue: ${printValue(value)}\nValidator: ${printValidator(validator)}`;
  switch (validator.type) {
    case "any":
      return value === undefined ? mismatch() : null;
    case "null":
      return value === null ? null : mismatch();
    case "number":
      return typeof value === "number" ? null : mismatch();
    case "bigint":
      return typeof value === "bigint" ? null : mismatch();
    case "commitTs":
      return typeof value === "bigint" ? null : mismatch();
    case "boolean":
      return typeof value === "boolean" ? null : mismatch();
    case "string":
      return typeof value === "string" ? null : mismatch();
    case "bytes":
      return value instanceof ArrayBuffer ? null : mismatch();
    case "id":
      // Ids are strings on the wire; the table check happens when they are used.
      return typeof value === "string" ? null : mismatch();
    case "literal": {
      const expected = jsonToConvex(validator.value);
      return value === expected ? null : mismatch();
    }
    case "array": {
      if (!Array.isArray(value)) return mismatch();
      for (let i = 0; i < value.length; i++) {
        const problem = firstProblem(validator.value, value[i], `${path}[${i}]`);
        if (problem) return problem;
      }
      return null;
    }
    case "record": {
      if (!isPlainObject(value)) return mismatch();
      for (const [k, v] of Object.entries(value)) {
        const keyProblem = firstProblem(validator.keys, k, `${path}.${k}`);
        if (keyProblem) return keyProblem;
        const problem = firstProblem(validator.values.fieldType, v, `${path}.${k}`);
        if (problem) return problem;
      }
      return null;
    }
    case "union":
      return validator.value.some((member) => matches(member, value)) ? null : mismatch();
    case "object":
      return objectProblem(validator, value, path, mismatch);
    default:
      validator satisfies never;
      return null;
  }
}

function objectProblem(
  validator: Extract<ValidatorJson, { type: "object" }>,
  value: Value | undefined,
  path: string,
  mismatch: () => string,
): string | null {
  if (!isPlainObject(value)) return mismatch();
  const context = `${path ? `Path: ${path}\n` : ""}Object: ${printValue(value)}\nValidator: ${printValidator(validator)}`;
  for (const [k, field] of Object.entries(validator.value)) {
    if (value[k] === undefined) {
      if (field.optional) continue;
      return `Object is missing the required field \`${k}\`. Consider wrapping the field validator in \`v.optional(...)\` if this is expected.\n\n${context}`;
    }
    const problem = firstProblem(field.fieldType, value[k], `${path}.${k}`);
    if (problem) return problem;
  }
  for (const k of Object.keys(value)) {
    if (!(k in validator.value) && value[k] !== undefined) {
      return `Object contains extra field \`${k}\` that is not in the validator.\n\n${context}`;
    }
  }
  return null;
}

/** `ArgumentValidationError: …` for arguments the function's validator refuses, or null. */
export function checkArgs(argsValidatorJson: string, args: Record<string, Value>): string | null {
  const validator = JSON.parse(argsValidatorJson) as ValidatorJson;
  if (validator.type === "any") return null;
  const problem = firstProblem(validator, args, "");
  return problem === null ? null : `ArgumentValidationError: ${problem}`;
}
