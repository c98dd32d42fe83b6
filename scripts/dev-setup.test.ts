import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLocalJWKSet, importPKCS8, jwtVerify, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConvexCliError, listDeploymentEnv, setDeploymentEnv } from "./convex-cli";
import { canReach, CONVEX_VERSION_HOST, DevSetupError, ensureConvexProject, OFFLINE_HINT, syncDeploymentEnv } from "./dev-setup";
import { startFakeConvexDeployment, type FakeConvexDeployment } from "./testing/fake-convex-deployment";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// Each test below runs the real Convex CLI once or twice (about half a second each).
const CLI_TIMEOUT_MS = 30_000;

const temporaryDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-dev-"));
  temporaryDirs.push(dir);
  return dir;
}
afterAll(() => temporaryDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project dir using this repo's real Convex CLI, with no .env.local of its own. */
function projectWithRealCli(dependencies: Record<string, string> = { convex: "1.48.0" }): string {
  const dir = tempDir();
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "fixture", private: true, dependencies }));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

describe("the Convex CLI against a fake deployment", () => {
  let deployment: FakeConvexDeployment;
  let cwd: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeAll(() => {
    cwd = projectWithRealCli();
  });
  afterEach(async () => {
    lines.length = 0;
    await deployment?.close();
  });

  describe("listDeploymentEnv", () => {
    it("reads values with =, spaces, # and newlines exactly, even where the CLI would list names only", async () => {
      const vars = {
        A: "x=y z",
        PEM: "-----BEGIN PRIVATE KEY----- MII+/= -----END PRIVATE KEY-----",
        HASH: "a#b",
        MULTI: "line 1\nline 2",
        JSON: '{"keys":[{"use":"sig"}]}',
      };
      deployment = await startFakeConvexDeployment(vars);
      // CONVEX_AGENT_MODE makes `env list` print names only unless --include-values is given.
      const env = { ...deployment.cliEnv(), CONVEX_AGENT_MODE: "anonymous" };
      expect(await listDeploymentEnv({ cwd, env })).toEqual(new Map(Object.entries(vars)));
    }, CLI_TIMEOUT_MS);

    it("reads an empty deployment as an empty map", async () => {
      deployment = await startFakeConvexDeployment();
      expect(await listDeploymentEnv({ cwd, env: deployment.cliEnv() })).toEqual(new Map());
    }, CLI_TIMEOUT_MS);

    it("throws ConvexCliError with the CLI's explanation when the command fails", async () => {
      deployment = await startFakeConvexDeployment();
      const notAConvexProject = projectWithRealCli({});
      const failure = listDeploymentEnv({ cwd: notAConvexProject, env: deployment.cliEnv() });
      await expect(failure).rejects.toThrow(ConvexCliError);
      await expect(failure).rejects.toThrow(/add `convex` to your package.json/);
    }, CLI_TIMEOUT_MS);
  });

  describe("setDeploymentEnv", () => {
    it("sets every value exactly, in one request, leaving other variables alone", async () => {
      deployment = await startFakeConvexDeployment({ KEEP: "me" });
      const entries = [
        ["JWKS", '{"keys":[{"use":"sig","n":"a-b_c"}]}'],
        ["PEM", "-----BEGIN PRIVATE KEY----- MII+/= -----END PRIVATE KEY-----"],
        ["SPACES", "x=y z # not a comment"],
        ["QUOTES", "it's \"quoted\""],
      ] as const;
      await setDeploymentEnv(entries, { cwd, env: deployment.cliEnv() });
      expect(deployment.updates).toEqual([entries.map(([name, value]) => ({ name, value }))]);
      expect(deployment.vars.get("KEEP")).toBe("me");
    }, CLI_TIMEOUT_MS);

    it("replaces an existing value (--force)", async () => {
      deployment = await startFakeConvexDeployment({ JWKS: "old" });
      await setDeploymentEnv([["JWKS", "new"]], { cwd, env: deployment.cliEnv() });
      expect(deployment.vars.get("JWKS")).toBe("new");
    }, CLI_TIMEOUT_MS);
  });

  describe("syncDeploymentEnv", () => {
    const now = () => new Date("2026-05-04T12:00:00Z");

    it("sets all four on a fresh deployment, with keys that work, printing names only", async () => {
      deployment = await startFakeConvexDeployment();
      await syncDeploymentEnv({ cwd, env: deployment.cliEnv(), log, now });

      expect(deployment.updates).toHaveLength(1);
      expect(lines).toEqual(["set JWT_PRIVATE_KEY", "set JWKS", "set SITE_URL", "set SWITCHBOARD_ENCRYPTION_KEYS"]);
      const vars = deployment.vars;
      expect(vars.get("SITE_URL")).toBe("http://localhost:3000");
      expect(Buffer.from(vars.get("SWITCHBOARD_ENCRYPTION_KEYS")!.replace(/^k20260504:/, ""), "base64")).toHaveLength(32);

      const token = await new SignJWT({ sub: "u|s" })
        .setProtectedHeader({ alg: "RS256" })
        .sign(await importPKCS8(vars.get("JWT_PRIVATE_KEY")!, "RS256"));
      await expect(jwtVerify(token, createLocalJWKSet(JSON.parse(vars.get("JWKS")!)))).resolves.toBeTruthy();

      for (const value of vars.values()) expect(lines.join("\n")).not.toContain(value);
    }, CLI_TIMEOUT_MS);

    it("changes nothing on a second run", async () => {
      deployment = await startFakeConvexDeployment();
      await syncDeploymentEnv({ cwd, env: deployment.cliEnv(), log, now });
      const first = new Map(deployment.vars);
      lines.length = 0;

      await syncDeploymentEnv({ cwd, env: deployment.cliEnv(), log, now });
      expect(deployment.updates).toHaveLength(1);
      expect(deployment.vars).toEqual(first);
      expect(lines).toEqual(["kept JWT_PRIVATE_KEY", "kept JWKS", "kept SITE_URL", "kept SWITCHBOARD_ENCRYPTION_KEYS"]);
    }, CLI_TIMEOUT_MS);

    it("regenerates the key pair when only JWKS is there, and keeps the rest", async () => {
      deployment = await startFakeConvexDeployment({
        JWKS: '{"keys":[{"kty":"RSA"}]}',
        SITE_URL: "https://switchboard.example",
        SWITCHBOARD_ENCRYPTION_KEYS: "k20250101:old",
      });
      await syncDeploymentEnv({ cwd, env: deployment.cliEnv(), log, now });

      expect(deployment.updates).toEqual([[expect.objectContaining({ name: "JWT_PRIVATE_KEY" }), expect.objectContaining({ name: "JWKS" })]]);
      expect(deployment.vars.get("JWKS")).not.toBe('{"keys":[{"kty":"RSA"}]}');
      expect(deployment.vars.get("SITE_URL")).toBe("https://switchboard.example");
      expect(deployment.vars.get("SWITCHBOARD_ENCRYPTION_KEYS")).toBe("k20250101:old");
      expect(lines).toEqual([
        "set JWT_PRIVATE_KEY",
        "set JWKS (its partner was missing, so the key pair was regenerated)",
        "kept SITE_URL",
        "kept SWITCHBOARD_ENCRYPTION_KEYS",
      ]);
    }, CLI_TIMEOUT_MS);
  });
});

