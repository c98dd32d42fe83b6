/** What the API key functions share: the actor a key acts as, settings checks, and a key as the page sees it. */
import { ConvexError } from "convex/values";
import {
  API_KEY_SCOPES,
  isApiKeyScope,
  keySettingsProblem,
  keyState,
  scopesBeyondRole,
  type ApiKeyScope,
  type KeySettingsInput,
} from "../../lib/api-keys";
import { ErrorCode } from "../../lib/errors";
import { getProvider } from "../../lib/providers";
import type { Role } from "../../lib/roles";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import type { Actor } from "../shared/validators";

/** Keys one organization may hold (revoked and replaced ones included); the list shows them all. */
export const API_KEYS_PER_ORG_MAX = 100;

/** The audit and call-log actor of a request made with `key`. */
export function keyActor(key: Pick<Doc<"apiKeys">, "_id" | "name">): Actor {
  return { kind: "apiKey", id: key._id, label: `API key “${key.name}”` };
}

function invalid(field: string, message: string): ConvexError<{ code: string; message: string; field: string }> {
  return new ConvexError({ code: ErrorCode.INVALID_INPUT, message, field });
}

/**
 * The settings of a new key, checked: bounds, known scopes within what `role` may do,
 * known providers. Throws `INVALID_INPUT` (with the field) or `FORBIDDEN`.
 */
export function checkedSettings(input: KeySettingsInput, role: Role, now: number) {
  const problem = keySettingsProblem(input, now);
  if (problem) throw invalid(problem.field, problem.message);
  const unknown = input.scopes.find((scope) => !isApiKeyScope(scope));
  if (unknown !== undefined) throw invalid("scopes", `There is no scope called "${unknown}"; the scopes are ${API_KEY_SCOPES.join(", ")}.`);
  const scopes = API_KEY_SCOPES.filter((scope) => input.scopes.includes(scope));
  const beyond = scopesBeyondRole(scopes, role);
  if (beyond.length > 0) {
    throw new ConvexError({ code: ErrorCode.FORBIDDEN, message: `Your role cannot grant ${beyond.join(", ")}, so a key cannot either.` });
  }
  const providerIds = input.providerIds === undefined ? undefined : [...new Set(input.providerIds)];
  const stranger = providerIds?.find((id) => !getProvider(id));
  if (stranger !== undefined) throw invalid("providerIds", `There is no provider called "${stranger}".`);
  if (providerIds?.length === 0) throw invalid("providerIds", "Choose at least one connection, or allow every connection.");
  return { name: input.name.trim(), scopes: scopes as ApiKeyScope[], providerIds, expiresAt: input.expiresAt, rateLimitPerMinute: input.rateLimitPerMinute };
}

/** The key with this id in this org, or null (another org's key answers like a missing one). */
export async function orgKey(ctx: QueryCtx, orgId: Id<"organizations">, keyId: string): Promise<Doc<"apiKeys"> | null> {
  const id = ctx.db.normalizeId("apiKeys", keyId);
  const key = id ? await ctx.db.get(id) : null;
  return key && key.orgId === orgId ? key : null;
}

export async function requireOrgKey(ctx: QueryCtx, orgId: Id<"organizations">, keyId: string): Promise<Doc<"apiKeys">> {
  const key = await orgKey(ctx, orgId, keyId);
  if (!key) throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "There is no such API key in this organization." });
  return key;
}

/** When a key stops working, if it does: its expiry, or the end of its grace after a rotation, whichever comes first. */
export function keyEndsAt(key: Pick<Doc<"apiKeys">, "expiresAt" | "graceEndsAt">): number | undefined {
  const ends = [key.expiresAt, key.graceEndsAt].filter((at): at is number => at !== undefined);
  return ends.length > 0 ? Math.min(...ends) : undefined;
}

/** A key as the page shows it: never its hash. */
export function presentKey(key: Doc<"apiKeys">, lastUsedAt: number | null, now: number) {
  const endsAt = keyEndsAt(key);
  return {
    id: key._id,
    name: key.name,
    prefix: key.prefix,
    lastFour: key.lastFour,
    scopes: key.scopes,
    providerIds: key.providerIds ?? null,
    rateLimitPerMinute: key.rateLimitPerMinute,
    expiresAt: key.expiresAt ?? null,
    graceEndsAt: key.graceEndsAt ?? null,
    replacedBy: key.replacedBy ?? null,
    revokedAt: key.revokedAt ?? null,
    createdAt: key.createdAt,
    lastUsedAt,
    state: keyState({ revokedAt: key.revokedAt, expiresAt: endsAt }, now),
  };
}
