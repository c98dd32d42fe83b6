import { base64UrlToBytesStrict, bytesToBase64Url } from "./base64";
import { KEY_ID_PATTERN, type KeyRing } from "./keyring";

/** Format version written into every ciphertext. */
export const VAULT_FORMAT_VERSION = "v1";
/** AES-GCM nonce length recommended by NIST SP 800-38D §8.2. */
export const IV_LENGTH_BYTES = 12;
/** AES-GCM authentication tag length (Web Crypto's default, 128 bits). */
export const TAG_LENGTH_BYTES = 16;
/** Most imported keys kept at once; a ring rarely holds more than two or three. */
const KEY_CACHE_MAX_ENTRIES = 32;

/**
 * What a ciphertext belongs to: its org, the record that holds it (`owner`, e.g.
 * `<orgId>/<providerId>` for a connection's secrets, `oauth-state/<hash>` for a PKCE
 * verifier) and the field. It will not decrypt under any other binding.
 */
export type SecretBinding = { orgId: string; owner: string; field: string };

/** Why a ciphertext did not decrypt. */
export type VaultDecryptReason = "unknown_key" | "malformed" | "authentication_failed";

/** A ciphertext did not decrypt. The message never contains plaintext or key material. */
export class VaultDecryptError extends Error {
  override readonly name = "VaultDecryptError";
  readonly reason: VaultDecryptReason;
  /** The key id the ciphertext names, when it could be read. */
  readonly keyId: string | undefined;

  constructor(reason: VaultDecryptReason, keyId?: string, options?: { cause?: unknown }) {
    super(decryptMessage(reason, keyId), options);
    this.reason = reason;
    this.keyId = keyId;
  }
}

function decryptMessage(reason: VaultDecryptReason, keyId: string | undefined): string {
  switch (reason) {
    case "malformed":
      return `Cannot decrypt: not a ${VAULT_FORMAT_VERSION} vault ciphertext.`;
    case "unknown_key":
      return `Cannot decrypt: key "${keyId}" is not in the key ring.`;
    case "authentication_failed":
      return "Cannot decrypt: authentication failed (wrong key, altered ciphertext, or a ciphertext of another org, connection or field).";
    default:
      return reason satisfies never;
  }
}

type ParsedCiphertext = { keyId: string; iv: Uint8Array<ArrayBuffer>; sealed: Uint8Array<ArrayBuffer> };

/** Splits `v1.<keyId>.<iv>.<ciphertext+tag>`; throws `VaultDecryptError("malformed")`. */
function parseCiphertext(ciphertext: string): ParsedCiphertext {
  const parts = typeof ciphertext === "string" ? ciphertext.split(".") : [];
  if (parts.length !== 4) throw new VaultDecryptError("malformed");
  const [version, keyId, ivText, sealedText] = parts;
  if (version !== VAULT_FORMAT_VERSION || !KEY_ID_PATTERN.test(keyId)) {
    throw new VaultDecryptError("malformed");
  }
  const iv = base64UrlToBytesStrict(ivText);
  const sealed = base64UrlToBytesStrict(sealedText);
  if (iv === null || iv.length !== IV_LENGTH_BYTES || sealed === null || sealed.length < TAG_LENGTH_BYTES) {
    throw new VaultDecryptError("malformed", keyId);
  }
  return { keyId, iv, sealed };
}

/**
 * The additional authenticated data: a JSON array of the format, key id and binding.
 * JSON string encoding is unambiguous, so no two different headers or bindings give
 * the same bytes (a plain join would confuse `a.b`+`c` with `a`+`b.c`).
 */
function additionalData(keyId: string, binding: SecretBinding): Uint8Array<ArrayBuffer> {
  for (const name of ["orgId", "owner", "field"] as const) {
    if (typeof binding[name] !== "string" || binding[name] === "") {
      throw new TypeError(`Vault binding ${name} must be a non-empty string.`);
    }
  }
  const canonical = JSON.stringify([
    "switchboard-vault",
    VAULT_FORMAT_VERSION,
    keyId,
    binding.orgId,
    binding.owner,
    binding.field,
  ]);
  return new TextEncoder().encode(canonical);
}

// Imported keys, keyed by id and bytes: the ring is usually re-parsed from the
// environment on every call, and an id could be reused for new bytes. The promise
// is cached so concurrent calls share one import.
const keyCache = new Map<string, Promise<CryptoKey>>();
let keyImports = 0;

