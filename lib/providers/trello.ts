// Trello's quirk: a 401 does not always mean the token is dead.
import type { ProviderHooks } from "./hooks";

/**
 * Trello answers 401 `unauthorized card permission requested` (and the same for other
 * models) when the token works but its member may not write on that board (?): the
 * connection is fine, the action lacks a permission. Its other 401s (`invalid token`,
 * `invalid key`) do mean a dead credential.
 */
const PERMISSION_REFUSAL = /^unauthorized [a-z ]*permission requested$/i;

export const trelloHooks: ProviderHooks = {
  refusesCredential: ({ status, body }) => (status === 401 && PERMISSION_REFUSAL.test(body.trim()) ? false : undefined),
};
