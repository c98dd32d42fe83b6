/**
 * The pure half of running an action: input → validated input and request; answer →
 * validated output or a typed error. `convex/actions/run.ts` does the impure half
 * (connection, scopes, the call pipeline) between the two.
 */
import type { z } from "zod";
import type { ActionAnswer, ActionContext, ActionRequest, AnyAction } from "./define";
// Convex's field-name rule, stated once (with the other limits of what a document holds).
import { FIELD_NAME_MAX, fieldNameProblem } from "../workflows/json";
import { invalidInput, type ActionFailure } from "./errors";

export type Parsed = { ok: true; input: unknown } | { ok: false; error: ActionFailure };

/** The input checked against the action's schema, defaults applied. */
export function parseInput(action: AnyAction, rawInput: unknown): Parsed {
  const parsed = (action.input as z.ZodType).safeParse(rawInput);
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, error: invalidInput(parsed.error) };
}

export type Built = { ok: true; request: ActionRequest } | { ok: false; error: ActionFailure };

/** Maps a parsed input to the request; a mapping that throws (an unusable id) is an input problem. */
export function buildRequest(action: AnyAction, input: unknown, context: ActionContext): Built {
  try {
    return { ok: true, request: action.request(input, context) };
  } catch (error) {
    return {
      ok: false,
      error: {
        code: "invalid_input",
        message: error instanceof Error ? error.message : "The input cannot be sent.",
        retryable: false,
      },
    };
  }
}

/** An answer as the response mappings see it: names lower-cased, JSON parsed when it is JSON. */
export function actionAnswer(status: number, headers: Record<string, string>, body: string): ActionAnswer {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  let json: unknown;
  if (body.trim() !== "") {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  return { status, headers: lower, body, json };
}

export type Read = { ok: true; output: unknown } | { ok: false; error: ActionFailure };

/**
 * The action's output, checked against its output schema: an answer the mapping cannot
 * read, or that does not fit, is the provider's error (its API changed), not a success.
 */
export function readAnswer(action: AnyAction, input: unknown, answer: ActionAnswer, providerName: string): Read {
  let mapped: ReturnType<AnyAction["response"]>;
  try {
    mapped = action.response(answer, input);
  } catch {
    mapped = { ok: false, error: unexpected(providerName, answer.status) };
  }
  if (!mapped.ok) return mapped;
  const output = (action.output as z.ZodType).safeParse(mapped.output);
  if (!output.success) return { ok: false, error: unexpected(providerName, answer.status) };
  return { ok: true, output: convexSafe(output.data) };
}


/**
 * A JSON value that Convex can store and return: field names must be printable ASCII and
 * must not start with `$`, but providers answer with keys like `$ref` or a Notion
 * property called "Název". Such keys are percent-encoded (`%24ref`, `N%C3%A1zev`); valid
 * keys, and all values, are kept as they are.
 * @example convexSafe({ $ref: 1, ok: [{ "é": 2 }] }) // { "%24ref": 1, ok: [{ "%C3%A9": 2 }] }
 */
export function convexSafe(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convexSafe);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) continue;
    const safe = fieldNameProblem(key) === null ? key : encodeURIComponent(key).replace(/\$/g, "%24");
    out[safe.slice(0, FIELD_NAME_MAX)] = convexSafe(item);
  }
  return out;
}

function unexpected(providerName: string, status: number): ActionFailure {
  return {
    code: "provider_error",
    message: `${providerName} answered HTTP ${status} in a shape this action does not understand.`,
    retryable: false,
    status,
  };
}

/**
 * JSON with object keys sorted, so two equal inputs give the same text whatever their
 * key order (the idempotency check compares inputs by its hash).
 * @example canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}

/** The body as text and its content type, for the call pipeline. */
export function encodeActionBody(body: ActionRequest["body"]): { text: string; contentType: string } | undefined {
  if (body === undefined) return undefined;
  if ("json" in body) return { text: JSON.stringify(body.json), contentType: "application/json" };
  if ("form" in body) return { text: new URLSearchParams(body.form).toString(), contentType: "application/x-www-form-urlencoded" };
  return { text: body.text, contentType: body.contentType };
}
