import type { OAuth2Provider } from "./schema";

/**
 * The `scope` parameter for an authorize request: trimmed, de-duplicated, joined
 * with the provider's separator (Slack, Linear: `,`; most others: space).
 * Returns "" when there are no scopes (Notion takes none).
 * @example scopesParam(slack, ["chat:write", "channels:read"]) // "chat:write,channels:read"
 */
export function scopesParam(provider: OAuth2Provider, scopes: readonly string[] = provider.defaultScopes): string {
  const unique = [...new Set(scopes.map((scope) => scope.trim()).filter(Boolean))];
  for (const scope of unique) {
    if (scope.includes(provider.scopeSeparator) || /\s/.test(scope)) {
      throw new Error(`Scope "${scope}" cannot be sent to ${provider.id}: it contains a separator`);
    }
  }
  return unique.join(provider.scopeSeparator);
}

/**
 * Splits a scope string as a provider returns it. Providers are loose here (GitHub
 * requests with spaces and answers with commas), so both separators are accepted.
 */
export function parseScopes(value: string | null | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(/[\s,]+/).filter(Boolean))];
}

/** Every scope the catalog knows for a provider: defaults first, then optional ones. */
export function knownScopes(provider: OAuth2Provider): string[] {
  return [...new Set([...provider.defaultScopes, ...provider.optionalScopes.map((s) => s.scope)])];
}
