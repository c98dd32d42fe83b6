/**
 * `npm run sandbox`: starts the offline Convex sandbox on the app's `convex/`.
 *
 * Environment: CONVEX_SANDBOX_PORT (3210), CONVEX_SANDBOX_SITE_PORT (3211),
 * CONVEX_SANDBOX_DIR (./convex), CONVEX_SANDBOX_ENV_FILE (./.env.local if present),
 * CONVEX_SANDBOX_QUIET=1 to hide function logs. Variables of the shell (SITE_URL,
 * SWITCHBOARD_PROVIDER_SIMULATOR_URL, provider client ids, …) win over the env file,
 * as `convex env set` values would on a deployment.
 *
 * Standard output gets exactly one line, `convex sandbox ready <url> <siteUrl>`;
 * function logs and errors go to standard error.
 */
import { startSandbox } from "./server.mjs";

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return port;
}

/** The shell's variables, minus the sandbox's own settings. */
function shellEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith("CONVEX_SANDBOX_"),
    ),
  );
}

const sandbox = await startSandbox({
  port: portFrom("CONVEX_SANDBOX_PORT", 3210),
  sitePort: portFrom("CONVEX_SANDBOX_SITE_PORT", 3211),
  ...(process.env.CONVEX_SANDBOX_DIR ? { convexDir: process.env.CONVEX_SANDBOX_DIR } : {}),
  ...(process.env.CONVEX_SANDBOX_ENV_FILE ? { envFile: process.env.CONVEX_SANDBOX_ENV_FILE } : {}),
  quiet: process.env.CONVEX_SANDBOX_QUIET === "1",
  env: shellEnvironment(),
});
process.stdout.write(`convex sandbox ready ${sandbox.url} ${sandbox.siteUrl}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void sandbox.close().finally(() => process.exit(0));
  });
}
