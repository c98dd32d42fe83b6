/// <reference types="vite/client" />
import { convexTest } from "convex-test";
import { exportJWK, exportPKCS8, generateKeyPair } from "jose";
import type { Role } from "../lib/roles";
import { connectSimulator } from "../tools/provider-simulator/control-client";
import { api } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import schema from "./schema";
import { modules } from "./test.setup";

/** A fixed test key ring (32 zero-ish bytes); never used outside tests. */
export const TEST_KEY_RING = `test1:${btoa(String.fromCharCode(...new Uint8Array(32).fill(7)))}`;

let authKeys: Promise<{ privateKey: string; jwks: string }> | undefined;

/** Convex Auth's signing keys, generated once per test file (they are slow to make). */
function testAuthKeys() {
  authKeys ??= (async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = await exportJWK(publicKey);
    return {
      privateKey: await exportPKCS8(privateKey),
      jwks: JSON.stringify({ keys: [{ use: "sig", ...jwk }] }),
    };
  })();
  return authKeys;
}

/** A fresh in-memory backend with the environment the app's functions expect. */
export async function setupBackend() {
  const keys = await testAuthKeys();
  process.env.JWT_PRIVATE_KEY = keys.privateKey;
  process.env.JWKS = keys.jwks;
  process.env.SITE_URL = "http://localhost:3000";
  process.env.CONVEX_SITE_URL = "http://127.0.0.1:3211";
  process.env.SWITCHBOARD_ENCRYPTION_KEYS ??= TEST_KEY_RING;
  return convexTest(schema, modules);
}

export type Backend = Awaited<ReturnType<typeof setupBackend>>;

/** Inserts a user directly (skipping scrypt) and returns a client acting as them. */
export async function createUser(t: Backend, email: string) {
  const userId = await t.run(async (ctx) => ctx.db.insert("users", { email }));
  const sessionId = await t.run(async (ctx) =>
    ctx.db.insert("authSessions", { userId, expirationTime: Date.now() + 3_600_000 }),
  );
  return { userId, email, as: t.withIdentity({ subject: `${userId}|${sessionId}` }) };
}

export type TestUser = Awaited<ReturnType<typeof createUser>>;

/** Inserts an organization with the given members, in one go. */
export async function createOrg(
  t: Backend,
  name: string,
  members: Array<{ user: TestUser; role: Role }>,
): Promise<Id<"organizations">> {
  return await t.run(async (ctx) => {
    const orgId = await ctx.db.insert("organizations", {
      name,
      slug: name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      createdBy: members[0]!.user.userId,
    });
    for (const { user, role } of members) {
      await ctx.db.insert("memberships", { orgId, userId: user.userId, role });
    }
    return orgId;
  });
}

/** The `{ code, message }` a ConvexError carried, or fails the test if it was not one. */
export async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const data = (error as { data?: unknown }).data;
    if (data && typeof data === "object" && "code" in data) return data as { code: string; message: string };
    throw new Error(`Expected a ConvexError with a code, got: ${String(error)}`);
  }
  throw new Error("Expected the call to fail, but it succeeded");
}

/**
 * A backend whose integration functions talk to the provider simulator that the
 * test project's global setup started, with a reset simulator.
 */
export async function setupWithSimulator(simulatorUrl: string) {
  process.env.SWITCHBOARD_PROVIDER_SIMULATOR_URL = simulatorUrl;
  const t = await setupBackend();
  const simulator = connectSimulator(simulatorUrl);
  await simulator.reset();
  await simulator.setAutoApprove(true);
  return { t, simulator };
}

/** Follows an authorize URL the way a browser would with auto-approve on: returns code and state. */
export async function approve(authorizeUrl: string): Promise<{ code: string | null; state: string | null; error: string | null }> {
  const response = await fetch(authorizeUrl, { redirect: "manual" });
  const location = response.headers.get("location");
  if (!location) throw new Error(`The simulator did not redirect (HTTP ${response.status}): ${await response.text()}`);
  const params = new URL(location).searchParams;
  return { code: params.get("code"), state: params.get("state"), error: params.get("error") };
}

/** An org with an owner ("admin@example.com") and a member, on a backend wired to the simulator. */
export async function simulatedOrg(simulatorUrl: string) {
  const { t, simulator } = await setupWithSimulator(simulatorUrl);
  const admin = await createUser(t, "admin@example.com");
  const member = await createUser(t, "member@example.com");
  const orgId = await createOrg(t, "Acme", [
    { user: admin, role: "owner" },
    { user: member, role: "member" },
  ]);
  return { t, simulator, admin, member, orgId };
}

/** Connects an OAuth provider the way the app does: start, approve at the simulator, complete. */
export async function connectOAuth(
  admin: TestUser,
  orgId: Id<"organizations">,
  providerId: string,
  extraScopes?: string[],
): Promise<void> {
  const { authorizeUrl } = await admin.as.action(api.integrations.oauth.start, {
    orgId,
    providerId,
    mode: "redirect",
    returnTo: "/o/acme/settings/integrations",
    ...(extraScopes ? { extraScopes } : {}),
  });
  const { code, state } = await approve(authorizeUrl);
  const result = await admin.as.action(api.integrations.oauth.complete, { providerId, state: state!, code: code! });
  if (!result.ok) throw new Error(`connecting ${providerId} failed: ${result.code}`);
}
