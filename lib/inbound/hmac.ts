/**
 * The keyed hashes inbound webhook schemes sign with, on Web Crypto (the same in
 * Convex's runtime, Node and browsers). Verification goes through `crypto.subtle.verify`,
 * which compares in constant time, so how much of a forged signature matched never
 * shows in the time it takes to refuse it.
 */
import { base64ToBytes, bytesToBase64 } from "../vault/base64";

export type HmacHash = "SHA-256" | "SHA-1";

const utf8 = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
  return utf8.encode(text);
}

/** The bytes of `parts` one after the other (a signed base string, with the raw body in the middle). */
export function concatBytes(...parts: ReadonlyArray<Uint8Array | string>): Uint8Array<ArrayBuffer> {
  const chunks = parts.map((part) => (typeof part === "string" ? utf8.encode(part) : part));
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

async function importKey(hash: HmacHash, secret: string | Uint8Array, usage: "sign" | "verify"): Promise<CryptoKey> {
  const raw = typeof secret === "string" ? utf8.encode(secret) : new Uint8Array(secret);
  return await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash }, false, [usage]);
}

/** HMAC of `data` under `secret` (a string is its UTF-8 bytes). */
export async function hmac(hash: HmacHash, secret: string | Uint8Array, data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const key = await importKey(hash, secret, "sign");
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, new Uint8Array(data)));
}

/** Whether `signature` is the HMAC of `data` under `secret`, compared in constant time. */
export async function hmacMatches(hash: HmacHash, secret: string | Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const key = await importKey(hash, secret, "verify");
  return await crypto.subtle.verify("HMAC", key, new Uint8Array(signature), new Uint8Array(data));
}

/**
 * Whether two secrets given as text are equal, in time that depends only on their
 * lengths' maximum: for tokens a provider echoes back (Graph's `clientState`, Google's
 * channel token), where there is nothing to sign.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const length = Math.max(x.length, y.length);
  let difference = x.length ^ y.length;
  for (let i = 0; i < length; i++) difference |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return difference === 0;
}

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The bytes of a hex string (either case), or null when it is not hex of whole bytes. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export { base64ToBytes as fromBase64, bytesToBase64 as toBase64 };
