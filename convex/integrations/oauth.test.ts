import { describe, expect, inject, test } from "vitest";
import { catalog, type OAuth2Provider } from "../../lib/providers";
import { api } from "../_generated/api";
import { approve, createOrg, createUser, errorOf, simulatedOrg, type Backend } from "../test.helpers";

const simulatorUrl = inject("simulatorUrl");
const oauthProviders = catalog.filter((p): p is OAuth2Provider => p.authKind === "oauth2");
const RETURN_TO = "/o/acme/settings/integrations";

const world = () => simulatedOrg(simulatorUrl);

type World = Awaited<ReturnType<typeof world>>;

async function startFlow(w: World, providerId: string, as = w.admin) {
  const { authorizeUrl } = await as.as.action(api.integrations.oauth.start, {
    orgId: w.orgId,
    providerId,
    mode: "redirect",
    returnTo: RETURN_TO,
  });
  return authorizeUrl;
}

async function connectionOf(t: Backend, as: World["admin"], orgId: World["orgId"], providerId: string) {
  const list = await as.as.query(api.integrations.connections.list, { orgId });
  return list.providers.find((p) => p.id === providerId)!.connection;
}

describe("every OAuth provider of the catalog, against the simulator", () => {
  test("the catalog has OAuth providers to cover", () => {
    expect(oauthProviders.length).toBeGreaterThanOrEqual(12);
  });

  for (const provider of oauthProviders) {
    test(`${provider.id}: start → consent → callback → connected → test → disconnect`, async () => {
      const w = await world();
      const authorizeUrl = await startFlow(w, provider.id);
      expect(new URL(authorizeUrl).origin).toBe(new URL(simulatorUrl).origin);
      const { code, state } = await approve(authorizeUrl);

      const result = await w.admin.as.action(api.integrations.oauth.complete, {
        providerId: provider.id,
        state: state!,
        code: code!,
      });
      expect(result).toMatchObject({ ok: true, providerId: provider.id, returnTo: RETURN_TO, mode: "redirect" });
      const account = await w.simulator.account(provider.id);
      const connection = await connectionOf(w.t, w.admin, w.orgId, provider.id);
      expect(connection).toMatchObject({ status: "connected" });
      // Most providers name the account by id; Gmail and Calendar by its email address.
      expect([String(account.id), account.email]).toContain(connection!.accountId);
      expect(connection!.accountName).toEqual(expect.any(String));

      const tested = await w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId: provider.id });
      expect(tested.ok).toBe(true);

      const revocationsBefore = (await w.simulator.revocations({ providerId: provider.id })).length;
      const { revokedAtProvider } = await w.admin.as.action(api.integrations.connections.disconnect, {
        orgId: w.orgId,
        providerId: provider.id,
      });
      expect(revokedAtProvider).toBe(provider.revoke !== undefined);
      const revocations = await w.simulator.revocations({ providerId: provider.id });
      expect(revocations.length - revocationsBefore).toBe(provider.revoke ? 1 : 0);
      expect(await connectionOf(w.t, w.admin, w.orgId, provider.id)).toMatchObject({ status: "disconnected" });
      const row = await w.t.run((ctx) => ctx.db.query("connections").first());
      expect(row!.secrets).toEqual({});
    });
  }
});

