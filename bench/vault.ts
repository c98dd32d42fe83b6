/**
 * Vault against raw Web Crypto: encrypting and decrypting a token bundle (access and
 * refresh token, as a refresh stores them) with `encryptSecrets`/`decryptSecrets`,
 * against AES-256-GCM on the same key with no format, binding or key ring around it.
 */
import { decryptSecrets, encryptSecrets } from "../convex/shared/secrets";
import { sideBySide, summarise } from "./stats";

const ROUNDS = 3000;

function randomText(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => "abcdefghijklmnopqrstuvwxyz0123456789"[byte % 36]).join("");
}

function keyBytes(): Uint8Array<ArrayBuffer> {
  const entry = process.env.SWITCHBOARD_ENCRYPTION_KEYS!.split(",")[0]!;
  const base64 = entry.slice(entry.indexOf(":") + 1).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
}

export async function benchVault() {
  const bundle = { accessToken: `gho_${randomText(60)}`, refreshToken: `ghr_${randomText(76)}` };
  const key = await crypto.subtle.importKey("raw", keyBytes(), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  const vault = async () => {
    const sealed = await encryptSecrets("org1", "github", bundle);
    const opened = await decryptSecrets("org1", "github", sealed);
    if (opened.refreshToken !== bundle.refreshToken) throw new Error("vault round trip failed");
  };
  const raw = async () => {
    const fields = await Promise.all(
      Object.values(bundle).map(async (value) => {
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, encoder.encode(value));
        return { iv, sealed };
      }),
    );
    const opened = await Promise.all(
      fields.map(async ({ iv, sealed }) => decoder.decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, sealed))),
    );
    if (opened[1] !== bundle.refreshToken) throw new Error("raw round trip failed");
  };

  await sideBySide(200, vault, raw); // warm-up
  const samples = await sideBySide(ROUNDS, vault, raw);
  return { vault: summarise(samples.a), raw: summarise(samples.b) };
}
