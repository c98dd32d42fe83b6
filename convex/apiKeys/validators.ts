/** The API key tables' row shapes, used by the schema and the functions that write them. */
import { literals } from "convex-helpers/validators";
import { v } from "convex/values";
import { API_KEY_SCOPES } from "../../lib/api-keys/scopes";

export const apiKeyScopeValidator = literals(...API_KEY_SCOPES);

export const apiKeyFields = {
  orgId: v.id("organizations"),
  name: v.string(),
  /** Lowercase hex SHA-256 of the key; the key itself is never stored. */
  keyHash: v.string(),
  /** `sbk_` and the first four random characters, for display. */
  prefix: v.string(),
  lastFour: v.string(),
  scopes: v.array(apiKeyScopeValidator),
  /** Providers whose connections the key may use; absent = every connection. */
  providerIds: v.optional(v.array(v.string())),
  rateLimitPerMinute: v.number(),
  expiresAt: v.optional(v.number()),
  revokedAt: v.optional(v.number()),
  /** Set on a rotated key: its replacement, and when it stops working. */
  replacedBy: v.optional(v.id("apiKeys")),
  graceEndsAt: v.optional(v.number()),
  rotatedFrom: v.optional(v.id("apiKeys")),
  createdBy: v.id("users"),
  createdAt: v.number(),
};

export const apiKeyUsageDayFields = {
  orgId: v.id("organizations"),
  keyId: v.id("apiKeys"),
  /** UTC midnight of the day, ms. */
  dayStart: v.number(),
  requests: v.number(),
  /** Answers with a status of 400 or more. */
  errors: v.number(),
  lastUsedAt: v.number(),
};

export const apiKeyRequestFields = {
  orgId: v.id("organizations"),
  keyId: v.id("apiKeys"),
  at: v.number(),
  method: v.string(),
  /** The route's path pattern (`/v1/connections/{providerId}`), never the path with its ids. */
  route: v.string(),
  status: v.number(),
  latencyMs: v.number(),
  userAgent: v.optional(v.string()),
  ip: v.optional(v.string()),
};
