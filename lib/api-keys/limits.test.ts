import { describe, expect, test } from "vitest";
import {
  API_KEY_NAME_MAX_LENGTH,
  DAY_MS,
  EXPIRY_MAX_MS,
  EXPIRY_WARNING_MS,
  KEY_CONNECTIONS_MAX,
  RATE_LIMIT_MAX_PER_MINUTE,
  ROTATION_GRACE_MAX_MS,
  keySettingsProblem,
  keyState,
  rotationGraceProblem,
  usageDayStart,
} from "./limits";

const NOW = 1_750_000_000_000;
const ok = { name: "CI", scopes: ["calls:read"] };

describe("keySettingsProblem", () => {
  test("accepts good settings, at every bound", () => {
    expect(keySettingsProblem(ok, NOW)).toBeNull();
    expect(keySettingsProblem({ ...ok, name: "x".repeat(API_KEY_NAME_MAX_LENGTH) }, NOW)).toBeNull();
    expect(keySettingsProblem({ ...ok, expiresAt: NOW + EXPIRY_MAX_MS }, NOW)).toBeNull();
    expect(keySettingsProblem({ ...ok, expiresAt: NOW + 1 }, NOW)).toBeNull();
    expect(keySettingsProblem({ ...ok, rateLimitPerMinute: 1 }, NOW)).toBeNull();
    expect(keySettingsProblem({ ...ok, rateLimitPerMinute: RATE_LIMIT_MAX_PER_MINUTE }, NOW)).toBeNull();
    expect(keySettingsProblem({ ...ok, providerIds: Array(KEY_CONNECTIONS_MAX).fill("github") }, NOW)).toBeNull();
  });

  test("names the field at fault", () => {
    const field = (input: Partial<typeof ok> & Record<string, unknown>) => keySettingsProblem({ ...ok, ...input }, NOW)?.field;
    expect(field({ name: "   " })).toBe("name");
    expect(field({ name: "x".repeat(API_KEY_NAME_MAX_LENGTH + 1) })).toBe("name");
    expect(field({ scopes: [] })).toBe("scopes");
    expect(field({ providerIds: Array(KEY_CONNECTIONS_MAX + 1).fill("github") })).toBe("providerIds");
    expect(field({ expiresAt: NOW })).toBe("expiresAt");
    expect(field({ expiresAt: Number.NaN })).toBe("expiresAt");
    expect(field({ expiresAt: NOW + EXPIRY_MAX_MS + 1 })).toBe("expiresAt");
    expect(field({ rateLimitPerMinute: 0 })).toBe("rateLimitPerMinute");
    expect(field({ rateLimitPerMinute: 1.5 })).toBe("rateLimitPerMinute");
    expect(field({ rateLimitPerMinute: RATE_LIMIT_MAX_PER_MINUTE + 1 })).toBe("rateLimitPerMinute");
  });

  test("messages say what to do", () => {
    expect(keySettingsProblem({ ...ok, name: "" }, NOW)).toEqual({ field: "name", message: "Give the key a name." });
    expect(keySettingsProblem({ ...ok, scopes: [] }, NOW)?.message).toBe("Choose at least one scope.");
    expect(keySettingsProblem({ ...ok, expiresAt: NOW - 1 }, NOW)?.message).toBe("The expiry must be in the future.");
    expect(keySettingsProblem({ ...ok, expiresAt: NOW + EXPIRY_MAX_MS + 1 }, NOW)?.message).toBe("The expiry is at most a year ahead.");
    expect(keySettingsProblem({ ...ok, rateLimitPerMinute: -1 }, NOW)?.message).toMatch(/1 to 10000/);
    expect(keySettingsProblem({ ...ok, name: "x".repeat(81) }, NOW)?.message).toMatch(/at most 80/);
    expect(keySettingsProblem({ ...ok, providerIds: Array(51).fill("a") }, NOW)?.message).toMatch(/at most 50/);
  });
});

describe("rotationGraceProblem", () => {
  test("0 to 30 days, whole milliseconds", () => {
    expect(rotationGraceProblem(0)).toBeNull();
    expect(rotationGraceProblem(ROTATION_GRACE_MAX_MS)).toBeNull();
    expect(rotationGraceProblem(-1)).toBe("The grace period is 0 to 30 days.");
    expect(rotationGraceProblem(ROTATION_GRACE_MAX_MS + 1)).not.toBeNull();
    expect(rotationGraceProblem(0.5)).not.toBeNull();
  });
});

describe("keyState", () => {
  test("revoked, expired, expiring within the warning, or active", () => {
    expect(keyState({}, NOW)).toBe("active");
    expect(keyState({ revokedAt: NOW }, NOW)).toBe("revoked");
    expect(keyState({ revokedAt: NOW + 1 }, NOW)).toBe("active");
    expect(keyState({ revokedAt: NOW, expiresAt: NOW - 1 }, NOW)).toBe("revoked");
    expect(keyState({ expiresAt: NOW }, NOW)).toBe("expired");
    expect(keyState({ expiresAt: NOW + 1 }, NOW)).toBe("expiring");
    expect(keyState({ expiresAt: NOW + EXPIRY_WARNING_MS }, NOW)).toBe("expiring");
    expect(keyState({ expiresAt: NOW + EXPIRY_WARNING_MS + 1 }, NOW)).toBe("active");
  });
});

describe("usageDayStart", () => {
  test("is UTC midnight of the day", () => {
    expect(usageDayStart(Date.UTC(2026, 11, 2, 23, 59, 59, 999))).toBe(Date.UTC(2026, 11, 2));
    expect(usageDayStart(Date.UTC(2026, 11, 2))).toBe(Date.UTC(2026, 11, 2));
    expect(DAY_MS).toBe(86_400_000);
  });
});
