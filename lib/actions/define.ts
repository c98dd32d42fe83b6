/**
 * What a provider action is: typed data plus two pure mappings. An action says what it
 * needs (scopes), what it takes (a zod input schema, whose `.meta()` carries form labels,
 * help, examples and the lookup that fills a dropdown), what it gives (a zod output
 * schema), how its input becomes one HTTP request, and how the provider's answer becomes
 * its output or a typed error. Nothing here sends anything: `convex/actions/` runs the
 * request through the call pipeline (lib/http is the one way out).
 */
import type { z } from "zod";
import type { CallMethod } from "../http/retry";
import type { ActionFailure } from "./errors";

/** How much an action changes at the provider: forms ask before `destructive`. */
export const ACTION_EFFECTS = ["read", "write", "destructive"] as const;
export type ActionEffect = (typeof ACTION_EFFECTS)[number];

/** An action's body, by how it is encoded on the wire. */
export type ActionBody = { json: unknown } | { form: Record<string, string> } | { text: string; contentType: string };

/** The one HTTP request an action's input maps to, relative to the connection's API base. */
export type ActionRequest = {
  method: CallMethod;
  /**
   * Relative to the connection's API base; `""` for a webhook provider, whose stored URL
   * is the whole address. Values taken from input must be escaped with `pathSegment`.
   */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: ActionBody;
  /** Sends allowed in all (1 = no retry). Only actions whose receiver deduplicates may retry a POST. */
  maxAttempts?: number;
  /** Per-attempt time limit. */
  timeoutMs?: number;
};

/** What the provider answered, as the response mapping sees it. */
export type ActionAnswer = {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
};

/** What a request mapping may know about the connection besides the input (never a secret). */
export type ActionContext = {
  /** The connection's non-secret settings (a Jira site id, a WordPress site URL, a custom webhook's method). */
  config: Record<string, string>;
  accountId?: string;
  /** The scopes the connection was granted (a lookup may ask for more when they are there). */
  scopes: readonly string[];
  /**
   * The run's correlation id, the same on every send of one run: an action that may re-send
   * a POST uses it as the receiver's `Idempotency-Key`.
   */
  correlationId: string;
};

export type ActionMapping<Output> = { ok: true; output: Output } | { ok: false; error: ActionFailure };

/**
 * A scope an action needs: a name, or several names any one of which will do
 * (GitHub's `repo` also covers what `public_repo` allows).
 */
export type ScopeNeed = string | readonly string[];

export type ActionDefinition<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> = {
  /** `<providerId>.<verb>_<noun>`, stable forever: workflow steps and API callers name it. */
  id: string;
  /** Bumped when the input or output changes incompatibly. */
  version: number;
  providerId: string;
  title: string;
  description: string;
  effect: ActionEffect;
  /** `lookup` actions list options for another action's dropdown (paginated, read-only). */
  kind: "operation" | "lookup";
  scopes: readonly ScopeNeed[];
  input: Input;
  output: Output;
  request: (input: z.output<Input>, context: ActionContext) => ActionRequest;
  response: (answer: ActionAnswer, input: z.output<Input>) => ActionMapping<z.input<Output>>;
};

/** Any action, whatever its schemas (the catalog's element type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the catalog holds actions of every input and output type.
export type AnyAction = ActionDefinition<any, any>;

/** Declares an action, keeping its schema types for the mappings. */
export function defineAction<Input extends z.ZodType, Output extends z.ZodType>(
  definition: Omit<ActionDefinition<Input, Output>, "kind"> & { kind?: "operation" | "lookup" },
): ActionDefinition<Input, Output> {
  return { ...definition, kind: definition.kind ?? "operation" };
}

/**
 * One path segment from input, percent-encoded, so an id like `../admin` or `a/b` cannot
 * move the request elsewhere under the API base.
 * @example pathSegment("a/b") // "a%2Fb"
 */
export function pathSegment(value: string | number): string {
  const text = String(value);
  if (text === "" || text === "." || text === "..") throw new Error(`"${text}" cannot be a path segment.`);
  return encodeURIComponent(text);
}
