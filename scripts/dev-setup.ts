/**
 * The two setup steps `npm run dev` takes before starting the servers: make sure a
 * Convex deployment exists, then give it the environment variables the app needs.
 */
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import {
  chooseSetupMode,
  convexDeploymentConfig,
  DEFAULT_SITE_URL,
  describeEnvChange,
  generateAuthKeys,
  generateEncryptionKeyRing,
  planEnvChanges,
  readDotEnv,
  type ConvexDeploymentConfig,
  type EnvChange,
} from "./dev-env";
import { isLoggedInToConvex, listDeploymentEnv, runConvexInteractive, setDeploymentEnv, type ConvexCliContext } from "./convex-cli";

/** A CLI context plus somewhere to report progress. */
export type SetupContext = ConvexCliContext & { log: (line: string) => void };

/**
 * A setup failure with a known cause: `npm run dev` prints its message alone, as one
 * sentence with what to do, and no stack trace.
 */
export class DevSetupError extends Error {
  override readonly name = "DevSetupError";
}

/** Where a first `convex dev` asks which local backend to download; unreachable means offline. */
export const CONVEX_VERSION_HOST = "version.convex.dev";
/** How long the reachability check waits before calling the network unreachable. */
export const REACHABILITY_TIMEOUT_MS = 5_000;

export const OFFLINE_HINT =
  "Convex needs the internet on the first run of npm run dev (to create a deployment and download its local backend), and " +
  `${CONVEX_VERSION_HOST} could not be reached; to try Switchboard with no network or account, run npm run dev:offline.`;

/** True when a TCP connection to `host:port` opens within the timeout (DNS included). */
export function canReach(host: string, port = 443, timeoutMs = REACHABILITY_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

/** The deployment-selecting variables as the CLI sees them: process env over .env.local over .env. */
function deploymentEnv(ctx: SetupContext): Map<string, string> {
  const merged = new Map<string, string>();
  for (const file of [".env", ".env.local"]) {
    const path = join(ctx.cwd, file);
    if (existsSync(path)) for (const [name, value] of readDotEnv(readFileSync(path, "utf8"))) merged.set(name, value);
  }
  for (const [name, value] of Object.entries(ctx.env ?? process.env)) if (value !== undefined) merged.set(name, value);
  return merged;
}

function describeDeployment(config: ConvexDeploymentConfig & { configured: true }): string {
  return config.via === "CONVEX_DEPLOYMENT" ? `Convex deployment ${config.deployment}` : `Convex deployment from ${config.via}`;
}

/**
 * Creates the Convex deployment on first run. When no deployment is configured, runs
 * `convex dev --once`, which configures one, writes `CONVEX_DEPLOYMENT` and
 * `NEXT_PUBLIC_CONVEX_URL` to .env.local and pushes the functions once. Without a
 * Convex login (or at no terminal) it runs with `CONVEX_AGENT_MODE=anonymous`: an
 * anonymous local deployment, no account and no prompt. A logged-in developer at a
 * terminal gets the CLI's own one-time project picker instead.
 */
export async function ensureConvexProject(
  ctx: SetupContext & { interactive: boolean; homeDir: string; online?: () => Promise<boolean> },
): Promise<ConvexDeploymentConfig & { configured: true }> {
  const before = convexDeploymentConfig(deploymentEnv(ctx));
  if (before.configured) {
    ctx.log(`using ${describeDeployment(before)}`);
    return before;
  }
  // Checked first: offline, the CLI fails after a while with stack traces that never mention the offline path.
  if (!(await (ctx.online ?? (() => canReach(CONVEX_VERSION_HOST)))())) throw new DevSetupError(OFFLINE_HINT);
  const env = ctx.env ?? process.env;
  const setup = chooseSetupMode({
    agentMode: env.CONVEX_AGENT_MODE,
    loggedIn: isLoggedInToConvex(env, ctx.homeDir),
    interactive: ctx.interactive,
  });
  ctx.log(
    setup.mode === "anonymous"
      ? "no Convex deployment yet: creating an anonymous local one (convex dev --once, CONVEX_AGENT_MODE=anonymous)"
      : "no Convex deployment yet: you are logged in to Convex, so pick or create a project (convex dev --once)",
  );
  const cliEnv = setup.mode === "anonymous" ? { ...env, CONVEX_AGENT_MODE: "anonymous" } : env;
  const exitCode = await runConvexInteractive(["dev", "--once"], { cwd: ctx.cwd, env: cliEnv });

  const after = convexDeploymentConfig(deploymentEnv(ctx));
  if (!after.configured) {
    throw new DevSetupError(
      `\`convex dev --once\` exited with code ${exitCode} and no deployment is configured in .env.local (its output above says why); with no network, run npm run dev:offline instead.`,
    );
  }
  if (exitCode !== 0) {
    // The deployment exists; only the first push failed. `convex dev` reports the
    // errors again and retries on every save, which is the better place to fix them.
    ctx.log(`convex dev --once exited with code ${exitCode} after configuring the deployment; continuing`);
  }
  ctx.log(`using ${describeDeployment(after)}`);
  return after;
}

/**
 * Generates and sets whatever the deployment is missing among `JWT_PRIVATE_KEY` + `JWKS`
 * (always as a pair), `SITE_URL` and `SWITCHBOARD_ENCRYPTION_KEYS`; keeps everything else.
 * Logs one line per variable, names only. Returns the plan it carried out.
 */
export async function syncDeploymentEnv(
  ctx: SetupContext & { siteUrl?: string; now?: () => Date },
): Promise<EnvChange[]> {
  const current = await listDeploymentEnv(ctx);
  const plan = planEnvChanges(current, {
    authKeys: await generateAuthKeys(),
    siteUrl: ctx.siteUrl ?? DEFAULT_SITE_URL,
    encryptionKeys: generateEncryptionKeyRing(ctx.now?.() ?? new Date()),
  });
  const toSet = plan.flatMap((change) => (change.action === "set" ? [[change.name, change.value] as const] : []));
  await setDeploymentEnv(toSet, ctx);
  for (const change of plan) ctx.log(describeEnvChange(change));
  return plan;
}
