/**
 * Base64 for the vault, on Web APIs only (`atob`/`btoa`; no `Buffer` in Convex's runtime).
 * Decoders validate first and return null instead of throwing, so callers choose the error.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*$/;

/** Standard base64 with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Unpadded base64url (RFC 4648 §5). */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
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
 */
export function base64UrlToBytesStrict(text: string): Uint8Array<ArrayBuffer> | null {
  if (!URL_SAFE.test(text)) return null;
  const bytes = base64ToBytes(text);
  return bytes !== null && bytesToBase64Url(bytes) === text ? bytes : null;
}
