/**
 * Whether a provider's answer means "this credential is refused". Mostly HTTP 401;
 * Slack's Web API answers HTTP 200 with `ok: false` and an auth error code instead.
 */
import type { Provider } from "../providers/schema";

/** Slack error codes that mean the token is bad, not the request. */
const SLACK_AUTH_ERRORS = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"]);

/**
 * True when the answer refuses the credential.
 * @example isCredentialRefused(slack, 200, '{"ok":false,"error":"token_expired"}') // true
 */
export function isCredentialRefused(provider: Pick<Provider, "errorStyle">, status: number, body: string): boolean {
  if (status === 401) return true;
  if (provider.errorStyle !== "slack_ok_false" || status !== 200 || !body.includes('"ok"')) return false;
  try {
    const data = JSON.parse(body) as { ok?: unknown; error?: unknown };
    return data.ok === false && typeof data.error === "string" && SLACK_AUTH_ERRORS.has(data.error);
  } catch {
    return false;
  }
}
