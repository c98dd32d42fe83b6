import { base64ToBytes, bytesToBase64 } from "./base64";

/** The environment variable that holds the key ring. */
export const ENCRYPTION_KEYS_ENV = "SWITCHBOARD_ENCRYPTION_KEYS";
/** AES-256 key length. */
export const KEY_LENGTH_BYTES = 32;
/** What a key id may look like. Ids appear in every ciphertext, so they cannot contain dots. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Every way the key ring configuration can be wrong. */
export type VaultConfigProblem =
  | "missing"
  | "empty"
  | "malformed_entry"
  | "wrong_length"
  | "duplicate_id"
  | "invalid_id";

/**
 * The key ring configuration is unusable. Messages name the variable and the problem,
 * and never contain key material (an id is quoted only once it is known to be a valid id).
 */
export class VaultConfigError extends Error {
  override readonly name = "VaultConfigError";
  readonly problem: VaultConfigProblem;
  /** 1-based position of the offending entry, when there is one. */
  readonly entry: number | undefined;
  /** The offending key id, when it is a well-formed id. */
  readonly keyId: string | undefined;

  constructor(
    problem: VaultConfigProblem,
    message: string,
    details: { entry?: number; keyId?: string } = {},
  ) {
    super(message);
    this.problem = problem;
    this.entry = details.entry;
    this.keyId = details.keyId;
  }
}

/** One key of the ring: an id and its 32 bytes. */
export type KeyRingEntry = { readonly id: string; readonly bytes: Uint8Array<ArrayBuffer> };

/**
 * The vault's keys, newest first. Key bytes live in a private field, so logging the
 * ring (`console.log`, `JSON.stringify`) shows ids only. Build it with `parseKeyRing`.
 */
export class KeyRing {
  readonly #bytesById: ReadonlyMap<string, Uint8Array<ArrayBuffer>>;
  /** Key ids, newest first. */
  readonly ids: readonly string[];

  constructor(entries: readonly KeyRingEntry[]) {
    if (entries.length === 0) {
      throw new VaultConfigError("empty", `${ENCRYPTION_KEYS_ENV} holds no keys.`);
    }
    this.ids = entries.map((entry) => entry.id);
    this.#bytesById = new Map(entries.map((entry) => [entry.id, entry.bytes.slice()]));
  }

  /** The id of the newest key: every new ciphertext is made with it. */
  get currentId(): string {
    return this.ids[0];
  }

  /** True when the ring holds a key with this id. */
  has(id: string): boolean {
    return this.#bytesById.has(id);
  }

  /** A copy of the key's bytes, or null when the ring has no such key. Only the vault needs this. */
  keyBytes(id: string): Uint8Array<ArrayBuffer> | null {
    return this.#bytesById.get(id)?.slice() ?? null;
  }

  toJSON(): { ids: readonly string[] } {
    return { ids: this.ids };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `KeyRing { ids: [${this.ids.join(", ")}] }`;
  }
}

/**
 * Parses `SWITCHBOARD_ENCRYPTION_KEYS`: `id:base64,id:base64,…`, newest key first.
 * Each key is 32 bytes in standard or url-safe base64 (padding optional); ids match
 * `[A-Za-z0-9_-]{1,32}` and are unique. Spaces around entries are ignored.
 * Throws `VaultConfigError` on anything else.
 * @example parseKeyRing(process.env.SWITCHBOARD_ENCRYPTION_KEYS)
 */
export function parseKeyRing(raw: string | undefined): KeyRing {
  if (raw === undefined) {
    throw new VaultConfigError(
      "missing",
      `${ENCRYPTION_KEYS_ENV} is not set. Set it to "id:base64key" entries separated by commas, newest first.`,
    );
  }
  if (raw.trim() === "") {
    throw new VaultConfigError("empty", `${ENCRYPTION_KEYS_ENV} is empty.`);
  }
  const entries: KeyRingEntry[] = [];
  const firstSeenAt = new Map<string, number>();
  raw.split(",").forEach((text, index) => {
    const position = index + 1;
    const entry = parseEntry(text.trim(), position);
    const previous = firstSeenAt.get(entry.id);
    if (previous !== undefined) {
      throw new VaultConfigError(
        "duplicate_id",
        `${ENCRYPTION_KEYS_ENV}: key id "${entry.id}" appears twice (entries ${previous} and ${position}).`,
        { entry: position, keyId: entry.id },
      );
    }
    firstSeenAt.set(entry.id, position);
    entries.push(entry);
  });
  return new KeyRing(entries);
}

function parseEntry(text: string, position: number): KeyRingEntry {
  const malformed = (why: string) =>
    new VaultConfigError("malformed_entry", `${ENCRYPTION_KEYS_ENV}: entry ${position} is malformed: ${why}.`, {
      entry: position,
    });
  if (text === "") throw malformed("it is empty");
  const colon = text.indexOf(":");
  if (colon === -1) throw malformed('expected "id:base64key"');
  const id = text.slice(0, colon);
  // The id is not quoted: a malformed "id" may well be a pasted key.
  if (!KEY_ID_PATTERN.test(id)) throw malformed("the id must be 1 to 32 characters of A-Z a-z 0-9 _ -");
  const bytes = base64ToBytes(text.slice(colon + 1).trim());
  if (bytes === null) throw malformed(`the key of id "${id}" is not valid base64`);
  if (bytes.length !== KEY_LENGTH_BYTES) {
    throw new VaultConfigError(
      "wrong_length",
      `${ENCRYPTION_KEYS_ENV}: key "${id}" is ${bytes.length} bytes after base64 decoding; it must be ${KEY_LENGTH_BYTES}.`,
      { entry: position, keyId: id },
    );
  }
  return { id, bytes };
}

/**
 * A fresh key ring entry, `id:base64`, from `crypto.getRandomValues`. Prepend it to
 * `SWITCHBOARD_ENCRYPTION_KEYS` to rotate.
 * @example generateKeyRingEntry("2025-06") // "2025-06:q3J…="
 */
export function generateKeyRingEntry(id: string): string {
  if (!KEY_ID_PATTERN.test(id)) {
    throw new VaultConfigError("invalid_id", "A key id must be 1 to 32 characters of A-Z a-z 0-9 _ -.");
  }
  return `${id}:${bytesToBase64(crypto.getRandomValues(new Uint8Array(KEY_LENGTH_BYTES)))}`;
}
