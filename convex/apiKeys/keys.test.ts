/** API keys: who may make, rotate and revoke them, what is stored, and what the list shows. */
import { describe, expect, test } from "vitest";
import { hashApiKey, parseApiKey } from "../../lib/api-keys";
import { api } from "../_generated/api";
import { callApi, makeKey } from "../publicApi/test.api";
import { createOrg, createUser, errorOf, setupBackend } from "../test.helpers";

async function world() {
  const t = await setupBackend();
  const admin = await createUser(t, "admin@example.com");
  const member = await createUser(t, "member@example.com");
  const orgId = await createOrg(t, "Acme", [
    { user: admin, role: "admin" },
    { user: member, role: "member" },
  ]);
  return { t, admin, member, orgId };
}

const CONNECTIONS = { method: "GET", path: "/v1/connections" };

describe("apiKeys.keys.create", () => {
  test("answers a well-formed key once and stores only its hash, prefix and last four", async () => {
    const { t, admin, orgId } = await world();
    const { id, key } = await makeKey(admin, orgId, { name: "  CI deploys ", scopes: ["connections:read"] });
    expect(parseApiKey(key)).toEqual({ ok: true, key });
    const row = (await t.run((ctx) => ctx.db.get(id)))!;
    expect(row).toMatchObject({
      name: "CI deploys",
      keyHash: await hashApiKey(key),
      prefix: key.slice(0, 8),
      lastFour: key.slice(-4),
      scopes: ["connections:read"],
      rateLimitPerMinute: 60,
    });
    expect(JSON.stringify(row)).not.toContain(key.slice(8, -4));
    const audit = await t.run((ctx) => ctx.db.query("auditEvents").collect());
    expect(audit).toMatchObject([{ action: "api_key.created", actor: { kind: "user", id: admin.userId }, subject: "CI deploys" }]);
  });

  test("members may not create keys", async () => {
    const { member, orgId } = await world();
    expect(await errorOf(makeKey(member, orgId, { scopes: ["connections:read"] }))).toMatchObject({ code: "FORBIDDEN" });
  });

  test("bad settings are refused with the field at fault", async () => {
    const { admin, orgId } = await world();
    expect(await errorOf(makeKey(admin, orgId, { name: " ", scopes: ["connections:read"] }))).toMatchObject({ code: "INVALID_INPUT", field: "name" });
    expect(await errorOf(makeKey(admin, orgId, { scopes: [] }))).toMatchObject({ code: "INVALID_INPUT", field: "scopes" });
    expect(await errorOf(makeKey(admin, orgId, { scopes: ["everything:write"] }))).toMatchObject({
      code: "INVALID_INPUT",
      field: "scopes",
      message: expect.stringContaining('"everything:write"'),
    });
    expect(await errorOf(makeKey(admin, orgId, { scopes: ["calls:read"], providerIds: ["myspace"] }))).toMatchObject({ field: "providerIds" });
    expect(await errorOf(makeKey(admin, orgId, { scopes: ["calls:read"], providerIds: [] }))).toMatchObject({ field: "providerIds" });
    expect(await errorOf(makeKey(admin, orgId, { scopes: ["calls:read"], expiresAt: Date.now() - 1 }))).toMatchObject({ field: "expiresAt" });
    expect(await errorOf(makeKey(admin, orgId, { scopes: ["calls:read"], rateLimitPerMinute: 0 }))).toMatchObject({ field: "rateLimitPerMinute" });
  });
});

describe("apiKeys.keys.list", () => {
  test("members read the list, with no hash or key, and see last used follow the key's requests", async () => {
    const { t, admin, member, orgId } = await world();
    const { key } = await makeKey(admin, orgId, { scopes: ["connections:read"], providerIds: ["github"] });
    const before = await member.as.query(api.apiKeys.keys.list, { orgId });
    expect(before).toMatchObject([{ prefix: key.slice(0, 8), lastFour: key.slice(-4), scopes: ["connections:read"], providerIds: ["github"], lastUsedAt: null, state: "active" }]);
    expect(JSON.stringify(before)).not.toMatch(/keyHash|[0-9a-f]{64}/);
    await callApi(t, CONNECTIONS, key);
    const [after] = await member.as.query(api.apiKeys.keys.list, { orgId });
    expect(after!.lastUsedAt).toEqual(expect.any(Number));
    const usage = await member.as.query(api.apiKeys.usage.forKey, { orgId, keyId: after!.id });
    expect(usage.days).toMatchObject([{ requests: 1, errors: 0 }]);
    expect(usage.recent).toMatchObject([{ method: "GET", route: "/v1/connections", status: 200 }]);
  });

  test("a key expiring within 7 days is `expiring`", async () => {
    const { admin, orgId } = await world();
    await makeKey(admin, orgId, { scopes: ["calls:read"], expiresAt: Date.now() + 3 * 24 * 3_600_000 });
    expect((await admin.as.query(api.apiKeys.keys.list, { orgId }))[0]!.state).toBe("expiring");
  });
});

