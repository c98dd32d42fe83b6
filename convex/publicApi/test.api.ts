/** Test helpers for the public API: keys made the way the app makes them, and requests through convex/http.ts. */
import { api } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { Backend, TestUser } from "../test.helpers";

export type KeySettings = {
  name?: string;
  scopes: string[];
  providerIds?: string[];
  expiresAt?: number;
  rateLimitPerMinute?: number;
};

/** Creates a key as `admin` (through the public action) and answers its id and the key. */
export async function makeKey(admin: TestUser, orgId: Id<"organizations">, settings: KeySettings) {
  return await admin.as.action(api.apiKeys.keys.create, { orgId, name: settings.name ?? "Test key", ...settings });
}

export type ApiRequest = { method: string; path: string; body?: unknown; headers?: Record<string, string> };

/** Sends one request to the deployment's HTTP routes with `key` (when given) as the bearer. */
export async function callApi(t: Backend, request: ApiRequest, key?: string | null, authorization?: string) {
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (authorization !== undefined) headers.Authorization = authorization;
  else if (key) headers.Authorization = `Bearer ${key}`;
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await t.fetch(request.path, {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}
