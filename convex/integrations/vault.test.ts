/**
 * The vault seen from the outside: after real connections, no table holds a token or
 * password in the clear; a ciphertext moved or tampered with stops working; key
 * rotation leaves nothing under the old key and every connection still tests green.
 */
import { describe, expect, inject, test } from "vitest";
import { catalog } from "../../lib/providers";
import { keyIdOf } from "../../lib/vault";
import { api, internal } from "../_generated/api";
import schema from "../schema";
import { connectOAuth, simulatedOrg, TEST_KEY_RING } from "../test.helpers";

const simulatorUrl = inject("simulatorUrl");
const TYPED_SECRETS = ["wp app pass 1234", "wpapppass1234", "hook-bearer-9876", "trello-token-typed"];

async function connectedWorld() {
  const { t, simulator, admin, orgId } = await simulatedOrg(simulatorUrl);
  for (const provider of catalog.filter((p) => p.authKind === "oauth2")) {
    await simulator.setTokenLifetime(provider.id, 3600);
    await connectOAuth(admin, orgId, provider.id);
  }
  await simulator.addWordPressUser("editor", TYPED_SECRETS[0]!);
  await admin.as.action(api.integrations.credentials.connect, {
    orgId,
    providerId: "wordpress",
    values: { siteUrl: await simulator.siteUrl("wordpress"), username: "editor", applicationPassword: TYPED_SECRETS[0]! },
  });
  await admin.as.action(api.integrations.credentials.connect, {
    orgId,
    providerId: "custom-webhook",
    values: {
      url: await simulator.webhookUrl("custom-webhook"),
      method: "POST",
      authMode: "bearer",
      bearerToken: TYPED_SECRETS[2]!,
    },
  });
  await simulator.addApiKeyCredentials("trello", { apiKey: "trello-key-typed", token: TYPED_SECRETS[3]! });
  await admin.as.action(api.integrations.credentials.connect, {
    orgId,
    providerId: "trello",
    values: { apiKey: "trello-key-typed", token: TYPED_SECRETS[3]! },
  });
  return { t, simulator, admin, orgId };
}

async function everyRow(t: Awaited<ReturnType<typeof connectedWorld>>["t"]) {
  return t.run(async (ctx) => {
    const rows: unknown[] = [];
    for (const table of Object.keys(schema.tables)) {
      rows.push(...(await ctx.db.query(table as keyof typeof schema.tables).collect()));
    }
    return JSON.stringify(rows);
  });
}

