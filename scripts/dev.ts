/**
 * `npm run dev`: from a fresh clone to a running app with no manual step.
 *
 *   1. No Convex deployment configured yet → `convex dev --once` creates one (anonymous
 *      and local unless you are logged in to Convex) and writes .env.local.
 *   2. `convex env list` → generate and `convex env set` only what is missing:
 *      JWT_PRIVATE_KEY + JWKS (as a pair), SITE_URL, SWITCHBOARD_ENCRYPTION_KEYS.
 *   3. `convex dev` and `next dev` side by side, output prefixed; Ctrl-C stops both,
 *      and if either fails the other is stopped and this exits non-zero.
 *
 * `npm run dev -- --setup-only` stops after step 2.
 */
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { binCommand, convexCommand, ConvexCliError } from "./convex-cli";
import { DevSetupError, ensureConvexProject, syncDeploymentEnv } from "./dev-setup";
import { runTogether } from "./run-together";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  const log = (line: string) => console.log(`» ${line}`);
  const ctx = { cwd: ROOT, env: process.env, log };
  await ensureConvexProject({ ...ctx, interactive: Boolean(process.stdin.isTTY), homeDir: homedir() });
  await syncDeploymentEnv(ctx);
  if (argv.includes("--setup-only")) return 0;

  const convex = convexCommand(ROOT);
  const next = binCommand(ROOT, "next", "dist/bin/next");
  return runTogether([
    { name: "convex", command: convex.command, args: [...convex.args, "dev"], cwd: ROOT },
    { name: "next", command: next.command, args: [...next.args, "dev"], cwd: ROOT },
  ]);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Expected failures (offline, a CLI error with its own explanation) need no stack.
    const expected = error instanceof DevSetupError || error instanceof ConvexCliError;
    const detail = expected ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`» npm run dev failed: ${detail}`);
    process.exitCode = 1;
  },
);
