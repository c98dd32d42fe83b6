/**
 * The pure half of `npm run dev`: reading `convex env list` and `.env` files, deciding
 * which deployment variables to generate, and generating them. Nothing here spawns a
 * process or touches the file system; `scripts/dev-setup.ts` does that.
 */
import { exportJWK, exportPKCS8, generateKeyPair } from "jose";

/** Convex Auth's signing key (PKCS#8 PEM, newlines folded to spaces). */
export const JWT_PRIVATE_KEY = "JWT_PRIVATE_KEY";
/** Convex Auth's public key set, JSON `{ keys: [...] }`. */
export const JWKS = "JWKS";
/** Where Convex Auth redirects back to after OAuth and magic links. */
export const SITE_URL = "SITE_URL";
/** The vault's key ring, `id:base64`, newest first (parsed by lib/vault). */
export const SWITCHBOARD_ENCRYPTION_KEYS = "SWITCHBOARD_ENCRYPTION_KEYS";

/** `next dev`'s default address. */
export const DEFAULT_SITE_URL = "http://localhost:3000";
/** AES-256 key length the vault expects. */
export const ENCRYPTION_KEY_BYTES = 32;

// ---------------------------------------------------------------------------
// Reading .env text

/** One `NAME=value` assignment found in a .env text, with where it sits. */
type Assignment = { name: string; value: string; lineStart: number; valueEnd: number; lineEnd: number };

// dotenv 16's line pattern, the parser the Convex CLI bundles for `.env.local`, for
// `env set --from-file`/stdin and as the target format of `env list`. Quoted values may
// span lines; an unquoted value stops at `#`. The `d` flag gives group positions.
const ASSIGNMENT =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

function* assignments(text: string): Generator<Assignment> {
  for (const match of text.matchAll(ASSIGNMENT)) {
    const indices = match.indices;
    if (!indices?.[1]) continue;
    const nameStart = indices[1][0];
    // The pattern's leading \s* may swallow blank lines and its trailing part may
    // swallow a comment on the next line; a rewrite must touch the assignment's own
    // lines only.
    const lineStart = text.lastIndexOf("\n", nameStart - 1) + 1;
    const valueEnd = indices[2]?.[1] ?? indices[1][1];
    const newline = text.indexOf("\n", valueEnd);
    const lineEnd = newline === -1 ? text.length : newline;
    yield { name: match[1], value: unquote(match[2] ?? ""), lineStart, valueEnd, lineEnd };
  }
}

function unquote(raw: string): string {
  let value = raw.trim();
  const quote = value[0];
  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, "$2");
  if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
  return value;
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/**
 * The variables a .env text assigns, with dotenv's rules (comments, `export `, single,
 * double and backtick quotes, multi-line quoted values; a later assignment wins).
 * @example readDotEnv("# db\nA=1\nB='x y'") // → Map { "A" => "1", "B" => "x y" }
 */
export function readDotEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const { name, value } of assignments(normalizeNewlines(text))) values.set(name, value);
  return values;
}

/**
 * The variables in the stdout of `convex env list --include-values`. The CLI prints
 * `NAME=value` lines in .env format (quoting only values with newlines, `#` or edge
 * quotes), so they are read exactly as `convex env set` would read them back.
 * @example parseEnvList("A=x=y z\n") // → Map { "A" => "x=y z" }
 */
export function parseEnvList(stdout: string): Map<string, string> {
  return readDotEnv(stdout);
}

// ---------------------------------------------------------------------------
// Writing .env text

/** A value that cannot be written in .env syntax so that dotenv reads it back unchanged. */
export class DotEnvFormatError extends Error {
  override readonly name = "DotEnvFormatError";
  constructor(readonly variable: string, reason: string) {
    super(`${variable} cannot be written to a .env file: ${reason}`);
  }
}

const PLAIN_VALUE = /^[A-Za-z0-9_\-.:/@+=,%~]*$/;

/**
 * A value in .env syntax that dotenv parses back to exactly `value`: bare when it is
 * plain, otherwise in the first quotes that need no escaping. Never logs the value.
 * @example formatDotEnvValue("JWKS", '{"keys":[]}') // → `'{"keys":[]}'`
 */
export function formatDotEnvValue(name: string, value: string): string {
  if (value.includes("\r")) throw new DotEnvFormatError(name, "it contains a carriage return");
  if (PLAIN_VALUE.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value.replace(/\n/g, "\\n")}"`;
  if (!value.includes("`")) return `\`${value}\``;
  throw new DotEnvFormatError(name, "it contains single quotes, double quotes and backticks");
}

