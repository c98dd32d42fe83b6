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
  /** A password reset code that is wrong, used up or expired (which one is not said). */
  INVALID_CODE: "INVALID_CODE",
  // generic input and state
  INVALID_INPUT: "INVALID_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "RATE_LIMITED",
  // organizations and members
  USER_NOT_FOUND: "USER_NOT_FOUND",
  ALREADY_MEMBER: "ALREADY_MEMBER",
  LAST_OWNER: "LAST_OWNER",
  /** The viewer already belongs to an organization of that name; creating another needs a yes. */
  DUPLICATE_NAME: "DUPLICATE_NAME",
  // integrations
  PROVIDER_NOT_CONFIGURED: "PROVIDER_NOT_CONFIGURED",
  CREDENTIALS_REJECTED: "CREDENTIALS_REJECTED",
  UNSAFE_URL: "UNSAFE_URL",
  PROVIDER_UNAVAILABLE: "PROVIDER_UNAVAILABLE",
  NOT_CONNECTED: "NOT_CONNECTED",
  /** The connection's credential is dead (revoked, unreadable, refused): only reconnecting fixes it. */
  RECONNECT_REQUIRED: "RECONNECT_REQUIRED",
  // configuration
  MISCONFIGURED: "MISCONFIGURED",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The payload of every `ConvexError` Switchboard throws; `field` names the form field at fault. */
export type ErrorData = { code: ErrorCode; message: string; field?: string };

/** True when `data` looks like Switchboard's `ConvexError` payload. */
export function isErrorData(data: unknown): data is ErrorData {
  return (
    typeof data === "object" &&
    data !== null &&
    typeof (data as { code?: unknown }).code === "string" &&
    typeof (data as { message?: unknown }).message === "string"
  );
}

/**
 * Why an OAuth callback did not connect, as it appears in `?error=` and in the
 * popup's message. Lowercase because they travel in URLs.
 */
export const CallbackError = {
  state_missing: "state_missing",
  state_expired: "state_expired",
  state_reused: "state_reused",
  state_mismatch: "state_mismatch",
  access_denied: "access_denied",
  provider_error: "provider_error",
  token_exchange_failed: "token_exchange_failed",
  account_lookup_failed: "account_lookup_failed",
  not_signed_in: "not_signed_in",
  forbidden: "forbidden",
  provider_not_configured: "provider_not_configured",
  issuer_mismatch: "issuer_mismatch",
  unsupported_token_type: "unsupported_token_type",
} as const;

export type CallbackError = keyof typeof CallbackError;

/** What each callback error means to the person who clicked Connect, and what to do. */
export const CALLBACK_ERROR_MESSAGES: Record<CallbackError, string> = {
  state_missing: "The provider sent us back without the request details. Start connecting again.",
  state_expired: "The connection request took longer than 10 minutes and expired. Start connecting again.",
  state_reused: "This connection link was already used. Start connecting again.",
  state_mismatch: "This connection request does not belong to you or to this provider. Start connecting again.",
  access_denied: "Access was denied at the provider, so nothing was connected.",
  provider_error: "The provider reported an error. Try again, or check the app's settings at the provider.",
  token_exchange_failed: "The provider did not accept the authorization. Try connecting again.",
  account_lookup_failed: "Connected, but the provider would not tell us which account it is. Try again.",
  not_signed_in: "Your session ended. Sign in and start connecting again.",
  forbidden: "Only owners and admins of the organization can connect integrations.",
  provider_not_configured: "This provider is not set up on this Switchboard deployment yet. Ask the operator.",
  issuer_mismatch:
    "The answer did not come from this provider's sign-in server, so nothing was connected. Start connecting again.",
  unsupported_token_type:
    "The provider issued a kind of token Switchboard cannot use, so nothing was connected. Check the app's settings at the provider.",
};

export function isCallbackError(code: string): code is CallbackError {
  return Object.hasOwn(CallbackError, code);
}
