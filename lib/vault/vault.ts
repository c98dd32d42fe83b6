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

// Shared codecs: constructing a TextEncoder/TextDecoder per call is measurable next to AES-GCM itself.
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** What the vault derives once per key of a ring: the imported key and the start of its AAD. */
type KeyConstants = {
  /** The import of the key, shared by every caller. */
  imported: Promise<CryptoKey>;
  /** The imported key once the import finished (no await needed from then on). */
  key: CryptoKey | null;
  /** `["switchboard-vault","v1","<keyId>",`: the part of the AAD every binding shares. */
  aadPrefix: string;
};

/**
 * The additional authenticated data: a JSON array of the format, key id and binding.
 * JSON string encoding is unambiguous, so no two different headers or bindings give
 * the same bytes (a plain join would confuse `a.b`+`c` with `a`+`b.c`). Written as
 * the key's constant prefix plus the three binding strings, byte for byte what
 * `JSON.stringify(["switchboard-vault", "v1", keyId, orgId, owner, field])` gives.
 */
function additionalData(constants: KeyConstants, binding: SecretBinding): Uint8Array<ArrayBuffer> {
  return utf8Encoder.encode(
    `${constants.aadPrefix}${JSON.stringify(binding.orgId)},${JSON.stringify(binding.owner)},${JSON.stringify(binding.field)}]`,
  ) as Uint8Array<ArrayBuffer>;
}

/** Throws a TypeError unless every part of the binding is a non-empty string. */
function checkBinding(binding: SecretBinding): void {
  for (const name of ["orgId", "owner", "field"] as const) {
    if (typeof binding[name] !== "string" || binding[name] === "") {
      throw new TypeError(`Vault binding ${name} must be a non-empty string.`);
    }
  }
}

// Imported keys, keyed by id and bytes: the ring may be re-parsed (a new KeyRing for
// the same keys), and an id could be reused for new bytes. The promise is cached so
// concurrent calls share one import.
const keyCache = new Map<string, Promise<CryptoKey>>();
// Per ring, per key id: what `keyConstants` worked out, so a ring that is kept (the
// environment's, parsed once per value) never copies or encodes its key bytes again.
const ringCache = new WeakMap<KeyRing, Map<string, KeyConstants>>();

/** The ring's constants for `keyId`; throws `VaultDecryptError("unknown_key")`. */
function keyConstants(ring: KeyRing, keyId: string): KeyConstants {
  let byId = ringCache.get(ring);
  const known = byId?.get(keyId);
  if (known) return known;
  const bytes = ring.keyBytes(keyId);
  if (bytes === null) throw new VaultDecryptError("unknown_key", keyId);
  const constants: KeyConstants = {
    imported: importedKey(keyId, bytes),
    key: null,
    aadPrefix: `${JSON.stringify(["switchboard-vault", VAULT_FORMAT_VERSION, keyId]).slice(0, -1)},`,
  };
  constants.imported.then(
    (key) => (constants.key = key),
    () => byId?.delete(keyId),
  );
  if (!byId) ringCache.set(ring, (byId = new Map()));
  byId.set(keyId, constants);
  return constants;
}

function importedKey(keyId: string, bytes: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const cacheKey = `${keyId}:${bytesToBase64Url(bytes)}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  if (keyCache.size >= KEY_CACHE_MAX_ENTRIES) {
    keyCache.delete(keyCache.keys().next().value as string);
  }
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
  checkBinding(binding);
  const keyId = ring.currentId;
  const constants = keyConstants(ring, keyId);
  const additional = additionalData(constants, binding);
  // A fresh random IV every time: reusing one under a key destroys AES-GCM's confidentiality and integrity.
  const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH_BYTES));
  const key = constants.key ?? (await constants.imported);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additional },
    key,
    utf8Encoder.encode(plaintext),
  );
  return `${VAULT_FORMAT_VERSION}.${keyId}.${bytesToBase64Url(iv)}.${bytesToBase64Url(new Uint8Array(sealed))}`;
}

/**
 * Decrypts what `encryptSecret` made for the same binding, with whichever key of the
 * ring it names. Throws `VaultDecryptError` (`malformed`, `unknown_key`, `authentication_failed`).
 */
export async function decryptSecret(ring: KeyRing, ciphertext: string, binding: SecretBinding): Promise<string> {
  const { keyId, iv, sealed } = parseCiphertext(ciphertext);
  checkBinding(binding);
  const constants = keyConstants(ring, keyId);
  const additional = additionalData(constants, binding);
  const key = constants.key ?? (await constants.imported);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: additional }, key, sealed);
  } catch (error) {
    throw new VaultDecryptError("authentication_failed", keyId, { cause: error });
  }
  return utf8Decoder.decode(plain);
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
