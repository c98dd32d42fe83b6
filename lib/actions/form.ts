/**
 * Forms from an action's input JSON Schema (the same one the API publishes): which fields,
 * as which controls, and how typed values become the action's input. Pure, so the Try-it
 * dialog and the workflow step editor build the same form.
 */
import type { LookupRef } from "./lookup";

type JsonSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  examples?: unknown[];
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxLength?: number;
  anyOf?: JsonSchema[];
  lookup?: LookupRef;
};

export type FormFieldKind = "text" | "textarea" | "number" | "boolean" | "select" | "json";

export type FormField = {
  name: string;
  label: string;
  help?: string;
  example?: string;
  kind: FormFieldKind;
  required: boolean;
  /** For `select`: the schema's enum. */
  options?: string[];
  /** Options come from this lookup action (shown as a dropdown that can also take typed text). */
  lookup?: LookupRef;
  /** The schema's default, as the control shows it. */
  defaultValue?: string;
  /** `integer` or `number`, for numeric fields. */
  integer?: boolean;
};

/** Strings that may be this long or longer get a multi-line box (unbounded ones are one line: ids, names). */
const TEXTAREA_FROM = 500;

function labelOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The schema's type, looking through `anyOf` with null (zod's nullable/optional forms). */
function typeOf(schema: JsonSchema): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) {
    const nonNull = schema.type.filter((t) => t !== "null");
    return nonNull.length === 1 ? nonNull[0] : undefined;
  }
  const nonNull = schema.anyOf?.filter((s) => s.type !== "null");
  return nonNull?.length === 1 ? typeOf(nonNull[0]!) : undefined;
}

function shown(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The fields of an object schema, in its order. */
export function formFields(inputSchema: unknown): FormField[] {
  const schema = inputSchema as JsonSchema;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const type = typeOf(property);
    const options = property.enum?.every((v) => typeof v === "string") ? (property.enum as string[]) : undefined;
    let kind: FormFieldKind = "json";
    if (options) kind = "select";
    else if (type === "string") kind = (property.maxLength ?? 0) >= TEXTAREA_FROM ? "textarea" : "text";
    else if (type === "number" || type === "integer") kind = "number";
    else if (type === "boolean") kind = "boolean";
    const field: FormField = { name, label: property.title ?? labelOf(name), kind, required: required.has(name) && property.default === undefined };
    if (property.description) field.help = property.description;
    const example = shown(property.examples?.[0]);
    if (example !== undefined) field.example = example;
    if (options) field.options = options;
    if (property.lookup) field.lookup = property.lookup;
    const defaultValue = shown(property.default);
    if (defaultValue !== undefined) field.defaultValue = defaultValue;
    if (kind === "number") field.integer = type === "integer";
    return field;
  });
}

export type FormValues = Record<string, string | boolean>;
export type FormInput = { ok: true; input: Record<string, unknown> } | { ok: false; fields: Record<string, string> };

/**
 * The action's input from what was typed: empty optional fields are left out (so the
 * schema's defaults apply), numbers and JSON parsed. What cannot be read is a per-field
 * message; everything else is for the action's own schema to judge.
 * @example formInput([{ name: "n", label: "N", kind: "number", required: true }], { n: "3" }) // { ok: true, input: { n: 3 } }
 */
export function formInput(fields: readonly FormField[], values: FormValues, options: { templates?: boolean } = {}): FormInput {
  const input: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === "boolean") {
      if (typeof raw === "boolean") input[field.name] = raw;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "") {
      if (field.required) problems[field.name] = `${field.label} is required.`;
      continue;
    }
    // In a workflow step a number may be `{{steps.x.output.number}}`: kept as a template,
    // rendered (to the referenced value itself) when the step runs.
    if (options.templates && field.kind !== "json" && text.includes("{{")) {
      input[field.name] = text;
      continue;
    }
    if (field.kind === "number") {
      const number = Number(text.trim());
      if (!Number.isFinite(number)) problems[field.name] = `${field.label} must be a number.`;
      else if (field.integer && !Number.isInteger(number)) problems[field.name] = `${field.label} must be a whole number.`;
      else input[field.name] = number;
    } else if (field.kind === "json") {
      try {
        input[field.name] = JSON.parse(text);
      } catch {
        problems[field.name] = `${field.label} must be JSON (for example ${field.example ?? "[]"}).`;
      }
    } else {
      input[field.name] = text;
    }
  }
  return Object.keys(problems).length > 0 ? { ok: false, fields: problems } : { ok: true, input };
}

/** What a form shows again for an input value (the inverse of formInput, for editing a saved step). */
export function formValues(fields: readonly FormField[], input: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = input[field.name];
    if (value === undefined) continue;
    if (field.kind === "boolean" && typeof value === "boolean") values[field.name] = value;
    else values[field.name] = typeof value === "string" ? value : JSON.stringify(value, null, field.kind === "json" ? 2 : undefined);
  }
  return values;
}

/**
 * The dotted paths an output schema offers to later steps, objects walked two levels
 * deep: `["ts", "channel"]`, `["number", "url", "user.login"]`.
 */
export function outputPaths(outputSchema: unknown, depth = 2): string[] {
  const schema = outputSchema as JsonSchema;
  if (depth <= 0 || !schema.properties) return [];
  return Object.entries(schema.properties).flatMap(([name, property]) => {
    const nested = typeOf(property) === "object" ? outputPaths(property, depth - 1).map((path) => `${name}.${path}`) : [];
    return [name, ...nested];
  });
}

/** The lookup's input for a field: its params taken from the other fields' current values. */
export function lookupInput(lookup: LookupRef, values: FormValues, cursor?: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [param, from] of Object.entries(lookup.params ?? {})) {
    const value = values[from];
    if (typeof value === "string" && value.trim() !== "") input[param] = value.trim();
  }
  if (cursor) input.cursor = cursor;
  return input;
}

/** The params a lookup still waits for (the board before its lists), by field label. */
export function missingLookupParams(lookup: LookupRef, values: FormValues): string[] {
  return Object.values(lookup.params ?? {}).filter((from) => {
    const value = values[from];
    return typeof value !== "string" || value.trim() === "";
  });
}
