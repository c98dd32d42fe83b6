/**
 * The closed set of ways an action can fail, as a workflow step sees them, and the
 * mappings every provider shares (status codes, Retry-After, zod issues). A provider's
 * own error shapes (Slack's `ok:false`, GitHub's 422 `errors`) are read in its file and
 * end up here too.
 */
import type { z } from "zod";
import { parseRetryAfter } from "../http/retry-after";
import type { ActionAnswer } from "./define";

export const ACTION_ERROR_CODES = [
  /** The input does not match the action's schema; `fields` says where. */
  "invalid_input",
  /** The org has no live connection to the action's provider. */
  "not_connected",
  /** The connection was granted without a scope the action needs; `message` names it. */
  "missing_scope",
  /** The provider refused the stored credential: reconnect. */
  "auth_revoked",
  /** The provider asked us to slow down; `retryAfterMs` says for how long when it said. */
  "rate_limited",
  /** The provider answered with an error, or not at all, or with something unreadable. */
  "provider_error",
  /** The provider did not answer in time. */
  "timeout",
] as const;
export type ActionErrorCode = (typeof ACTION_ERROR_CODES)[number];

/** A failed action, as returned to the step that ran it. Never holds a secret. */
export type ActionError = {
  code: ActionErrorCode;
  message: string;
  /** Whether the same input may succeed later (a step's retry policy retries only these). */
  retryable: boolean;
  retryAfterMs?: number;
  /** Per-field messages for `invalid_input` (dot paths, `blocks.0.text`), also from the provider's validation. */
  fields?: Record<string, string>;
  /** The provider's own error code, when it gave one (`channel_not_found`). */
  providerCode?: string;
  /** The HTTP status the provider answered, when it answered. */
  status?: number;
};

/** An `ActionError` before the runner adds what only it knows. */
export type ActionFailure = ActionError;

/** Longest Retry-After passed on to a step (a provider asking for an hour gets an hour, capped at a day). */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * The answer's `Retry-After` in milliseconds (lib/http's parser, which refuses what is
 * neither delay-seconds nor an HTTP date), capped at a day; undefined when absent.
 * @example retryAfterMs({ "retry-after": "30" }) // 30000
 */
export function retryAfterMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  const seconds = parseRetryAfter(headers["retry-after"] ?? null, now);
  return seconds === undefined ? undefined : Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
}

/** A failure for an answer by its status alone, when the provider's body says nothing more useful. */
export function failureOfStatus(answer: ActionAnswer, providerName: string, detail?: string): ActionFailure {
  const said = detail ? `: ${detail}` : "";
  const { status } = answer;
  if (status === 401) {
    return {
      code: "auth_revoked",
      message: `${providerName} refused the stored credential; reconnect it.`,
      retryable: false,
      status,
    };
  }
  if (status === 429) {
    const after = retryAfterMs(answer.headers);
    return {
      code: "rate_limited",
      message: `${providerName} is rate limiting these requests${said}.`,
      retryable: true,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
      status,
    };
  }
  if (status === 408 || status === 504) {
    return { code: "timeout", message: `${providerName} timed out (HTTP ${status})${said}.`, retryable: true, status };
  }
  const retryable = status >= 500;
  const after = retryable ? retryAfterMs(answer.headers) : undefined;
  return {
    code: "provider_error",
    message: `${providerName} answered HTTP ${status}${said}.`,
    retryable,
    ...(after !== undefined ? { retryAfterMs: after } : {}),
    status,
  };
}

/** A provider's validation failure (GitHub 422, Notion `validation_error`, Jira `errors`): the caller must change the input. */
export function providerValidationFailure(
  providerName: string,
  message: string,
  fields?: Record<string, string>,
  extra: Pick<ActionError, "providerCode" | "status"> = {},
): ActionFailure {
  return {
    code: "invalid_input",
    message: `${providerName} refused the input: ${message}`,
    retryable: false,
    ...(fields && Object.keys(fields).length > 0 ? { fields } : {}),
    ...extra,
  };
}

/** Dot path of a zod issue: `["blocks", 0, "text"]` → `blocks.0.text`; the root is `""`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((part) => String(part)).join(".");
}

/** The first message for each field of a zod error. */
export function fieldMessages(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issuePath(issue.path);
    fields[path] ??= issue.message;
  }
  return fields;
}

/** `invalid_input` for an input that does not match the action's schema. */
export function invalidInput(error: z.ZodError): ActionFailure {
  const fields = fieldMessages(error);
  const names = Object.keys(fields).map((name) => name || "(input)");
  return {
    code: "invalid_input",
    message: `The input is not valid: check ${names.join(", ")}.`,
    retryable: false,
    fields,
  };
}
