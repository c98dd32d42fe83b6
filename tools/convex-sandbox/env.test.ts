import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importPKCS8 } from "jose";
import { describe, expect, test } from "vitest";
import { buildEnvironment, parseEnvFile } from "./env.mjs";

describe("parseEnvFile", () => {
  test("reads KEY=value lines with comments, export prefixes and quotes", () => {
    const text = [
      "# a comment",
      "PLAIN=value",
      "export EXPORTED=yes",
      'DOUBLE="two words # not a comment"',
      "SINGLE='single'",
      "TRAILING=value # a comment",
      'MULTILINE="a\\nb"',
      "not a line",
    ].join("\n");
    expect(parseEnvFile(text)).toEqual({
      PLAIN: "value",
      EXPORTED: "yes",
      DOUBLE: "two words # not a comment",
      SINGLE: "single",
      TRAILING: "value",
      MULTILINE: "a\nb",
    });
  });
});

describe("buildEnvironment", () => {
  const urls = { cloudUrl: "http://127.0.0.1:3210", siteUrl: "http://127.0.0.1:3211" };

  test("generates what is missing: Convex Auth keys, SITE_URL, a vault key ring", async () => {
    const env = await buildEnvironment(urls);
    await expect(importPKCS8(env.JWT_PRIVATE_KEY!, "RS256")).resolves.toBeDefined();
    expect(JSON.parse(env.JWKS!).keys[0]).toMatchObject({ kty: "RSA", use: "sig" });
    expect(env.SITE_URL).toBe("http://localhost:3000");
    expect(env.CONVEX_SITE_URL).toBe(urls.siteUrl);
    expect(env.CONVEX_CLOUD_URL).toBe(urls.cloudUrl);
    const [id, key] = env.SWITCHBOARD_ENCRYPTION_KEYS!.split(":");
    expect(id).toBeTruthy();
    expect(Buffer.from(key!, "base64")).toHaveLength(32);
  });

  test("file values are kept, overrides win, and CONVEX_SITE_URL is always the sandbox's", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "sandbox-env-")), ".env.local");
    writeFileSync(file, "SITE_URL=http://localhost:4000\nSWITCHBOARD_ENCRYPTION_KEYS=k1:abc\nCONVEX_SITE_URL=https://elsewhere\n");
    const env = await buildEnvironment({ ...urls, envFile: file, env: { SWITCHBOARD_ENCRYPTION_KEYS: "k2:def" } });
    expect(env.SITE_URL).toBe("http://localhost:4000");
    expect(env.SWITCHBOARD_ENCRYPTION_KEYS).toBe("k2:def");
    expect(env.CONVEX_SITE_URL).toBe(urls.siteUrl);
  });
});