describe("oauth.complete refuses attacks with their codes", () => {
  test("a reused state is state_reused", async () => {
    const w = await world();
    const { code, state } = await approve(await startFlow(w, "github"));
    await w.admin.as.action(api.integrations.oauth.complete, { providerId: "github", state: state!, code: code! });
    const again = await w.admin.as.action(api.integrations.oauth.complete, {
      providerId: "github",
      state: state!,
      code: code!,
    });
    expect(again).toMatchObject({ ok: false, code: "state_reused" });
  });

  test("an expired state is state_expired", async () => {
    const w = await world();
    const { code, state } = await approve(await startFlow(w, "github"));
    await w.t.run(async (ctx) => {
      for (const row of await ctx.db.query("oauthStates").collect()) await ctx.db.patch(row._id, { expiresAt: Date.now() - 1 });
    });
    const result = await w.admin.as.action(api.integrations.oauth.complete, { providerId: "github", state: state!, code: code! });
    expect(result).toMatchObject({ ok: false, code: "state_expired" });
    expect(await connectionOf(w.t, w.admin, w.orgId, "github")).toBeNull();
  });

  test("another user's state is state_mismatch and stays usable by its owner", async () => {
    const w = await world();
    const { code, state } = await approve(await startFlow(w, "github"));
    const intruder = await createUser(w.t, "intruder@example.com");
    await createOrg(w.t, "Intruders", [{ user: intruder, role: "owner" }]);
    const stolen = await intruder.as.action(api.integrations.oauth.complete, { providerId: "github", state: state!, code: code! });
    expect(stolen).toEqual({ ok: false, code: "state_mismatch" });
    const real = await w.admin.as.action(api.integrations.oauth.complete, { providerId: "github", state: state!, code: code! });
    expect(real.ok).toBe(true);
  });

  test("a state used on another provider's callback is state_mismatch", async () => {
    const w = await world();
    const { code, state } = await approve(await startFlow(w, "github"));
    const result = await w.admin.as.action(api.integrations.oauth.complete, { providerId: "slack", state: state!, code: code! });
    expect(result).toEqual({ ok: false, code: "state_mismatch" });
  });

  test("a state of an org where the user is no longer an admin is forbidden", async () => {
    const w = await world();
    const other = await createOrg(w.t, "Other", [{ user: w.admin, role: "admin" }]);
    const { authorizeUrl } = await w.admin.as.action(api.integrations.oauth.start, {
      orgId: other,
      providerId: "github",
      mode: "popup",
      returnTo: "/o/other/settings/integrations",
    });
    const { code, state } = await approve(authorizeUrl);
    await w.t.run(async (ctx) => {
      const m = await ctx.db
        .query("memberships")
        .withIndex("by_orgId_and_userId", (q) => q.eq("orgId", other).eq("userId", w.admin.userId))
        .unique();
      await ctx.db.patch(m!._id, { role: "member" });
    });
    const result = await w.admin.as.action(api.integrations.oauth.complete, { providerId: "github", state: state!, code: code! });
    expect(result).toMatchObject({ ok: false, code: "forbidden", mode: "popup" });
    expect(await w.t.run((ctx) => ctx.db.query("connections").collect())).toEqual([]);
  });

  test("a missing state is state_missing; a denied consent is access_denied", async () => {
    const w = await world();
    expect(await w.admin.as.action(api.integrations.oauth.complete, { providerId: "github", code: "x" })).toEqual({
      ok: false,
      code: "state_missing",
    });
    const { state } = await approve(await startFlow(w, "github"));
    const denied = await w.admin.as.action(api.integrations.oauth.complete, {
      providerId: "github",
      state: state!,
      error: "access_denied",
    });
    expect(denied).toMatchObject({ ok: false, code: "access_denied", returnTo: RETURN_TO });
  });

  test("a code the provider refuses is token_exchange_failed", async () => {
    const w = await world();
    const { state } = await approve(await startFlow(w, "github"));
    const result = await w.admin.as.action(api.integrations.oauth.complete, {
      providerId: "github",
      state: state!,
      code: "forged-code",
    });
    expect(result).toMatchObject({ ok: false, code: "token_exchange_failed" });
    const audit = await w.t.run((ctx) => ctx.db.query("auditEvents").collect());
    expect(audit).toContainEqual(expect.objectContaining({ action: "integration.connect_failed", providerId: "github" }));
  });

  test("an anonymous caller is UNAUTHENTICATED", async () => {
    const w = await world();
    const { code, state } = await approve(await startFlow(w, "github"));
    expect((await errorOf(w.t.action(api.integrations.oauth.complete, { providerId: "github", state: state!, code: code! }))).code).toBe(
      "UNAUTHENTICATED",
    );
  });
});

describe("oauth.start", () => {
  test.each(["https://evil.example/", "//evil.example", "relative", "/\\evil.example"])(
    "refuses returnTo %j",
    async (returnTo) => {
      const w = await world();
      const error = await errorOf(
        w.admin.as.action(api.integrations.oauth.start, { orgId: w.orgId, providerId: "github", mode: "popup", returnTo }),
      );
      expect(error.code).toBe("INVALID_INPUT");
      expect(await w.t.run((ctx) => ctx.db.query("oauthStates").collect())).toEqual([]);
    },
  );

  test("members, other orgs' admins and unknown providers are refused", async () => {
    const w = await world();
    const otherAdmin = await createUser(w.t, "other@example.com");
    await createOrg(w.t, "Other", [{ user: otherAdmin, role: "admin" }]);
    const args = { orgId: w.orgId, providerId: "github", mode: "popup" as const, returnTo: RETURN_TO };
    expect((await errorOf(w.member.as.action(api.integrations.oauth.start, args))).code).toBe("FORBIDDEN");
    expect((await errorOf(otherAdmin.as.action(api.integrations.oauth.start, args))).code).toBe("FORBIDDEN");
    expect((await errorOf(w.admin.as.action(api.integrations.oauth.start, { ...args, providerId: "nope" }))).code).toBe(
      "NOT_FOUND",
    );
  });

  test("stores only a hash of the state and an encrypted PKCE verifier", async () => {
    const w = await world();
    const url = new URL(await startFlow(w, "github"));
    const state = url.searchParams.get("state")!;
    const [row] = await w.t.run((ctx) => ctx.db.query("oauthStates").collect());
    expect(row!.stateHash).not.toContain(state);
    expect(row!.stateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.codeVerifier).toMatch(/^v1\./);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  });

  test("the expired-state cron removes old states and keeps fresh ones", async () => {
    const w = await world();
    await startFlow(w, "github");
    await startFlow(w, "slack");
    await w.t.run(async (ctx) => {
      const [first] = await ctx.db.query("oauthStates").collect();
      await ctx.db.patch(first!._id, { expiresAt: Date.now() - 1 });
    });
    const { internal } = await import("../_generated/api");
    expect(await w.t.mutation(internal.integrations.oauth.cleanupExpiredStates, {})).toBe(1);
    expect(await w.t.run((ctx) => ctx.db.query("oauthStates").collect())).toHaveLength(1);
  });
});

describe("details.get", () => {
  test("shows the connection and who granted which scopes, to members too", async () => {
    const w = await world();
    const { code, state } = await approve(await startFlow(w, "github"));
    await w.admin.as.action(api.integrations.oauth.complete, { providerId: "github", state: state!, code: code! });
    const details = await w.member.as.query(api.integrations.details.get, { orgId: w.orgId, providerId: "github" });
    expect(details.provider.displayName).toBe("GitHub");
    expect(details.connection).toMatchObject({ status: "connected" });
    expect(details.consents).toEqual([
      expect.objectContaining({ grantedBy: "admin@example.com", scopes: expect.arrayContaining(["read:user"]) }),
    ]);
    expect(JSON.stringify(details)).not.toMatch(/v1\.|secrets/);
  });
});
