import { providerEntries } from "./entries";
import { validateCatalog, type Provider } from "./schema";

/**
 * Every provider Switchboard can connect to, validated when this module loads:
 * a bad entry throws a `ProviderCatalogError` naming the provider and field.
 */
export const catalog: readonly Provider[] = Object.freeze(validateCatalog(providerEntries));

/** The ids of the catalog, in catalog order. */
export const providerIds: readonly string[] = Object.freeze(catalog.map((provider) => provider.id));

const byId = new Map(catalog.map((provider) => [provider.id, provider]));

/** The provider with this id, or null. */
export function getProvider(id: string): Provider | null {
  return byId.get(id) ?? null;
}

/** The provider with this id; throws when there is none (a broken invariant, not user input). */
export function getProviderOrThrow(id: string): Provider {
  const provider = byId.get(id);
  if (!provider) throw new Error(`Unknown provider "${id}"`);
  return provider;
}
