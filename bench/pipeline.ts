/**
 * Pipeline overhead: a call through `internal.calls.pipeline.call` (load the
 * connection, decrypt, guard the URL, inject auth and headers, send, write the log
 * row and counters) against a bare `fetch` of the same URL with the same headers,
 * both to the provider simulator on 127.0.0.1, in the same process.
 */
import { api, internal } from "../convex/_generated/api";
import type { RunningSimulator } from "../tools/provider-simulator/server";
import type { Backend } from "./backend";
import { sideBySide, summarise } from "./stats";

const ROUNDS = 300;
const PATH = "/repos/acme/app/issues";

/** Connects GitHub for a fresh org through the real OAuth flow, with the simulator approving. */
async function connectGitHub(t: Backend, simulator: RunningSimulator) {
  const userId = await t.run((ctx) => ctx.db.insert("users", { email: "bench@example.com" }));
  const sessionId = await t.run((ctx) => ctx.db.insert("authSessions", { userId, expirationTime: Date.now() + 3_600_000 }));
  const orgId = await t.run(async (ctx) => {
    const id = await ctx.db.insert("organizations", { name: "Bench", slug: "bench", createdBy: userId });
    await ctx.db.insert("memberships", { orgId: id, userId, role: "owner" });
    return id;
  });
  const admin = t.withIdentity({ subject: `${userId}|${sessionId}` });
  simulator.control.setTokenLifetime("github", 3600);
  const { authorizeUrl } = await admin.action(api.integrations.oauth.start, {
    orgId,
    providerId: "github",
    mode: "redirect",
    returnTo: "/o/bench/settings/integrations",
  });
  const redirect = await fetch(authorizeUrl, { redirect: "manual" });
  const params = new URL(redirect.headers.get("location")!).searchParams;
  const result = await admin.action(api.integrations.oauth.complete, {
    providerId: "github",
    state: params.get("state")!,
    code: params.get("code")!,
  });
  if (!result.ok) throw new Error(`connecting GitHub failed: ${result.code}`);
  return orgId;
}

export async function benchPipeline(t: Backend, simulator: RunningSimulator) {
  const orgId = await connectGitHub(t, simulator);
  const token = simulator.control.issuedTokens({ providerId: "github", kind: "access_token" }).at(-1)!.token;
  const url = `${simulator.url}/github${PATH}`;
  const headers = {
    Accept: "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
    "User-Agent": "Switchboard",
    Authorization: `Bearer ${token}`,
  };

  const pipeline = async () => {
    const result = await t.action(internal.calls.pipeline.call, {
      orgId,
      providerId: "github",
      method: "GET",
      path: PATH,
      actor: { kind: "system", label: "bench" },
    });
    if (result.status !== 200) throw new Error(`pipeline call answered ${result.status}`);
  };
  const bare = async () => {
    const response = await fetch(url, { headers, redirect: "manual" });
    await response.text();
    if (response.status !== 200) throw new Error(`bare fetch answered ${response.status}`);
  };

  await sideBySide(30, pipeline, bare); // warm-up
  const samples = await sideBySide(ROUNDS, pipeline, bare);
  return { pipeline: summarise(samples.a), bare: summarise(samples.b) };
}
