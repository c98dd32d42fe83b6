/**
 * What the Google API modules (Gmail, Calendar) share: Google's error answer
 * `{ error: { code, message, errors: [{ domain, reason, message }], status } }`
 * (developers.google.com/workspace/calendar/api/guides/errors; cloud.google.com/apis/design/errors
 * for the `status` names) and the refusal of a token without the method's scope.
 */
import { json, type SimResponse } from "../http-utils";

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  429: "RESOURCE_EXHAUSTED",
};

export function googleError(code: number, reason: string, message: string, domain = "global", extra: Record<string, unknown> = {}): SimResponse {
  return json(code, { error: { code, message, errors: [{ domain, reason, message, ...extra }], status: STATUS_NAMES[code] ?? "UNKNOWN" } });
}

/** 403 for a token whose grant lacks every scope the method accepts. */
export function insufficientScope(granted: readonly string[], accepted: readonly string[]): SimResponse | null {
  if (accepted.some((scope) => granted.includes(scope))) return null;
  return json(403, {
    error: {
      code: 403,
      message: "Request had insufficient authentication scopes.",
      errors: [{ message: "Insufficient Permission", domain: "global", reason: "insufficientPermissions" }],
      status: "PERMISSION_DENIED",
      details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT", domain: "googleapis.com" }],
    },
  });
}

/** A JSON object body, or Google's answer to anything else. */
export function googleJsonBody(body: unknown, bodyFormat: string): { body: Record<string, unknown> } | { refused: SimResponse } {
  if (bodyFormat !== "json" || typeof body !== "object" || body === null || Array.isArray(body)) {
    return { refused: googleError(400, "parseError", "Parse Error") };
  }
  return { body: body as Record<string, unknown> };
}

export const GOOGLE_SCOPE = (name: string) => `https://www.googleapis.com/auth/${name}`;