describe("the vault, end to end", () => {
  test("no table holds a token the simulator issued or a password the test typed", async () => {
    const w = await connectedWorld();
    const issued = await w.simulator.issuedTokens();
    expect(issued.length).toBeGreaterThan(20);
    const dump = await everyRow(w.t);
    for (const { token } of issued) expect(dump).not.toContain(token);
    for (const secret of TYPED_SECRETS) expect(dump).not.toContain(secret);
  });

  test("a ciphertext moved to another connection no longer decrypts", async () => {
    const w = await connectedWorld();
    await w.t.run(async (ctx) => {
      const rows = await ctx.db.query("connections").collect();
      const github = rows.find((r) => r.providerId === "github")!;
      const slack = rows.find((r) => r.providerId === "slack")!;
      await ctx.db.patch(slack._id, { secrets: github.secrets });
    });
    const result = await w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId: "slack" });
    expect(result.ok).toBe(false);
    const slack = await w.t.run((ctx) =>
      ctx.db.query("connections").filter((q) => q.eq(q.field("providerId"), "slack")).first(),
    );
    expect(slack).toMatchObject({ status: "error", statusReason: "decrypt_failed" });
  });

  test("a ciphertext moved to another field, or tampered with, no longer decrypts", async () => {
    const w = await connectedWorld();
    // Change one character of the ciphertext body to a different one, always.
    const flip = (c: string) => c.slice(0, -2) + (c.at(-2) === "A" ? "B" : "A") + c.slice(-1);
    await w.t.run(async (ctx) => {
      const rows = await ctx.db.query("connections").collect();
      const wordpress = rows.find((r) => r.providerId === "wordpress")!;
      const notion = rows.find((r) => r.providerId === "notion")!;
      await ctx.db.patch(wordpress._id, { secrets: { applicationPassword: flip(wordpress.secrets.applicationPassword!) } });
      await ctx.db.patch(notion._id, { secrets: { accessToken: notion.secrets.refreshToken ?? "v1.x.y.z" } });
    });
    for (const providerId of ["wordpress", "notion"]) {
      const result = await w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId });
      expect(result.ok, providerId).toBe(false);
    }
  });

  test("after rotation to a new key, nothing is left under the old one and every connection tests green", async () => {
    const w = await connectedWorld();
    const newKey = `rot2:${btoa(String.fromCharCode(...new Uint8Array(32).fill(42)))}`;
    process.env.SWITCHBOARD_ENCRYPTION_KEYS = `${newKey},${TEST_KEY_RING}`;
    try {
      await w.t.action(internal.integrations.rotation.rotateKeys, { cursor: null });
      await w.t.finishAllScheduledFunctions(() => {});
      const second = await w.t.action(internal.integrations.rotation.rotateKeys, { cursor: null });
      expect(second.rotated).toBe(0);
      const rows = await w.t.run((ctx) => ctx.db.query("connections").collect());
      const keyIds = rows.flatMap((r) => Object.values(r.secrets).map(keyIdOf));
      expect(keyIds.length).toBeGreaterThan(15);
      expect(new Set(keyIds)).toEqual(new Set(["rot2"]));

      process.env.SWITCHBOARD_ENCRYPTION_KEYS = newKey;
      for (const row of rows) {
        const result = await w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId: row.providerId });
        expect(result.ok, row.providerId).toBe(true);
      }
    } finally {
      process.env.SWITCHBOARD_ENCRYPTION_KEYS = TEST_KEY_RING;
    }
  });

  test("a row that does not decrypt is counted and marked, and never stalls the run", async () => {
    const w = await connectedWorld();
    const rows = await w.t.run((ctx) => ctx.db.query("connections").collect());
    // One row's ciphertext moved from another row: it no longer decrypts under its own binding.
    const [victim, donor] = [rows.find((r) => r.providerId === "github")!, rows.find((r) => r.providerId === "slack")!];
    const broken = { ...victim.secrets, accessToken: donor.secrets.accessToken! };
    await w.t.run((ctx) => ctx.db.patch(victim._id, { secrets: broken }));
    const newKey = `rot3:${btoa(String.fromCharCode(...new Uint8Array(32).fill(43)))}`;
    process.env.SWITCHBOARD_ENCRYPTION_KEYS = `${newKey},${TEST_KEY_RING}`;
    try {
      const first = await w.t.action(internal.integrations.rotation.rotateKeys, { cursor: null });
      // Connections are done; pending revocations come next, in a batch of their own.
      expect(first).toMatchObject({ failed: 1, done: false });
      expect(first.rotated).toBe(rows.filter((r) => Object.keys(r.secrets).length > 0).length - 1);
      const after = await w.t.run((ctx) => ctx.db.get(victim._id));
      expect(after).toMatchObject({ status: "error", statusReason: "decrypt_failed" });
      expect(after!.secrets).toEqual(broken);
      const audit = await w.t.run((ctx) => ctx.db.query("auditEvents").collect());
      expect(audit.find((e) => e.action === "integration.decrypt_failed")?.details).toMatchObject({ source: "rotation" });
      // A rerun goes past it again, and rotates nothing else.
      expect(await w.t.action(internal.integrations.rotation.rotateKeys, { cursor: null })).toMatchObject({ rotated: 0, failed: 1 });
    } finally {
      process.env.SWITCHBOARD_ENCRYPTION_KEYS = TEST_KEY_RING;
    }
  });

  test("the run's totals add up across batches", async () => {
    const w = await connectedWorld();
    process.env.SWITCHBOARD_ENCRYPTION_KEYS = `rot4:${btoa(String.fromCharCode(...new Uint8Array(32).fill(44)))},${TEST_KEY_RING}`;
    try {
      const rows = await w.t.run((ctx) => ctx.db.query("connections").collect());
      const result = await w.t.action(internal.integrations.rotation.rotateKeys, {
        cursor: null,
        totals: { rotated: 100, skipped: 2, failed: 3 },
      });
      expect(result).toMatchObject({ rotated: 100 + rows.length, skipped: 2, failed: 3 });
    } finally {
      process.env.SWITCHBOARD_ENCRYPTION_KEYS = TEST_KEY_RING;
    }
  });
});
