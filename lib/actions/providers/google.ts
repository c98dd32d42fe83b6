/**
 * What Google's JSON APIs share (Gmail, Calendar): the error answer
 * `{ error: { code, message, status, errors: [{ domain, reason, message, location?,
 * locationType? }], details? } }` (developers.google.com/workspace/calendar/api/guides/errors;
 * cloud.google.com/apis/design/errors for `status` and the `google.rpc.ErrorInfo` detail).
 *
 * - Rate limits come as 403 `rateLimitExceeded` / `userRateLimitExceeded` / `quotaExceeded`
 *   or 429 (`RESOURCE_EXHAUSTED`) (…/calendar/api/guides/errors, "403: Rate limit exceeded",
 *   "429: Too many requests"; developers.google.com/workspace/gmail/api/reference/quota);
 *   `dailyLimitExceeded` is read the same way (?).
 * - A token without the scope: 403 `insufficientPermissions`, `PERMISSION_DENIED` with an
 *   `ErrorInfo` of reason `ACCESS_TOKEN_SCOPE_INSUFFICIENT`.
 * - 401 `authError`: the token is dead; 404 `notFound`; 400 `required`, `invalid`,
 *   `badRequest`, `invalidArgument`, … whose `location` may name the parameter.
 */
import type { ActionAnswer } from "../define";
import { failureOfStatus, providerValidationFailure, retryAfterMs, type ActionFailure } from "../errors";

/** The first entry of Google's `errors`, as a service's field mapping sees it. */
export type GoogleErrorDetail = { status: number; reason: string; message: string; location: string };

const RATE_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded"]);

type GoogleError = {
  message?: unknown;
  status?: unknown;
  errors?: Array<{ reason?: unknown; message?: unknown; location?: unknown }>;
  details?: Array<{ reason?: unknown }>;
};

const text = (value: unknown) => (typeof value === "string" ? value : "");

/**
 * A Google answer's failure, or null for a 2xx. `fieldOf` names the input field a 400 (or a
 * 403/404 it recognises) is about: it is then the caller's input that is wrong.
 */
export function googleFailure(
  answer: ActionAnswer,
  service: string,
  fieldOf: (detail: GoogleErrorDetail) => string | undefined = () => undefined,
): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const body = answer.json as { error?: unknown } | undefined;
  const error: GoogleError = typeof body?.error === "object" && body.error !== null ? (body.error as GoogleError) : {};
  const first = Array.isArray(error.errors) ? error.errors[0] : undefined;
  const detail: GoogleErrorDetail = { status, reason: text(first?.reason), message: text(error.message) || text(first?.message), location: text(first?.location) };
  const code = detail.reason ? { providerCode: detail.reason } : {};
  const rpcReasons = Array.isArray(error.details) ? error.details.map((item) => text(item?.reason)) : [];
  const said = detail.message.replace(/\.+$/, "");

  if (status === 429 || (status === 403 && (RATE_REASONS.has(detail.reason) || error.status === "RESOURCE_EXHAUSTED"))) {
    const after = retryAfterMs(answer.headers);
    return {
      code: "rate_limited",
      message: `${service} is rate limiting these requests${said ? `: ${said}` : ""}.`,
      retryable: true,
      ...(after !== undefined ? { retryAfterMs: after } : {}),
      ...code,
      status,
    };
  }
  if (status === 403 && (detail.reason === "insufficientPermissions" || rpcReasons.includes("ACCESS_TOKEN_SCOPE_INSUFFICIENT"))) {
    return {
      code: "missing_scope",
      message: `${service} says the connection was not granted the scope this needs: reconnect ${service} and grant it.`,
      retryable: false,
      ...code,
      status,
    };
  }
  // A 401 falls through to failureOfStatus: auth_revoked, whatever the mapping says.
  const field = status === 401 ? undefined : fieldOf(detail);
  if (status === 400 || field !== undefined) {
    const why = detail.message || "the request was refused.";
    return providerValidationFailure(service, why, field !== undefined ? { [field]: why } : undefined, { ...code, status });
  }
  return { ...failureOfStatus(answer, service, said || undefined), ...code };
}
