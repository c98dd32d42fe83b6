/**
 * The production build the browser tests serve. `NEXT_PUBLIC_*` values are inlined at
 * build time, so the sandbox URL is chosen before building and recorded next to the
 * build; a reused build (`E2E_SKIP_BUILD=1`) brings its sandbox port along.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./processes";

/** Next's output folder for these tests, apart from a developer's `.next`. */
export const E2E_DIST_DIR = ".next-e2e";
const STAMP_FILE = "switchboard-e2e.json";

export type E2EBuild = {
  /** `NEXT_PUBLIC_CONVEX_URL` baked into the build: the sandbox must listen there. */
  convexUrl: string;
  convexPort: number;
  /** False when an existing build was reused. */
  built: boolean;
  /** How long `next build` took, when it ran. */
  durationMs: number | null;
};

type Stamp = { convexUrl: string; convexPort: number; simulatedProviders: "1"; builtAt: string };

/** The environment both `next build` and `next start` get. */
export function nextEnv(convexUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEXT_DIST_DIR: E2E_DIST_DIR,
    NEXT_PUBLIC_CONVEX_URL: convexUrl,
    NEXT_PUBLIC_SIMULATED_PROVIDERS: "1",
    NEXT_TELEMETRY_DISABLED: "1",
    // A developer's PORT must not move `next start` off the port the runner chose.
    PORT: undefined,
  };
}

export function nextBin(root: string): string {
  return join(root, "node_modules", "next", "dist", "bin", "next");
}

function readStamp(root: string): Stamp | null {
  const dist = join(root, E2E_DIST_DIR);
  if (!existsSync(join(dist, "BUILD_ID")) || !existsSync(join(dist, STAMP_FILE))) return null;
  try {
    return JSON.parse(readFileSync(join(dist, STAMP_FILE), "utf8")) as Stamp;
  } catch {
    return null;
  }
}

/**
 * Builds the app for the tests, or reuses the last build when `skip` is set and one
 * exists. The build log goes to `logFile`; a failed build throws with its tail.
 */
export async function ensureBuild(root: string, options: { skip: boolean; logFile: string }): Promise<E2EBuild> {
  const previous = readStamp(root);
  if (options.skip && previous) {
    return { convexUrl: previous.convexUrl, convexPort: previous.convexPort, built: false, durationMs: null };
  }
  // Written again only when this build succeeds: an interrupted build is never reused.
  rmSync(join(root, E2E_DIST_DIR, STAMP_FILE), { force: true });
  const convexPort = await freePort();
  const convexUrl = `http://127.0.0.1:${convexPort}`;
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const log = createWriteStream(options.logFile);
    const child = spawn(process.execPath, [nextBin(root), "build"], {
      cwd: root,
      env: nextEnv(convexUrl),
      stdio: ["ignore", "pipe", "pipe"],
      // Its own group, so a Ctrl-C of the runner's terminal reaches it only through us.
      detached: true,
    });
    const stopBuild = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    process.once("exit", stopBuild);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once("error", reject);
    child.once("close", (exitCode) => {
      process.off("exit", stopBuild);
      log.end(() => resolve(exitCode));
    });
  });
  if (code !== 0) {
    const output = readFileSync(options.logFile, "utf8").trimEnd().split("\n").slice(-40).join("\n");
    throw new Error(`next build failed (exit code ${code}); the log is ${options.logFile}\n${output}`);
  }
  const stamp: Stamp = { convexUrl, convexPort, simulatedProviders: "1", builtAt: new Date().toISOString() };
  writeFileSync(join(root, E2E_DIST_DIR, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
  return { convexUrl, convexPort, built: true, durationMs: Date.now() - started };
}
