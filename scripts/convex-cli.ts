/**
 * Thin wrappers around the project's own Convex CLI (node_modules/convex), run with
 * `node` directly so no shell, `npx` lookup or global install is involved.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseEnvList, serializeDotEnv } from "./dev-env";

/** Where and with which environment to run the CLI. */
export type ConvexCliContext = {
  /** The project root (holds package.json and node_modules/convex). */
  cwd: string;
  /** The CLI's environment (default `process.env`). */
  env?: NodeJS.ProcessEnv;
};

/** A CLI command failed. The message carries the CLI's stderr, which never holds values we set. */
export class ConvexCliError extends Error {
  override readonly name = "ConvexCliError";
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`\`convex ${command}\` failed (exit code ${exitCode ?? "none"})${stderr.trim() ? `:\n${stderr.trim()}` : ""}`);
  }
}

/** A command that runs a package's bin script with this Node. */
export type NodeCommand = { command: string; args: string[] };

/** Runs a bin script of a package installed in `cwd`, e.g. `binCommand(root, "next", "dist/bin/next")`. */
export function binCommand(cwd: string, packageName: string, binPath: string): NodeCommand {
  const requireFromProject = createRequire(join(cwd, "package.json"));
  const packageDir = dirname(requireFromProject.resolve(`${packageName}/package.json`));
  return { command: process.execPath, args: [join(packageDir, binPath)] };
}

/** The project's pinned Convex CLI (`convex` in package.json; its bin is bin/main.js). */
export function convexCommand(cwd: string): NodeCommand {
  return binCommand(cwd, "convex", "bin/main.js");
}

/** What a captured CLI run printed. */
export type CliOutput = { exitCode: number | null; stdout: string; stderr: string };

/**
 * Runs `convex <args>` with stdout and stderr captured, writing `input` to its stdin
 * (stdin is then a pipe, never a TTY, so the CLI does not prompt).
 */
export function runConvexCaptured(args: readonly string[], ctx: ConvexCliContext, input = ""): Promise<CliOutput> {
  const { command, args: prefix } = convexCommand(ctx.cwd);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, ...args], { cwd: ctx.cwd, env: ctx.env ?? process.env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // The CLI may exit before reading stdin (a bad flag); its exit code says why.
    child.stdin.on("error", () => {});
    child.stdin.end(input);
    child.once("error", reject);
    child.once("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/** Runs `convex <args>` attached to this terminal (its prompts reach the developer). */
export function runConvexInteractive(args: readonly string[], ctx: ConvexCliContext): Promise<number | null> {
  const { command, args: prefix } = convexCommand(ctx.cwd);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, ...args], { cwd: ctx.cwd, env: ctx.env ?? process.env, stdio: "inherit" });
    child.once("error", reject);
    child.once("close", (exitCode) => resolve(exitCode));
  });
}

/**
 * The deployment's environment variables, from `convex env list --include-values`.
 * `--include-values` is explicit because the CLI lists names only when it detects an
 * AI agent or `CONVEX_AGENT_MODE` (convex 1.48 `env list --help`).
 */
export async function listDeploymentEnv(ctx: ConvexCliContext): Promise<Map<string, string>> {
  const args = ["env", "list", "--include-values"];
  const { exitCode, stdout, stderr } = await runConvexCaptured(args, ctx);
  if (exitCode !== 0) throw new ConvexCliError(args.join(" "), exitCode, stderr);
  return parseEnvList(stdout);
}

/**
 * Sets variables on the deployment in one `convex env set --force` call, the values in
 * .env format on stdin: no secret appears in a process list or shell history, and the
 * CLI sends every change in one request, so a key pair is never left half-written.
 * `--force` lets a listed variable replace an existing value (only the plan decides which).
 */
export async function setDeploymentEnv(entries: ReadonlyArray<readonly [string, string]>, ctx: ConvexCliContext): Promise<void> {
  if (entries.length === 0) return;
  const args = ["env", "set", "--force"];
  const { exitCode, stderr } = await runConvexCaptured(args, ctx, serializeDotEnv(entries));
  if (exitCode !== 0) throw new ConvexCliError(args.join(" "), exitCode, stderr);
}

/**
 * Whether the Convex CLI has an account to act for: `CONVEX_OVERRIDE_ACCESS_TOKEN`, or
 * the access token `npx convex login` stores in ~/.convex/config.json.
 */
export function isLoggedInToConvex(env: NodeJS.ProcessEnv, homeDir: string): boolean {
  if (env.CONVEX_OVERRIDE_ACCESS_TOKEN) return true;
  const configPath = join(homeDir, ".convex", "config.json");
  if (!existsSync(configPath)) return false;
  try {
    const config: unknown = JSON.parse(readFileSync(configPath, "utf8"));
    const token = (config as { accessToken?: unknown } | null)?.accessToken;
    return typeof token === "string" && token.length > 0;
  } catch {
    return false;
  }
}