/** `NAME=value` lines, one per entry, in order; the text `convex env set` reads from stdin. */
export function serializeDotEnv(entries: Iterable<readonly [string, string]>): string {
  let text = "";
  for (const [name, value] of entries) text += `${name}=${formatDotEnvValue(name, value)}\n`;
  return text;
}

/**
 * `text` with each entry assigned: an existing assignment is rewritten where it stands
 * (the last one, which is the one dotenv uses; an inline comment stays), a new one is
 * appended. Comments, blank lines and the order of everything else are kept.
 * @example upsertDotEnv("# url\nA=1\n", [["A", "2"], ["B", "3"]]) // → "# url\nA=2\nB=3\n"
 */
export function upsertDotEnv(text: string, entries: Iterable<readonly [string, string]>): string {
  let result = normalizeNewlines(text);
  for (const [name, value] of entries) {
    const line = `${name}=${formatDotEnvValue(name, value)}`;
    let last: Assignment | undefined;
    for (const assignment of assignments(result)) if (assignment.name === name) last = assignment;
    if (last) {
      // Keep an inline comment after the old value.
      const rest = result.slice(last.valueEnd, last.lineEnd).trim();
      const comment = rest.startsWith("#") ? ` ${rest}` : "";
      result = result.slice(0, last.lineStart) + line + comment + result.slice(last.lineEnd);
    } else {
      result += `${result === "" || result.endsWith("\n") ? "" : "\n"}${line}\n`;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------
// Generating values

/**
 * A value as `convex env set` should receive it. Convex Auth's own setup stores the
 * PEM private key on one line, newlines folded to spaces (`trimEnd().replace(/\n/g, " ")`,
 * @convex-dev/auth `generateKeys`); jose's `importPKCS8` ignores whitespace inside the
 * PEM, and a one-line value survives the dashboard, shells and `env list`.
 * @example formatEnvValueForCli("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")
 * // → "-----BEGIN PRIVATE KEY----- MIIE -----END PRIVATE KEY-----"
 */
export function formatEnvValueForCli(value: string): string {
  return value.trimEnd().replace(/\r?\n/g, " ");
}

/** Convex Auth's key pair, as the deployment stores it. */
export type AuthKeys = { JWT_PRIVATE_KEY: string; JWKS: string };

/**
 * A fresh RS256 key pair for Convex Auth, the way `npx @convex-dev/auth` makes it:
 * the PKCS#8 private key folded to one line, and `{"keys":[{"use":"sig",...jwk}]}`.
 */
export async function generateAuthKeys(): Promise<AuthKeys> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    JWT_PRIVATE_KEY: formatEnvValueForCli(await exportPKCS8(privateKey)),
    JWKS: JSON.stringify({ keys: [{ use: "sig", ...jwk }] }),
  };
}

/**
 * A vault key ring with one new key, `k<yyyymmdd>:<base64 of 32 random bytes>`; the id
 * carries the UTC creation date so a rotated ring reads oldest-to-newest at a glance.
 * @example generateEncryptionKeyRing(new Date("2026-03-01")) // → "k20260301:3q2+7w…="
 */
export function generateEncryptionKeyRing(date: Date): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ENCRYPTION_KEY_BYTES));
  const day = date.toISOString().slice(0, 10).replaceAll("-", "");
  return `k${day}:${btoa(String.fromCharCode(...bytes))}`;
}

// ---------------------------------------------------------------------------
// Planning

/** Freshly generated candidates; `planEnvChanges` uses only those a variable is missing for. */
export type GeneratedEnv = { authKeys: AuthKeys; siteUrl: string; encryptionKeys: string };

/** Why a variable is set or kept. */
export type EnvChangeReason =
  /** The deployment has no value (or an empty one). */
  | "missing"
  /** It has a value, but its partner is missing, and the two only work as a pair. */
  | "unpaired"
  /** It has a value; dev setup never overwrites one. */
  | "present";

/** One line of the plan: set a variable to `value`, or keep what the deployment has. */
export type EnvChange =
  | { name: string; action: "set"; value: string; reason: "missing" | "unpaired" }
  | { name: string; action: "keep"; reason: "present" };

function isSet(current: ReadonlyMap<string, string>, name: string): boolean {
  return (current.get(name) ?? "").trim() !== "";
}

