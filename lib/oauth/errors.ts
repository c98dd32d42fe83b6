/** Why an exchange with a provider's token endpoint failed, in terms the app acts on (see `OAuthFailure`). */
export const OAUTH_FAILURES = [
  "invalid_grant",
  "invalid_client",
  "unavailable",
  "network",
  "bad_response",
  "unsupported_token_type",
] as const;

/** Why an exchange with a provider's token endpoint failed, in terms the app acts on. */
export type OAuthFailure =
  /** The grant (code or refresh token) is dead: revoked, expired or used. Reconnect. */
  | "invalid_grant"
  /** The provider refused our client id/secret or redirect URI: a configuration problem. */
  | "invalid_client"
  /** 429 or 5xx: try again later. */
  | "unavailable"
  /** Network failure before any answer. */
  | "network"
  /** An answer we cannot use (no access token, not JSON, another error code). */
  | "bad_response"
  /** A token that is not a Bearer token (RFC 6749 §7.1: `DPoP`, `mac`, or no `token_type`): we cannot use it. */
  | "unsupported_token_type";

// The list and the documented union must name the same failures.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const failuresAgree: Same<(typeof OAUTH_FAILURES)[number], OAuthFailure> = true;
void failuresAgree;

/**
 * A token-endpoint call failed. `providerError` is the provider's own code
 * (`invalid_grant`, Slack's `invalid_code`, GitHub's `bad_verification_code`); the
 * message never contains a token or secret.
 */
export class OAuthError extends Error {
  readonly failure: OAuthFailure;
  readonly providerError: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    failure: OAuthFailure,
    message: string,
    details: { providerError?: string; status?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = "OAuthError";
    this.failure = failure;
    this.providerError = details.providerError;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** True when retrying later may succeed. */
  get retryable(): boolean {
    return this.failure === "unavailable" || this.failure === "network";
  }
}

/** Provider error codes that mean the grant is gone (RFC 6749 plus providers' own names). */
const DEAD_GRANT = new Set([
  "invalid_grant",
  "invalid_code",
  "bad_verification_code",
  "code_already_used",
  "invalid_refresh_token",
  "bad_refresh_token",
  "token_revoked",
  "token_expired",
  "expired_token",
]);
const BAD_CLIENT = new Set([
  "invalid_client",
  "incorrect_client_credentials",
  "unauthorized_client",
  "redirect_uri_mismatch",
  "bad_redirect_uri",
  "invalid_client_id",
]);

/** Classifies a provider's error code. */
export function classifyProviderError(code: string): OAuthFailure {
  if (DEAD_GRANT.has(code)) return "invalid_grant";
  if (BAD_CLIENT.has(code)) return "invalid_client";
  if (code === "temporarily_unavailable" || code === "ratelimited" || code === "rate_limited") return "unavailable";
  return "bad_response";
}