describe("apiKeys.keys.rotate and revoke", () => {
  test("a rotated key keeps working through its grace period, alongside its replacement", async () => {
    const { t, admin, orgId } = await world();
    const old = await makeKey(admin, orgId, { scopes: ["connections:read"] });
    const fresh = await admin.as.action(api.apiKeys.keys.rotate, { orgId, keyId: old.id });
    expect(fresh.key).not.toBe(old.key);
    expect((await callApi(t, CONNECTIONS, old.key)).status).toBe(200);
    expect((await callApi(t, CONNECTIONS, fresh.key)).status).toBe(200);
    const rows = await t.run((ctx) => ctx.db.query("apiKeys").collect());
    const oldRow = rows.find((row) => row._id === old.id)!;
    expect(oldRow.replacedBy).toBe(fresh.id);
    expect(oldRow.graceEndsAt! - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(rows.find((row) => row._id === fresh.id)).toMatchObject({ scopes: ["connections:read"], rotatedFrom: old.id });
    // Past the grace, only the replacement works.
    await t.run((ctx) => ctx.db.patch(old.id, { graceEndsAt: Date.now() - 1 }));
    expect((await callApi(t, CONNECTIONS, old.key)).body).toMatchObject({ code: "key_rotated" });
    expect(await errorOf(admin.as.action(api.apiKeys.keys.rotate, { orgId, keyId: old.id }))).toMatchObject({ code: "CONFLICT" });
  });

  test("an expired or revoked key cannot be rotated, and the grace period is bounded", async () => {
    const { t, admin, orgId } = await world();
    const expiring = await makeKey(admin, orgId, { scopes: ["calls:read"], expiresAt: Date.now() + 60_000 });
    expect(await errorOf(admin.as.action(api.apiKeys.keys.rotate, { orgId, keyId: expiring.id, graceMs: -1 }))).toMatchObject({ code: "INVALID_INPUT", field: "graceMs" });
    await t.run((ctx) => ctx.db.patch(expiring.id, { expiresAt: Date.now() - 1 }));
    expect(await errorOf(admin.as.action(api.apiKeys.keys.rotate, { orgId, keyId: expiring.id }))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/expired/) });
    const revoked = await makeKey(admin, orgId, { scopes: ["calls:read"] });
    await admin.as.mutation(api.apiKeys.keys.revoke, { orgId, keyId: revoked.id });
    expect(await errorOf(admin.as.action(api.apiKeys.keys.rotate, { orgId, keyId: revoked.id }))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/revoked/) });
  });

  test("revocation is immediate, audited, and members may not revoke", async () => {
    const { t, admin, member, orgId } = await world();
    const { id, key } = await makeKey(admin, orgId, { scopes: ["connections:read"] });
    expect(await errorOf(member.as.mutation(api.apiKeys.keys.revoke, { orgId, keyId: id }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await errorOf(member.as.action(api.apiKeys.keys.rotate, { orgId, keyId: id }))).toMatchObject({ code: "FORBIDDEN" });
    await admin.as.mutation(api.apiKeys.keys.revoke, { orgId, keyId: id });
    expect((await callApi(t, CONNECTIONS, key)).body).toMatchObject({ code: "key_revoked" });
    const audit = await t.run((ctx) => ctx.db.query("auditEvents").collect());
    expect(audit.map((event) => event.action)).toEqual(["api_key.created", "api_key.revoked"]);
  });

  test("another org's key id answers NOT_FOUND", async () => {
    const { t, admin, orgId } = await world();
    const stranger = await createUser(t, "stranger@example.com");
    const otherOrg = await createOrg(t, "Other", [{ user: stranger, role: "owner" }]);
    const { id } = await makeKey(stranger, otherOrg, { scopes: ["calls:read"] });
    expect(await errorOf(admin.as.mutation(api.apiKeys.keys.revoke, { orgId, keyId: id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await errorOf(admin.as.query(api.apiKeys.usage.forKey, { orgId, keyId: id }))).toMatchObject({ code: "NOT_FOUND" });
  });
});
