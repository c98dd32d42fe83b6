/**
 * Base64 for the vault, on Web APIs only (`atob`/`btoa`; no `Buffer` in Convex's runtime).
 * Decoders validate first and return null instead of throwing, so callers choose the error.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;

/** Standard base64 with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** Two base64url characters for each 12-bit value: one lookup per 1.5 bytes. */
const URL_PAIRS: readonly string[] = Array.from({ length: 4096 }, (_, v) => URL_ALPHABET[v >> 6]! + URL_ALPHABET[v & 63]!);
/** The 6-bit value of each base64url character code below 128; -1 for any other. */
const URL_VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < URL_ALPHABET.length; i++) values[URL_ALPHABET.charCodeAt(i)] = i;
  return values;
})();

/**
 * Unpadded base64url (RFC 4648 §5), by table: the vault encodes on every secret it
 * writes, so this avoids going through standard base64 and three replaces.
 */
export function bytesToBase64Url(bytes: Uint8Array): string {
  let out = "";
  const whole = bytes.length - (bytes.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += URL_PAIRS[v >> 12]! + URL_PAIRS[v & 4095]!;
  }
  if (bytes.length - whole === 1) {
    const v = bytes[whole]!;
    out += URL_ALPHABET[v >> 2]! + URL_ALPHABET[(v & 3) << 4]!;
  } else if (bytes.length - whole === 2) {
    const v = (bytes[whole]! << 8) | bytes[whole + 1]!;
    out += URL_ALPHABET[v >> 10]! + URL_ALPHABET[(v >> 4) & 63]! + URL_ALPHABET[(v & 15) << 2]!;
  }
  return out;
}

/**
 * Decodes standard or url-safe base64, padded or not. Null when `text` is not base64.
 * @example base64ToBytes("AAE") // Uint8Array [0, 1]
 */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | null {
  const standard = text.replace(/-/g, "+").replace(/_/g, "/");
  if (!STANDARD.test(standard)) return null;
  const unpadded = standard.replace(/=+$/, "");
  // Padding, when present, must complete the last quantum exactly.
  if (standard !== unpadded && standard.length % 4 !== 0) return null;
  if (unpadded.length % 4 === 1) return null;
  const binary = atob(unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Decodes unpadded base64url in its canonical form only: no padding, no `+` or `/`,
 * no stray low bits in the last character. Null otherwise. Strictness keeps each
 * ciphertext to exactly one spelling, so a changed character never goes unnoticed.
 * One pass by table; canonical form is checked as it decodes (the spare bits of the
 * last character must be zero), not by encoding the result again.
 */
export function base64UrlToBytesStrict(text: string): Uint8Array<ArrayBuffer> | null {
  const length = text.length;
  const tail = length % 4;
  if (tail === 1) return null;
  const bytes = new Uint8Array((length * 3) >> 2);
  const whole = length - tail;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = valueAt(text, i);
    const b = valueAt(text, i + 1);
    const c = valueAt(text, i + 2);
    const d = valueAt(text, i + 3);
    if ((a | b | c | d) < 0) return null;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[o++] = v >> 16;
    bytes[o++] = (v >> 8) & 255;
    bytes[o++] = v & 255;
  }
  if (tail === 2) {
    const a = valueAt(text, whole);
    const b = valueAt(text, whole + 1);
    if ((a | b) < 0 || (b & 15) !== 0) return null;
    bytes[o] = (a << 2) | (b >> 4);
  } else if (tail === 3) {
    const a = valueAt(text, whole);
    const b = valueAt(text, whole + 1);
    const c = valueAt(text, whole + 2);
    if ((a | b | c) < 0 || (c & 3) !== 0) return null;
    bytes[o++] = (a << 2) | (b >> 4);
    bytes[o] = ((b & 15) << 4) | (c >> 2);
  }
  return bytes;
}

function valueAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? URL_VALUES[code]! : -1;
}
