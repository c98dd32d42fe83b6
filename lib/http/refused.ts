/**
 * Whether a provider's answer means "this credential is refused", the one rule that
 * connect-time checks, keep-alive and calls share: HTTP 401 (RFC 9110 §15.5.2), or
 * what the provider's `refusesCredential` hook says (Slack answers 200 `ok: false`).
 * A 403 is not a refusal: the credential works but lacks a permission, or the
 * provider is rate limiting (GitHub answers 403 for both).
 */
import { hooksOf } from "../providers/hooks";
import type { Provider } from "../providers/schema";

/**
 * @example isCredentialRefused(slack, 200, '{"ok":false,"error":"token_expired"}') // true
 */
export function isCredentialRefused(provider: Pick<Provider, "id">, status: number, body: string): boolean {
  if (status === 401) return true;
  return hooksOf(provider).refusesCredential?.({ status, body }) ?? false;
}
