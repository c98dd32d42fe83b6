/**
 * JSON values as workflows keep them: how big they are, and whether a Convex document
 * can hold them. Convex refuses a field name that starts with `$`, has a character
 * outside printable ASCII or is longer than 1,024 characters, and values nested too
 * deeply; a run must find that out before it writes, not fail the write.
 */

const utf8 = new TextEncoder();

/** The size of a value as UTF-8 JSON, in bytes (0 for what JSON cannot say, like `undefined`). */
export function jsonBytes(value: unknown): number {
  // JSON.stringify answers undefined for what JSON cannot say; it encodes as nothing.
  return utf8.encode(JSON.stringify(value)).length;
}

/** A plain JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The longest field name Convex stores. */
export const FIELD_NAME_MAX = 1024;
/** How deep a stored value may nest (Convex allows 64; the document around it needs a few). */
export const STORABLE_MAX_DEPTH = 48;

/** Where a value cannot be stored and why. `at` is a dot path (`""` for the value itself). */
export type StorableProblem = { at: string; message: string };

/** Why Convex refuses a field name, or null. */
export function fieldNameProblem(name: string): string | null {
  if (name.length > FIELD_NAME_MAX) return `The field name ${name.slice(0, 40)}… is longer than ${FIELD_NAME_MAX} characters.`;
  if (name.startsWith("$")) return `The field name ${name} cannot start with $.`;
  if (!/^[\x20-\x7e]*$/.test(name)) return `The field name ${name} may only have printable ASCII characters.`;
  return null;
}

function join(at: string, key: string | number): string {
  return at === "" ? String(key) : `${at}.${key}`;
}

function problemAt(value: unknown, at: string, depth: number): StorableProblem | null {
  if (value === null || typeof value === "string" || typeof value === "boolean" || typeof value === "number") return null;
  if (typeof value !== "object") return { at, message: `A ${typeof value} is not JSON.` };
  if (depth >= STORABLE_MAX_DEPTH) return { at, message: "The value nests too deeply." };
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = problemAt(item, join(at, index), depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    // Convex leaves out a field whose value is undefined, as JSON does.
    if (item === undefined) continue;
    const message = fieldNameProblem(key);
    if (message) return { at: join(at, key), message };
    const problem = problemAt(item, join(at, key), depth + 1);
    if (problem) return problem;
  }
  return null;
}

/**
 * The first reason a Convex document cannot hold `value`, or null when it can.
 * @example storableProblem({ $ref: 1 }) // { at: "$ref", message: "The field name $ref cannot start with $." }
 */
export function storableProblem(value: unknown): StorableProblem | null {
  return problemAt(value, "", 0);
}
