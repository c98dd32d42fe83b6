import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { checkConvexBundle, ConvexBundleError, DEPLOYMENT_VARIABLES, offlineCliEnv, regenerateConvexCode } from "./convex-codegen";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// Each run of the real Convex CLI takes one to three seconds.
const CLI_TIMEOUT_MS = 30_000;

const temporaryDirs: string[] = [];
afterAll(() => temporaryDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const QUERY = `import { queryGeneric } from "convex/server";\nexport const hello = queryGeneric({ args: {}, handler: async () => "hello" });\n`;

/** A throwaway Convex app using this repo's CLI: package.json, node_modules, and `files` under convex/. */
function tinyProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-codegen-"));
  temporaryDirs.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "tiny", private: true, type: "module", dependencies: { convex: "1.48.0" } }));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, "convex", path)), { recursive: true });
    writeFileSync(join(dir, "convex", path), text);
  }
  return dir;
}

const NODE_FS_IN_A_QUERY = {
  "messages.ts": QUERY,
  "files.ts": `import { readFileSync } from "node:fs";\nimport { queryGeneric } from "convex/server";\nexport const read = queryGeneric({ args: {}, handler: async () => readFileSync("x", "utf8") });\n`,
};

/** Runs `npm run check:bundle -- <dir>` as CI would (the script itself, without npm). */
function runCheckScript(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "codegen.ts"), "--check", dir], { cwd: ROOT, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("offlineCliEnv", () => {
  it("blanks every deployment-selecting variable, so .env.local cannot fill them in, and keeps the rest", () => {
    const env = offlineCliEnv({ CONVEX_DEPLOYMENT: "dev:x", CONVEX_SELF_HOSTED_URL: "http://x", PATH: "/bin", NO_PROXY: "corp" });
    for (const name of DEPLOYMENT_VARIABLES) expect(env[name]).toBe("");
    expect(env.PATH).toBe("/bin");
    expect(env.NO_PROXY).toBe("corp,127.0.0.1");
    expect(env.CONVEX_PROVISION_HOST).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});

describe("the bundling check", () => {
  it("fails on a Node built-in outside a \"use node\" file, with one sentence and the CLI's own lines", async () => {
    const { code, stdout, stderr } = await runCheckScript(tinyProject(NODE_FS_IN_A_QUERY));
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^» npm run check:bundle failed: The functions in convex\/ do not bundle the way a Convex deployment requires/);
    expect(stderr).toContain('Could not resolve "node:fs"');
    expect(stderr).toContain("convex/files.ts:1:");
    expect(stderr).toContain('"use node"');
    expect(stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(stderr).not.toContain("Bundling component"); // no progress lines
  }, CLI_TIMEOUT_MS);

  it("passes the same import in a \"use node\" file", async () => {
    const project = tinyProject({
      "messages.ts": QUERY,
      "files.ts": `"use node";\nimport { readFileSync } from "node:fs";\nimport { actionGeneric } from "convex/server";\nexport const read = actionGeneric({ args: {}, handler: async () => readFileSync("x", "utf8") });\n`,
    });
    await expect(checkConvexBundle({ projectDir: project })).resolves.toBeUndefined();
  }, CLI_TIMEOUT_MS);

  it("passes on this repository's convex/ and writes nothing into it", async () => {
    const before = readFileSync(join(ROOT, "convex", "_generated", "api.js"), "utf8");
    await expect(checkConvexBundle({ projectDir: ROOT })).resolves.toBeUndefined();
    expect(readFileSync(join(ROOT, "convex", "_generated", "api.js"), "utf8")).toBe(before);
  }, CLI_TIMEOUT_MS);
});

describe("regenerateConvexCode", () => {
  it("refuses to generate code for functions that do not bundle", async () => {
    const failure = regenerateConvexCode({ projectDir: tinyProject(NODE_FS_IN_A_QUERY) });
    await expect(failure).rejects.toThrow(ConvexBundleError);
    await expect(failure).rejects.toThrow(/Could not resolve "node:fs"/);
  }, CLI_TIMEOUT_MS);

  it("writes what convex dev writes, picks up a new module, and ignores a developer's deployment settings", async () => {
    // Anything the CLI sends to a configured deployment would land here.
    const trapped: string[] = [];
    const trap = createServer((req, res) => {
      trapped.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
    const trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
    try {
      const project = tinyProject({ "messages.ts": QUERY });
      // Read by itself, this .env.local makes the CLI refuse (CONVEX_DEPLOYMENT next to self-hosted) or push to the trap.
      writeFileSync(
        join(project, ".env.local"),
        `CONVEX_DEPLOYMENT=dev:happy-otter-123\nCONVEX_URL=${trapUrl}\nCONVEX_SELF_HOSTED_URL=${trapUrl}\nCONVEX_SELF_HOSTED_ADMIN_KEY=self-hosted|01\n`,
      );
      const env = { ...process.env, CONVEX_DEPLOYMENT: "prod:sad-otter-456", CONVEX_DEPLOY_KEY: "prod:sad-otter-456|key" };

      const first = await regenerateConvexCode({ projectDir: project, env });
      expect(first.changed).toEqual(["api.d.ts", "api.js", "dataModel.d.ts", "server.d.ts", "server.js"]);
      const generated = (file: string) => readFileSync(join(project, "convex", "_generated", file), "utf8");
      expect(generated("api.js")).toContain("export const components = componentsGeneric();");
      expect(generated("api.d.ts")).toContain("export declare const components: {};");
      expect(generated("api.d.ts")).toContain('import type * as messages from "../messages.js";');
      expect(generated("server.d.ts")).toContain("readonly CONVEX_SITE_URL: string;");

      // The step `convex deploy --debug-bundle-path` alone would miss: api.d.ts follows the modules.
      writeFileSync(join(project, "convex", "greetings.ts"), QUERY);
      const second = await regenerateConvexCode({ projectDir: project, env });
      expect(second.changed).toEqual(["api.d.ts"]);
      expect(generated("api.d.ts")).toContain('import type * as greetings from "../greetings.js";');

      expect(trapped).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => trap.close(() => resolve()));
    }
  }, CLI_TIMEOUT_MS);
});
