/**
 * Whether a provider's answer means "this credential is refused", the one rule that
 * connect-time checks, keep-alive and calls share: HTTP 401 (RFC 9110 §15.5.2), unless
 * the provider's `refusesCredential` hook says otherwise either way (Slack refuses with
 * 200 `ok: false`; Trello's 401 "unauthorized card permission requested" is a permission
 * the token lacks on one board, not a dead token).
 * A 403 is not a refusal: the credential works but lacks a permission, or the
 * provider is rate limiting (GitHub answers 403 for both).
 */
import { hooksOf } from "../providers/hooks";
import type { Provider } from "../providers/schema";

/**
 * @example isCredentialRefused(slack, 200, '{"ok":false,"error":"token_expired"}') // true
 */
export function isCredentialRefused(provider: Pick<Provider, "id">, status: number, body: string): boolean {
  return hooksOf(provider).refusesCredential?.({ status, body }) ?? status === 401;
}
