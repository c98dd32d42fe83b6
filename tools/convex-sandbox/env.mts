/**
 * The deployment environment the app's functions read from `process.env`:
 * `.env.local`-style variables, explicit overrides, and whatever Convex Auth and
 * the vault need that is still missing, generated for this session.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { exportJWK, exportPKCS8, generateKeyPair } from "jose";

/** Parses `KEY=value` lines; `#` comments, `export ` prefixes and quotes are allowed. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n");
    } else {
      value = value.replace(/\s+#.*$/, "");
    }
    values[match[1]!] = value;
  }
  return values;
}

/** Convex Auth's signing key pair, as `npx @convex-dev/auth` would generate it. */
export async function generateAuthKeys(): Promise<{ JWT_PRIVATE_KEY: string; JWKS: string }> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    JWT_PRIVATE_KEY: await exportPKCS8(privateKey),
    JWKS: JSON.stringify({ keys: [{ use: "sig", ...jwk }] }),
  };
}

/** A vault key ring with one fresh key: `<id>:<base64 of 32 random bytes>`. */
export function generateEncryptionKeys(): string {
  return `sandbox1:${randomBytes(32).toString("base64")}`;
}

export type EnvOptions = {
  /** A `.env.local`-style file to read; skipped when it does not exist. */
  envFile?: string;
  /** Values that win over the file. */
  env?: Record<string, string>;
  cloudUrl: string;
  siteUrl: string;
};

/**
 * The environment for one sandbox session: file values, then overrides, then
 * generated values for what is missing. `CONVEX_SITE_URL` is always the
 * sandbox's own site URL, as on a real deployment where it is built in.
 */
export async function buildEnvironment(options: EnvOptions): Promise<Record<string, string>> {
  const fromFile = options.envFile && existsSync(options.envFile) ? parseEnvFile(readFileSync(options.envFile, "utf8")) : {};
  const env: Record<string, string> = { ...fromFile, ...options.env };
  if (!env.JWT_PRIVATE_KEY || !env.JWKS) Object.assign(env, await generateAuthKeys());
  env.SITE_URL ||= "http://localhost:3000";
  env.SWITCHBOARD_ENCRYPTION_KEYS ||= generateEncryptionKeys();
  env.CONVEX_SITE_URL = options.siteUrl;
  env.CONVEX_CLOUD_URL = options.cloudUrl;
  return env;
}

/** Sets the values into `process.env` (functions read it at call time). */
export function applyEnvironment(env: Record<string, string>): void {
  for (const [key, value] of Object.entries(env)) process.env[key] = value;
}
