import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

test("the CLI prints one ready line with both URLs, serves them, and stops on SIGTERM", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "tools/convex-sandbox/main.mts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      CONVEX_SANDBOX_PORT: "0",
      CONVEX_SANDBOX_SITE_PORT: "0",
      CONVEX_SANDBOX_DIR: "tools/convex-sandbox/fixture/convex",
      CONVEX_SANDBOX_QUIET: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    await expect.poll(() => stdout, { timeout: 15_000 }).toMatch(/\n$/);
    const match = /^convex sandbox ready (http:\/\/127\.0\.0\.1:\d+) (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout);
    expect(match).not.toBeNull();
    const [, url, siteUrl] = match!;
    const query = await fetch(`${url}/api/query`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path: "messages:list", args: [{}], format: "convex_encoded_json" }),
    });
    expect(await query.json()).toEqual({ status: "success", value: [], logLines: [] });
    expect((await fetch(`${siteUrl}/messages`, { method: "POST", body: "x" })).status).toBe(201);
  } finally {
    child.kill("SIGTERM");
  }
  expect(await exited).toBe(0);
  expect(stdout.split("\n").filter(Boolean)).toHaveLength(1);
}, 20_000);