/**
 * What to do with each variable dev setup manages, given the deployment's current
 * environment. Only missing values are generated, so a second run keeps everything.
 * `JWT_PRIVATE_KEY` and `JWKS` are one key pair: if either is missing both are set,
 * since a private key without its public half (or the reverse) signs tokens nobody
 * can verify. An existing key ring is never replaced: its keys decrypt stored secrets.
 */
export function planEnvChanges(current: ReadonlyMap<string, string>, generate: GeneratedEnv): EnvChange[] {
  const changes: EnvChange[] = [];
  const authPairComplete = isSet(current, JWT_PRIVATE_KEY) && isSet(current, JWKS);
  for (const name of [JWT_PRIVATE_KEY, JWKS] as const) {
    if (authPairComplete) changes.push({ name, action: "keep", reason: "present" });
    else {
      const reason = isSet(current, name) ? "unpaired" : "missing";
      changes.push({ name, action: "set", value: generate.authKeys[name], reason });
    }
  }
  const single: Array<[string, string]> = [
    [SITE_URL, generate.siteUrl],
    [SWITCHBOARD_ENCRYPTION_KEYS, generate.encryptionKeys],
  ];
  for (const [name, value] of single) {
    changes.push(
      isSet(current, name)
        ? { name, action: "keep", reason: "present" }
        : { name, action: "set", value, reason: "missing" },
    );
  }
  return changes;
}

/**
 * The line printed for a change: the variable's name and what happened, never its value.
 * @example describeEnvChange({ name: "SITE_URL", action: "keep", reason: "present" }) // → "kept SITE_URL"
 */
export function describeEnvChange(change: EnvChange): string {
  switch (change.action) {
    case "keep":
      return `kept ${change.name}`;
    case "set":
      return change.reason === "unpaired"
        ? `set ${change.name} (its partner was missing, so the key pair was regenerated)`
        : `set ${change.name}`;
    default:
      return change satisfies never;
  }
}

// ---------------------------------------------------------------------------
// Deployment selection

/** How the Convex CLI will pick a deployment, judged from the same variables it reads. */
export type ConvexDeploymentConfig =
  | { configured: true; via: "CONVEX_DEPLOYMENT"; deployment: string }
  | { configured: true; via: "CONVEX_DEPLOY_KEY" | "CONVEX_SELF_HOSTED_URL" }
  | { configured: false };

/**
 * Whether the Convex CLI already knows its deployment. It reads `CONVEX_DEPLOY_KEY`,
 * `CONVEX_SELF_HOSTED_URL` (+ admin key) or `CONVEX_DEPLOYMENT` from the process
 * environment, then `.env.local`, then `.env`; pass them merged in that precedence.
 */
export function convexDeploymentConfig(env: ReadonlyMap<string, string>): ConvexDeploymentConfig {
  const get = (name: string) => (env.get(name) ?? "").trim();
  if (get("CONVEX_DEPLOY_KEY")) return { configured: true, via: "CONVEX_DEPLOY_KEY" };
  if (get("CONVEX_SELF_HOSTED_URL")) return { configured: true, via: "CONVEX_SELF_HOSTED_URL" };
  const deployment = get("CONVEX_DEPLOYMENT");
  if (deployment) return { configured: true, via: "CONVEX_DEPLOYMENT", deployment };
  return { configured: false };
}

/** How the first `convex dev --once` should create the deployment, and why. */
export type SetupMode =
  | { mode: "anonymous"; reason: "agent_mode" | "not_logged_in" | "not_interactive" }
  | { mode: "account"; reason: "logged_in" };

/**
 * Anonymous local deployment (`CONVEX_AGENT_MODE=anonymous`: no account, no prompt)
 * unless the developer has logged in to Convex and sits at a terminal; then the CLI's
 * own one-time project picker runs, because a team and project on their account cannot
 * be guessed. `CONVEX_AGENT_MODE=anonymous` in the environment always wins.
 */
export function chooseSetupMode(input: { agentMode: string | undefined; loggedIn: boolean; interactive: boolean }): SetupMode {
  if (input.agentMode === "anonymous") return { mode: "anonymous", reason: "agent_mode" };
  if (!input.loggedIn) return { mode: "anonymous", reason: "not_logged_in" };
  if (!input.interactive) return { mode: "anonymous", reason: "not_interactive" };
  return { mode: "account", reason: "logged_in" };
}
