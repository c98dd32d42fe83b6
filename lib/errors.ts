/**
 * Every error code that crosses the Convex boundary, in one place.
 * Functions throw `ConvexError({ code, message })` with a code from here; the UI
 * maps codes to plain words through `lib/error-messages.ts`.
 */
export const ErrorCode = {
  // authentication and authorization
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  // sign-in
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  ACCOUNT_EXISTS: "ACCOUNT_EXISTS",
  WEAK_PASSWORD: "WEAK_PASSWORD",
  INVALID_EMAIL: "INVALID_EMAIL",
  // generic input and state
  INVALID_INPUT: "INVALID_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  // organizations and members
  USER_NOT_FOUND: "USER_NOT_FOUND",
  ALREADY_MEMBER: "ALREADY_MEMBER",
  LAST_OWNER: "LAST_OWNER",
  // configuration
  MISCONFIGURED: "MISCONFIGURED",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The payload of every `ConvexError` Switchboard throws. */
export type ErrorData = { code: ErrorCode; message: string };

/** True when `data` looks like Switchboard's `ConvexError` payload. */
export function isErrorData(data: unknown): data is ErrorData {
  return (
    typeof data === "object" &&
    data !== null &&
    typeof (data as { code?: unknown }).code === "string" &&
    typeof (data as { message?: unknown }).message === "string"
  );
}
