/**
 * Errors of the public API as RFC 9457 problem details (`application/problem+json`),
 * each with a stable `code` that clients branch on. `type` is a URN per code, so it
 * stays the same wherever the API is served.
 */
import { z } from "zod";
import { apiSchemas } from "./registry";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Every code an answer can carry, with its HTTP status. */
export const PROBLEM_CODES = {
  unauthenticated: 401,
  malformed_key: 401,
  invalid_key_checksum: 401,
  unknown_key: 401,
  key_revoked: 401,
  key_expired: 401,
  key_rotated: 401,
  insufficient_scope: 403,
  connection_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  invalid_request: 400,
  conflict: 409,
  unsafe_url: 422,
  rate_limited: 429,
  // A provider action's own failures (the step contract's codes, lib/actions/errors.ts).
  invalid_input: 422,
  not_connected: 409,
  missing_scope: 409,
  auth_revoked: 409,
  provider_rate_limited: 503,
  provider_error: 502,
  timeout: 504,
  internal_error: 500,
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;
export const PROBLEM_CODE_LIST = Object.keys(PROBLEM_CODES) as ProblemCode[];

const TITLES: Record<ProblemCode, string> = {
  unauthenticated: "Authentication required",
  malformed_key: "Malformed API key",
  invalid_key_checksum: "API key checksum does not match",
  unknown_key: "Unknown API key",
  key_revoked: "API key revoked",
  key_expired: "API key expired",
  key_rotated: "API key replaced",
  insufficient_scope: "Missing scope",
  connection_not_allowed: "Connection not allowed for this key",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  invalid_request: "Invalid request",
  conflict: "Conflict",
  unsafe_url: "URL not allowed",
  rate_limited: "Too many requests",
  invalid_input: "Invalid action input",
  not_connected: "Not connected",
  missing_scope: "Connection lacks a scope",
  auth_revoked: "Connection needs reconnecting",
  provider_rate_limited: "Provider rate limit",
  provider_error: "Provider error",
  timeout: "Provider timed out",
  internal_error: "Internal error",
};

export const problemSchema = z
  .object({
    type: z.string().describe("`urn:switchboard:problem:<code>`"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(PROBLEM_CODE_LIST as [ProblemCode, ...ProblemCode[]]),
    /** Per-field messages of an invalid request or input (dot paths). */
    errors: z.record(z.string(), z.string()).optional(),
    correlation_id: z.string().optional(),
    retryable: z.boolean().optional(),
  })
  .register(apiSchemas, { id: "Problem" });
export type Problem = z.infer<typeof problemSchema>;

/** A problem body for `code`. */
export function problem(code: ProblemCode, detail: string, extra: Partial<Pick<Problem, "errors" | "correlation_id" | "retryable">> = {}): Problem {
  return { type: `urn:switchboard:problem:${code}`, title: TITLES[code], status: PROBLEM_CODES[code], detail, code, ...extra };
}

/** Per-field messages of a zod failure, keyed by dot path (`input.channel`), the first message per path. */
export function fieldErrors(error: z.ZodError, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(body)";
    out[path] ??= issue.message;
  }
  return out;
}
