/** The bounds of an API key's settings, checked when a key is made or rotated. */

export const API_KEY_NAME_MAX_LENGTH = 80;
export const RATE_LIMIT_DEFAULT_PER_MINUTE = 60;
export const RATE_LIMIT_MAX_PER_MINUTE = 10_000;
/** How long a rotated key keeps working unless the admin chooses otherwise. */
export const ROTATION_GRACE_DEFAULT_MS = 24 * 60 * 60_000;
export const ROTATION_GRACE_MAX_MS = 30 * 24 * 60 * 60_000;
/** The page warns this long before a key expires. */
export const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60_000;
/** An expiry at most this far ahead. */
export const EXPIRY_MAX_MS = 366 * 24 * 60 * 60_000;
/** Connections one key may be limited to. */
export const KEY_CONNECTIONS_MAX = 50;
/** Days of per-day request counts the page charts. */
export const USAGE_DAYS_SHOWN = 30;

export type KeySettingsInput = {
  name: string;
  scopes: readonly string[];
  providerIds?: readonly string[] | undefined;
  expiresAt?: number | undefined;
  rateLimitPerMinute?: number | undefined;
};

/** The first thing wrong with a key's settings, with the field it belongs to, or null. */
export function keySettingsProblem(input: KeySettingsInput, now: number): { field: string; message: string } | null {
  const name = input.name.trim();
  if (name.length === 0) return { field: "name", message: "Give the key a name." };
  if (name.length > API_KEY_NAME_MAX_LENGTH) return { field: "name", message: `A name is at most ${API_KEY_NAME_MAX_LENGTH} characters.` };
  if (input.scopes.length === 0) return { field: "scopes", message: "Choose at least one scope." };
  if ((input.providerIds?.length ?? 0) > KEY_CONNECTIONS_MAX) {
    return { field: "providerIds", message: `A key can be limited to at most ${KEY_CONNECTIONS_MAX} connections.` };
  }
  if (input.expiresAt !== undefined) {
    if (!Number.isFinite(input.expiresAt) || input.expiresAt <= now) return { field: "expiresAt", message: "The expiry must be in the future." };
    if (input.expiresAt - now > EXPIRY_MAX_MS) return { field: "expiresAt", message: "The expiry is at most a year ahead." };
  }
  const limit = input.rateLimitPerMinute;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > RATE_LIMIT_MAX_PER_MINUTE)) {
    return { field: "rateLimitPerMinute", message: `The rate limit is a whole number of requests per minute, 1 to ${RATE_LIMIT_MAX_PER_MINUTE}.` };
  }
  return null;
}

/** The grace period of a rotation, or a message saying why it is not one. */
export function rotationGraceProblem(graceMs: number): string | null {
  if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > ROTATION_GRACE_MAX_MS) {
    return "The grace period is 0 to 30 days.";
  }
  return null;
}

export type KeyState = "active" | "expiring" | "expired" | "revoked";

/** How a key stands at `now`: `expiring` within EXPIRY_WARNING_MS of its expiry. */
export function keyState(key: { revokedAt?: number | undefined; expiresAt?: number | undefined }, now: number): KeyState {
  if (key.revokedAt !== undefined && key.revokedAt <= now) return "revoked";
  if (key.expiresAt !== undefined && key.expiresAt <= now) return "expired";
  if (key.expiresAt !== undefined && key.expiresAt - now <= EXPIRY_WARNING_MS) return "expiring";
  return "active";
}

export const DAY_MS = 24 * 60 * 60_000;

/** The start (UTC midnight, ms) of the day `at` falls in: per-day usage counters are keyed by it. */
export function usageDayStart(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}
