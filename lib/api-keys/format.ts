/**
 * The API key format: `sbk_`, 32 random base62 characters, then a 6-character base62
 * CRC32 of the random part (GitHub's token format does the same). The prefix lets
 * secret scanners find leaked keys; the checksum refuses a typo or a made-up key
 * without a database read. Only `hashApiKey(key)` is ever stored.
 *
 * @example
 * const key = generateApiKey(); // "sbk_3kT…Zq9" (42 characters)
 * parseApiKey(key);             // { ok: true, key }
 */
import { sha256Hex } from "../hash";

export const API_KEY_PREFIX = "sbk_";
/** Random base62 characters: about 190 bits. */
export const API_KEY_RANDOM_LENGTH = 32;
/** Base62 digits of the CRC32 (62^6 > 2^32). */
export const API_KEY_CHECKSUM_LENGTH = 6;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + API_KEY_RANDOM_LENGTH + API_KEY_CHECKSUM_LENGTH;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${API_KEY_RANDOM_LENGTH + API_KEY_CHECKSUM_LENGTH}}$`);
/** The largest multiple of 62 below 256: bytes at or above it are redrawn, so every character is equally likely. */
const UNBIASED_BYTE_LIMIT = 248;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib) of an ASCII string. @example crc32("123456789") // 0xcbf43926 */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** `value` in base62, left-padded with zeros to `width`. @example toBase62(61, 2) // "0z" */
export function toBase62(value: number, width: number): string {
  let out = "";
  let rest = value;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, "0");
}

/** The checksum of a key's random part. */
export function checksumOf(random: string): string {
  return toBase62(crc32(random), API_KEY_CHECKSUM_LENGTH);
}

/**
 * A new key. `randomBytes` is for known-answer tests; in Convex call this in an action,
 * where `crypto.getRandomValues` is not seeded.
 */
export function generateApiKey(randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  let random = "";
  while (random.length < API_KEY_RANDOM_LENGTH) {
    for (const byte of randomBytes(API_KEY_RANDOM_LENGTH)) {
      if (byte < UNBIASED_BYTE_LIMIT && random.length < API_KEY_RANDOM_LENGTH) random += BASE62[byte % 62];
    }
  }
  return `${API_KEY_PREFIX}${random}${checksumOf(random)}`;
}

export type ParsedApiKey = { ok: true; key: string } | { ok: false; reason: "malformed" | "bad_checksum" };

/** Checks a presented key's shape and checksum; reads nothing. */
export function parseApiKey(text: string): ParsedApiKey {
  if (!KEY_PATTERN.test(text)) return { ok: false, reason: "malformed" };
  const body = text.slice(API_KEY_PREFIX.length);
  const random = body.slice(0, API_KEY_RANDOM_LENGTH);
  const checksum = body.slice(API_KEY_RANDOM_LENGTH);
  return checksum === checksumOf(random) ? { ok: true, key: text } : { ok: false, reason: "bad_checksum" };
}

/** What is stored to find a key again: lowercase hex SHA-256 of the whole key. */
export async function hashApiKey(key: string): Promise<string> {
  return await sha256Hex(key);
}

/** What the page shows of a key: its prefix with the first random characters, and its last four. */
export function displayParts(key: string): { prefix: string; lastFour: string } {
  return { prefix: key.slice(0, API_KEY_PREFIX.length + 4), lastFour: key.slice(-4) };
}

/**
 * The key in an `Authorization: Bearer <key>` header, or null when there is no such
 * header. The scheme is case-insensitive (RFC 9110 §11.1).
 */
export function bearerToken(header: string | null): string | null {
  if (header === null) return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match ? match[1]! : "";
}