describe("ensureConvexProject", () => {
  /**
   * A project whose `convex` package is a stand-in CLI: it records how it was called
   * and, when asked, writes .env.local the way `convex dev --once` does.
   */
  function projectWithFakeCli(): string {
    const dir = tempDir();
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "fixture", private: true }));
    mkdirSync(join(dir, "node_modules", "convex", "bin"), { recursive: true });
    writeFileSync(join(dir, "node_modules", "convex", "package.json"), JSON.stringify({ name: "convex", version: "0.0.0" }));
    writeFileSync(
      join(dir, "node_modules", "convex", "bin", "main.js"),
      `const fs = require("node:fs");
fs.writeFileSync("cli-call.json", JSON.stringify({ argv: process.argv.slice(2), agentMode: process.env.CONVEX_AGENT_MODE ?? null }));
if (process.env.FAKE_WRITES_ENV_LOCAL) fs.appendFileSync(".env.local", "# Deployment used by \`npx convex dev\`\\nCONVEX_DEPLOYMENT=anonymous:anonymous-fixture\\n");
process.exit(Number(process.env.FAKE_EXIT_CODE ?? 0));
`,
    );
    return dir;
  }
  const cliCall = (dir: string) => JSON.parse(readFileSync(join(dir, "cli-call.json"), "utf8")) as { argv: string[]; agentMode: string | null };
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  afterEach(() => {
    lines.length = 0;
  });
  // Only what the test sets: a developer's own CONVEX_* variables must not leak in.
  const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, NODE_ENV: "test", ...extra });
  // The stand-in CLI needs no network; the offline tests below say so explicitly.
  const online = async () => true;

  it("does nothing when .env.local already names a deployment", async () => {
    const dir = tempDir(); // no node_modules: running the CLI here would fail
    writeFileSync(join(dir, ".env.local"), "# Deployment used by `npx convex dev`\nCONVEX_DEPLOYMENT=dev:happy-otter-123\n");
    const config = await ensureConvexProject({ cwd: dir, env: cleanEnv(), log, interactive: false, homeDir: tempDir(), online });
    expect(config).toEqual({ configured: true, via: "CONVEX_DEPLOYMENT", deployment: "dev:happy-otter-123" });
    expect(lines).toEqual(["using Convex deployment dev:happy-otter-123"]);
  });

  it("does nothing when the environment selects a deployment (deploy key, self-hosted)", async () => {
    const dir = tempDir();
    const config = await ensureConvexProject({ cwd: dir, env: cleanEnv({ CONVEX_SELF_HOSTED_URL: "http://127.0.0.1:3210" }), log, interactive: false, homeDir: dir, online });
    expect(config).toEqual({ configured: true, via: "CONVEX_SELF_HOSTED_URL" });
  });

  it("runs `convex dev --once` in anonymous agent mode when not logged in", async () => {
    const dir = projectWithFakeCli();
    const config = await ensureConvexProject({ cwd: dir, env: cleanEnv({ FAKE_WRITES_ENV_LOCAL: "1" }), log, interactive: true, homeDir: tempDir(), online });
    expect(cliCall(dir)).toEqual({ argv: ["dev", "--once"], agentMode: "anonymous" });
    expect(config).toMatchObject({ deployment: "anonymous:anonymous-fixture" });
    expect(lines.at(-1)).toBe("using Convex deployment anonymous:anonymous-fixture");
  });

  it("lets a logged-in developer at a terminal use their account", async () => {
    const dir = projectWithFakeCli();
    const home = tempDir();
    mkdirSync(join(home, ".convex"));
    writeFileSync(join(home, ".convex", "config.json"), JSON.stringify({ accessToken: "token" }));
    await ensureConvexProject({ cwd: dir, env: cleanEnv({ FAKE_WRITES_ENV_LOCAL: "1" }), log, interactive: true, homeDir: home, online });
    expect(cliCall(dir)).toEqual({ argv: ["dev", "--once"], agentMode: null });
  });

  it("stays anonymous for a logged-in developer when nobody is at the terminal", async () => {
    const dir = projectWithFakeCli();
    const env = cleanEnv({ FAKE_WRITES_ENV_LOCAL: "1", CONVEX_OVERRIDE_ACCESS_TOKEN: "token" });
    await ensureConvexProject({ cwd: dir, env, log, interactive: false, homeDir: tempDir(), online });
    expect(cliCall(dir).agentMode).toBe("anonymous");
  });

  it("continues when the first push failed after the deployment was configured", async () => {
    const dir = projectWithFakeCli();
    const env = cleanEnv({ FAKE_WRITES_ENV_LOCAL: "1", FAKE_EXIT_CODE: "1" });
    const config = await ensureConvexProject({ cwd: dir, env, log, interactive: false, homeDir: tempDir(), online });
    expect(config.configured).toBe(true);
    expect(lines).toContain("convex dev --once exited with code 1 after configuring the deployment; continuing");
  });

  it("fails when `convex dev --once` configured nothing", async () => {
    const dir = projectWithFakeCli();
    const setup = ensureConvexProject({ cwd: dir, env: cleanEnv({ FAKE_EXIT_CODE: "1" }), log, interactive: false, homeDir: tempDir(), online });
    await expect(setup).rejects.toThrow("`convex dev --once` exited with code 1 and no deployment is configured in .env.local");
    await expect(setup).rejects.toThrow(/npm run dev:offline/);
  });

  it("offline on a first run, says so in one sentence and never starts the CLI", async () => {
    const dir = projectWithFakeCli();
    const setup = ensureConvexProject({ cwd: dir, env: cleanEnv(), log, interactive: false, homeDir: tempDir(), online: async () => false });
    await expect(setup).rejects.toThrow(DevSetupError);
    await expect(setup).rejects.toThrow(OFFLINE_HINT);
    expect(existsSync(join(dir, "cli-call.json"))).toBe(false);
  });

  it("checks nothing when a deployment is already configured", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, ".env.local"), "CONVEX_DEPLOYMENT=dev:happy-otter-123\n");
    const online = async () => {
      throw new Error("checked");
    };
    await expect(ensureConvexProject({ cwd: dir, env: cleanEnv(), log, interactive: false, homeDir: tempDir(), online })).resolves.toMatchObject({
      configured: true,
    });
  });

});

describe("canReach", () => {
  it("is false, quickly, for a port nothing listens on", async () => {
    const started = Date.now();
    expect(await canReach("127.0.0.1", 9, 2_000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});

// Only where the real first run would be offline (CI here): elsewhere it would create a deployment.
const FIRST_RUN_OFFLINE = !existsSync(join(ROOT, ".env.local")) && !(await canReach(CONVEX_VERSION_HOST, 443, 3_000));

describe("npm run dev on a machine with no network", () => {
  it.skipIf(!FIRST_RUN_OFFLINE)("prints the one-sentence hint within 10 s and exits non-zero, with no stack trace", async () => {
    const started = Date.now();
    const child = spawnSync(process.execPath, ["--import", "tsx", "scripts/dev.ts", "--setup-only"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: "test", HOME: tempDir(), HTTPS_PROXY: "http://127.0.0.1:9" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(child.status).not.toBe(0);
    const output = `${child.stdout}${child.stderr}`;
    expect(output).toContain("npm run dev:offline");
    expect(output).not.toMatch(/\n\s+at /);
  });
});
