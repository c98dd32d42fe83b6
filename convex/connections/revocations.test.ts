/**
 * A revocation that fails without an answer, with a 429 or a 5xx is not the end of
 * the token (RFC 7009 §2.2.1): the disconnect happens at once, the grant's tokens wait
 * encrypted in a pending revocation, and it is tried again with backoff for up to
 * three days, audited when it ends either way.
 */
import { afterEach, describe, expect, inject, test, vi } from "vitest";
import { REVOCATION_GIVE_UP_AFTER_MS } from "../../lib/oauth/revoke";
import { keyIdOf } from "../../lib/vault";
import { api, internal } from "../_generated/api";
import { worldPerTest, type World } from "../calls/test.world";
import { TEST_KEY_RING } from "../test.helpers";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
afterEach(() => {
  vi.useRealTimers();
});

const pendings = (w: World) => w.t.run((ctx) => ctx.db.query("pendingRevocations").collect());
const revocationsAtSimulator = async (w: World) => ((await w.simulator.revocations({ providerId: "github" })) as unknown[]).length;
const disconnect = (w: World) => w.admin.as.action(api.integrations.connections.disconnect, { orgId: w.orgId, providerId: "github" });
const card = async (w: World) =>
  (await w.member.as.query(api.integrations.connections.list, { orgId: w.orgId })).providers.find((p) => p.id === "github")!.connection!;

describe("a revocation that fails for now", () => {
  test("a 503 disconnects at once, keeps the tokens encrypted in a pending revocation, and the card says so", async () => {
    const w = await setup(simulatorUrl, "github");
    const before = await w.connection();
    await w.simulator.failNext("github", "revoke", { kind: "status", status: 503 });
    expect(await disconnect(w)).toEqual({ revokedAtProvider: false, revocationPending: true });
    const row = await w.connection();
    expect(row).toMatchObject({ status: "disconnected", secrets: {}, revocation: "pending" });
    const [pending] = await pendings(w);
    expect(pending).toMatchObject({ connectionId: row._id, attempts: 1, secrets: before.secrets });
    expect(pending!.nextAttemptAt).toBeGreaterThan(Date.now());
    expect(await card(w)).toMatchObject({ status: "disconnected", revocation: "pending" });
    const audit = await w.audit();
    expect(audit.find((e) => e.action === "integration.disconnected")?.details).toMatchObject({ revokedAtProvider: "pending" });
  });

  test("the retry revokes at last: the pending record and its tokens are gone, audited", async () => {
    const w = await setup(simulatorUrl, "github");
    await w.simulator.failNext("github", "revoke", { kind: "rate_limit", retryAfterSeconds: 120 });
    await disconnect(w);
    const [pending] = await pendings(w);
    expect(pending!.nextAttemptAt - Date.now()).toBeGreaterThan(110_000);
    const revokedBefore = await revocationsAtSimulator(w);
    expect(await w.t.action(internal.connections.revocations.retry, { revocationId: pending!._id })).toBe("revoked");
    expect(await revocationsAtSimulator(w)).toBe(revokedBefore + 1);
    expect(await pendings(w)).toEqual([]);
    expect((await w.connection()).revocation).toBeUndefined();
    expect((await w.audit()).find((e) => e.action === "integration.revoked")).toMatchObject({
      actor: { kind: "system", label: "Revocation retry" },
      details: { attempts: 1 },
    });
    // Logged like every request, under the connection.
    const logged = (await w.allLogs()).filter((row) => row.purpose === "revoke");
    expect(logged.map((row) => row.status)).toEqual([429, expect.any(Number)]);
  });

  test("failing again backs off; after three days it gives up, deletes the tokens and says so", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    const w = await setup(simulatorUrl, "github");
    await w.simulator.failNext("github", "revoke", { kind: "status", status: 502 }, 3);
    await disconnect(w);
    const [first] = await pendings(w);
    expect(await w.t.action(internal.connections.revocations.retry, { revocationId: first!._id })).toBe("retry");
    const [second] = await pendings(w);
    expect(second).toMatchObject({ attempts: 2, lastError: expect.stringContaining("HTTP 502") });
    expect(second!.nextAttemptAt).toBeGreaterThan(first!.nextAttemptAt);
    vi.setSystemTime(Date.now() + REVOCATION_GIVE_UP_AFTER_MS);
    expect(await w.t.action(internal.connections.revocations.retry, { revocationId: first!._id })).toBe("retry");
    // The attempt after three days failed, so the plan gave up.
    expect(await pendings(w)).toEqual([]);
    expect((await w.connection()).revocation).toBe("failed");
    expect(await card(w)).toMatchObject({ revocation: "failed" });
    expect((await w.audit()).find((e) => e.action === "integration.revocation_failed")?.details).toMatchObject({ attempts: 3 });
  });

  test("a 4xx is not retried: the token is taken as already dead", async () => {
    const w = await setup(simulatorUrl, "github");
    await w.simulator.failNext("github", "revoke", { kind: "status", status: 404 });
    expect(await disconnect(w)).toEqual({ revokedAtProvider: false, revocationPending: false });
    expect(await pendings(w)).toEqual([]);
    expect((await w.connection()).revocation).toBeUndefined();
  });

  test("reconnecting meanwhile clears the card's mark; the old grant is still revoked", async () => {
    const w = await setup(simulatorUrl, "github");
    await w.simulator.failNext("github", "revoke", { kind: "status", status: 503 });
    await disconnect(w);
    await w.connect();
    expect((await w.connection()).revocation).toBeUndefined();
    const [pending] = await pendings(w);
    expect(await w.t.action(internal.connections.revocations.retry, { revocationId: pending!._id })).toBe("revoked");
    expect((await w.connection()).status).toBe("connected");
  });

  test("key rotation re-encrypts a pending revocation's tokens too", async () => {
    const w = await setup(simulatorUrl, "github");
    await w.simulator.failNext("github", "revoke", { kind: "status", status: 503 });
    await disconnect(w);
    const newKey = `rot9:${btoa(String.fromCharCode(...new Uint8Array(32).fill(9)))}`;
    process.env.SWITCHBOARD_ENCRYPTION_KEYS = `${newKey},${TEST_KEY_RING}`;
    try {
      await w.t.action(internal.integrations.rotation.rotateKeys, { cursor: null, table: "pendingRevocations" });
      const [pending] = await pendings(w);
      expect(new Set(Object.values(pending!.secrets).map(keyIdOf))).toEqual(new Set(["rot9"]));
      process.env.SWITCHBOARD_ENCRYPTION_KEYS = newKey;
      expect(await w.t.action(internal.connections.revocations.retry, { revocationId: pending!._id })).toBe("revoked");
    } finally {
      process.env.SWITCHBOARD_ENCRYPTION_KEYS = TEST_KEY_RING;
    }
  });
});
