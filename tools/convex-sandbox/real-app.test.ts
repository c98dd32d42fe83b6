import { fileURLToPath } from "node:url";
import { ConvexHttpClient, type ConvexClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { exportJWK, generateKeyPair, importPKCS8, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { startSandbox, type Sandbox } from "./server.mjs";
import { newClient, waitFor } from "./test-clients.js";

// The real app's functions, unchanged: Convex Auth's password sign-up and a viewer query.
const APP_CONVEX_DIR = fileURLToPath(new URL("../../convex", import.meta.url));
const signIn = makeFunctionReference<"action">("auth:signIn");
const viewer = makeFunctionReference<"query", Record<string, never>, { email: string } | null>("users/viewer:get");

let sandbox: Sandbox;
let clients: ConvexClient[] = [];

// A sandbox per test: the app's auth.config.ts reads CONVEX_SITE_URL when it is
// imported, and every sandbox has its own site URL.
beforeEach(async () => {
  sandbox = await startSandbox({ convexDir: APP_CONVEX_DIR, port: 0, sitePort: 0, quiet: true, envFile: null });
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await sandbox.close();
});

function client(): ConvexClient {
  const made = newClient(sandbox.url);
  clients.push(made);
  return made;
}

/** Waits for the client's auth state to settle on `expected`. */
function authSettles(setAuth: (onChange: (ok: boolean) => void) => void, expected: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`auth never became ${expected}`)), 5_000);
    setAuth((ok) => {
      clearTimeout(timer);
      if (ok === expected) resolve();
      else reject(new Error(`auth became ${ok}`));
    });
  });
}

/** A token with the deployment's issuer and audience, signed with `key`. */
async function token(key: CryptoKey, claims: { sub: string; expiresIn: string }) {
  return await new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(sandbox.siteUrl)
    .setAudience("convex")
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn)
    .sign(key);
}

describe("the real app's convex/ in the sandbox", () => {
  test("sign up through Convex Auth, then an authenticated query sees the user", async () => {
    const alice = client();
    const result = (await alice.action(signIn, {
      provider: "password",
      params: { email: "alice@example.com", password: "correct-horse-1", flow: "signUp" },
    })) as { tokens: { token: string } };
    expect(result.tokens.token.split(".")).toHaveLength(3);

    await authSettles((onChange) => alice.setAuth(async () => result.tokens.token, onChange), true);
    const me = await waitFor(alice, viewer, {}, (value) => value !== null);
    expect(me?.email).toBe("alice@example.com");

    // The same token works over HTTP, and anonymous callers stay anonymous.
    const http = new ConvexHttpClient(sandbox.url);
    http.setAuth(result.tokens.token);
    expect((await http.query(viewer, {}))?.email).toBe("alice@example.com");
    expect(await new ConvexHttpClient(sandbox.url).query(viewer, {})).toBeNull();
  });

  test("a token signed by another key, or expired, is refused with an auth error", async () => {
    const stranger = (await generateKeyPair("RS256")).privateKey;
    const forged = await token(stranger, { sub: "someone|session", expiresIn: "1h" });
    const forger = client();
    await authSettles((onChange) => forger.setAuth(async () => forged, onChange), false);

    const ownKey = await importPKCS8(sandbox.env.JWT_PRIVATE_KEY!, "RS256");
    const expired = await token(ownKey, { sub: "someone|session", expiresIn: "-1m" });
    const http = new ConvexHttpClient(sandbox.url);
    http.setAuth(expired);
    await expect(http.query(viewer, {})).rejects.toThrow(/Unauthenticated.*Token expired/);
  });

  test("a token that expires while connected gets an AuthError the client will refresh on", async () => {
    const ownKey = await importPKCS8(sandbox.env.JWT_PRIVATE_KEY!, "RS256");
    const shortLived = await token(ownKey, { sub: "someone|session", expiresIn: "1s" });
    const frames: Array<Record<string, unknown>> = [];
    const socket = new WebSocket(`${sandbox.url.replace("http", "ws")}/api/1.48.0/sync`);
    socket.on("message", (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
    await new Promise((resolve) => socket.once("open", resolve));
    socket.send(JSON.stringify({ type: "Authenticate", tokenType: "User", value: shortLived, baseVersion: 0 }));
    await expect.poll(() => frames.some((f) => f.type === "Transition")).toBe(true);
    expect(frames.find((f) => f.type === "Transition")).toMatchObject({ endVersion: { identity: 1 } });

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    socket.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [] }));
    await expect.poll(() => frames.find((f) => f.type === "AuthError")).toEqual({
      type: "AuthError",
      error: "Token expired",
      baseVersion: 0,
      authUpdateAttempted: false,
    });
    socket.close();
  });

  test("Convex Auth's OpenID configuration and JWKS are served on the site URL", async () => {
    const configuration = (await (await fetch(`${sandbox.siteUrl}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(configuration.issuer).toBe(sandbox.siteUrl);
    const jwks = (await (await fetch(configuration.jwks_uri)).json()) as { keys: Array<{ n: string }> };
    const published = await exportJWK((await importPKCS8(sandbox.env.JWT_PRIVATE_KEY!, "RS256", { extractable: true })) as CryptoKey);
    expect(jwks.keys[0]!.n).toBe(published.n);
  });
});