/** How many times the vault has imported a key into Web Crypto. Tests read the difference. */
export function vaultKeyImportCount(): number {
  return keyImports;
}

/** Forgets every imported key. */
export function clearVaultKeyCache(): void {
  keyCache.clear();
}

function cryptoKeyFor(ring: KeyRing, keyId: string): Promise<CryptoKey> {
  const bytes = ring.keyBytes(keyId);
  if (bytes === null) throw new VaultDecryptError("unknown_key", keyId);
  const cacheKey = `${keyId}:${bytesToBase64Url(bytes)}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  if (keyCache.size >= KEY_CACHE_MAX_ENTRIES) {
    keyCache.delete(keyCache.keys().next().value as string);
  }
  keyImports += 1;
  const imported = crypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  keyCache.set(cacheKey, imported);
  imported.catch(() => keyCache.delete(cacheKey));
  return imported;
}

/**
 * Encrypts `plaintext` with the ring's newest key and a random IV, bound to one org,
 * connection and field. Returns `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url parts).
 * @example await encryptSecret(ring, token, { orgId, owner, field: "accessToken" })
 */
export async function encryptSecret(ring: KeyRing, plaintext: string, binding: SecretBinding): Promise<string> {
  // A fresh random IV every time: reusing one under a key destroys AES-GCM's confidentiality and integrity.
  const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH_BYTES));
  const keyId = ring.currentId;
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(keyId, binding) },
    await cryptoKeyFor(ring, keyId),
    new TextEncoder().encode(plaintext),
  );
  return [VAULT_FORMAT_VERSION, keyId, bytesToBase64Url(iv), bytesToBase64Url(new Uint8Array(sealed))].join(".");
}

/**
 * Decrypts what `encryptSecret` made for the same binding, with whichever key of the
 * ring it names. Throws `VaultDecryptError` (`malformed`, `unknown_key`, `authentication_failed`).
 */
export async function decryptSecret(ring: KeyRing, ciphertext: string, binding: SecretBinding): Promise<string> {
  const { keyId, iv, sealed } = parseCiphertext(ciphertext);
  const aad = additionalData(keyId, binding);
  const key = await cryptoKeyFor(ring, keyId);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad }, key, sealed);
  } catch (error) {
    throw new VaultDecryptError("authentication_failed", keyId, { cause: error });
  }
  return new TextDecoder().decode(plain);
}

/** The key id a ciphertext was made with. Throws `VaultDecryptError("malformed")`. */
export function keyIdOf(ciphertext: string): string {
  return parseCiphertext(ciphertext).keyId;
}

/**
 * True when the ciphertext is not under the ring's newest key, so a maintenance job
 * should decrypt and re-encrypt it. Throws `VaultDecryptError("malformed")`.
 */
export function needsRotation(ring: KeyRing, ciphertext: string): boolean {
  return keyIdOf(ciphertext) !== ring.currentId;
}

/**
 * `encryptSecret` for a JSON value, such as a token bundle.
 * @example await encryptJson(ring, { accessToken, refreshToken, expiresAt }, { orgId, owner, field: "tokens" })
 */
export function encryptJson(ring: KeyRing, value: unknown, binding: SecretBinding): Promise<string> {
  const json = JSON.stringify(value);
  if (json === undefined) return Promise.reject(new TypeError("encryptJson needs a JSON-serializable value."));
  return encryptSecret(ring, json, binding);
}

/**
 * Decrypts and parses what `encryptJson` made. Pass `parse` (a zod schema's `.parse`,
 * say) to get a checked type; without it the result is `unknown`.
 */
export async function decryptJson(ring: KeyRing, ciphertext: string, binding: SecretBinding): Promise<unknown>;
export async function decryptJson<T>(
  ring: KeyRing,
  ciphertext: string,
  binding: SecretBinding,
  parse: (value: unknown) => T,
): Promise<T>;
export async function decryptJson<T>(
  ring: KeyRing,
  ciphertext: string,
  binding: SecretBinding,
  parse?: (value: unknown) => T,
): Promise<T | unknown> {
  const json = await decryptSecret(ring, ciphertext, binding);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // Authentic, but not JSON: it was written by encryptSecret, not encryptJson.
    throw new VaultDecryptError("malformed", keyIdOf(ciphertext));
  }
  return parse ? parse(value) : value;
}
