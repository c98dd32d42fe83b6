/** Whether a connection's granted scopes cover what an action needs, checked before any request leaves. */
import type { ScopeNeed } from "./define";

/**
 * The first scope an action needs that `granted` lacks (the one to ask for on
 * reconnect), or null. For a need with alternatives, the first alternative is named.
 * @example missingScope([["repo", "public_repo"]], ["public_repo"]) // null
 */
export function missingScope(needs: readonly ScopeNeed[], granted: readonly string[]): string | null {
  const have = new Set(granted);
  for (const need of needs) {
    const choices = typeof need === "string" ? [need] : need;
    if (choices.length > 0 && !choices.some((scope) => have.has(scope))) return choices[0]!;
  }
  return null;
}

/** Every scope name an action mentions, for the catalog check against the provider's scopes. */
export function scopeNames(needs: readonly ScopeNeed[]): string[] {
  return needs.flatMap((need) => (typeof need === "string" ? [need] : [...need]));
}
