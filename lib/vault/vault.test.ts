import { createCipheriv, createDecipheriv } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { base64UrlToBytesStrict, bytesToBase64, bytesToBase64Url } from "./base64";
import { parseKeyRing } from "./keyring";
import {
  VaultDecryptError,
  decryptJson,
  decryptSecret,
  encryptJson,
  encryptSecret,
  keyIdOf,
  needsRotation,
  type SecretBinding,
  type VaultDecryptReason,
} from "./vault";

const OLD_KEY = bytesToBase64(new Uint8Array(32).fill(1));
const NEW_KEY = bytesToBase64(new Uint8Array(32).fill(2));
const oldRing = parseKeyRing(`old:${OLD_KEY}`);
const ring = parseKeyRing(`new:${NEW_KEY},old:${OLD_KEY}`);
const binding: SecretBinding = { orgId: "org_1", owner: "conn_1", field: "accessToken" };
const SECRET = "xoxb-1234-secret-token";

async function decryptFailure(promise: Promise<unknown>): Promise<VaultDecryptError> {
  const error = await promise.then(
    () => {
      throw new Error("decryption succeeded");
    },
    (error: unknown) => error,
  );
  if (!(error instanceof VaultDecryptError)) throw error;
  return error;
}

async function expectReason(promise: Promise<unknown>, reason: VaultDecryptReason) {
  expect((await decryptFailure(promise)).reason).toBe(reason);
}

/** Replaces one character of a ciphertext part with another base64url character. */
function alter(ciphertext: string, part: number, index = 0): string {
  const parts = ciphertext.split(".");
  const old = parts[part][index];
  parts[part] = parts[part].slice(0, index) + (old === "A" ? "B" : "A") + parts[part].slice(index + 1);
  return parts.join(".");
}

describe("encryptSecret", () => {
  it("round-trips through decryptSecret", async () => {
    for (const plaintext of [SECRET, "", "héllo wörld ✓ 🔑", "x".repeat(10_000)]) {
      expect(await decryptSecret(ring, await encryptSecret(ring, plaintext, binding), binding)).toBe(plaintext);
    }
  });

  it("writes v1, the newest key id, a 12-byte IV and no plaintext", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, binding);
    expect(ciphertext).toMatch(/^v1\.new\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(ciphertext).not.toContain(SECRET);
  });

  it("uses a fresh IV every time", async () => {
    const a = await encryptSecret(ring, SECRET, binding);
    const b = await encryptSecret(ring, SECRET, binding);
    expect(a.split(".")[2]).not.toBe(b.split(".")[2]);
    expect(a).not.toBe(b);
  });

  it("refuses an empty binding field", async () => {
    await expect(encryptSecret(ring, SECRET, { ...binding, orgId: "" })).rejects.toThrow(TypeError);
  });
});

describe("the format, checked against node:crypto's AES-256-GCM", () => {
  // The spec: v1.<keyId>.<base64url IV>.<base64url ciphertext+16-byte tag>, with
  // AAD = JSON ["switchboard-vault","v1",keyId,orgId,owner,field]. If this changes,
  // existing ciphertexts in the database stop decrypting.
  const KNOWN_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  const knownRing = parseKeyRing(`k2025:${KNOWN_KEY}`);
  const aad = (keyId: string) => Buffer.from(JSON.stringify(["switchboard-vault", "v1", keyId, binding.orgId, binding.owner, binding.field]));

  it("decrypts a ciphertext node:crypto made by the spec (a known answer)", async () => {
    const iv = Buffer.from(Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i));
    const cipher = createCipheriv("aes-256-gcm", Buffer.from(KNOWN_KEY, "base64"), iv).setAAD(aad("k2025"));
    const sealed = Buffer.concat([cipher.update("xoxb-known-answer", "utf8"), cipher.final(), cipher.getAuthTag()]);
    const ciphertext = ["v1", "k2025", bytesToBase64Url(iv), bytesToBase64Url(sealed)].join(".");
    expect(ciphertext).toBe("v1.k2025.oKGio6Slpqeoqaqr.nncET2igbNAVC6qyaQm3uwI9lz1kO_RZKb23l61wgv6t");
    expect(await decryptSecret(knownRing, ciphertext, binding)).toBe("xoxb-known-answer");
  });

  it("builds the AAD by the spec for bindings JSON has to escape", async () => {
    const odd: SecretBinding = { orgId: 'o"1\\', owner: "ünï/\u2028ç", field: "a\u0000b" };
    const [, , iv, sealed] = (await encryptSecret(knownRing, "x", odd)).split(".");
    const bytes = Buffer.from(sealed!, "base64url");
    const spec = Buffer.from(JSON.stringify(["switchboard-vault", "v1", "k2025", odd.orgId, odd.owner, odd.field]));
    const decipher = createDecipheriv("aes-256-gcm", Buffer.from(KNOWN_KEY, "base64"), Buffer.from(iv!, "base64url")).setAAD(spec);
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    expect(Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8")).toBe("x");
  });

  it("writes what node:crypto decrypts by the spec", async () => {
    const [version, keyId, iv, sealed] = (await encryptSecret(knownRing, "héllo", binding)).split(".");
    expect([version, keyId]).toEqual(["v1", "k2025"]);
    const bytes = Buffer.from(sealed!, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", Buffer.from(KNOWN_KEY, "base64"), Buffer.from(iv!, "base64url")).setAAD(aad("k2025"));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    expect(Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8")).toBe("héllo");
  });
});

describe("decryptSecret", () => {
  it("decrypts a ciphertext made under an older key of the ring", async () => {
    const ciphertext = await encryptSecret(oldRing, SECRET, binding);
    expect(keyIdOf(ciphertext)).toBe("old");
    expect(await decryptSecret(ring, ciphertext, binding)).toBe(SECRET);
  });

  it("fails with unknown_key when the ring no longer holds the key", async () => {
    const ciphertext = await encryptSecret(oldRing, SECRET, binding);
    const error = await decryptFailure(decryptSecret(parseKeyRing(`new:${NEW_KEY}`), ciphertext, binding));
    expect(error).toMatchObject({ reason: "unknown_key", keyId: "old" });
  });

  it.each(["orgId", "owner", "field"] as const)(
    "fails authentication when the %s differs",
    async (name) => {
      const ciphertext = await encryptSecret(ring, SECRET, binding);
      await expectReason(decryptSecret(ring, ciphertext, { ...binding, [name]: `${binding[name]}x` }), "authentication_failed");
    },
  );

  it("does not confuse bindings whose concatenations are equal", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, { orgId: "a.b", owner: "c", field: "f" });
    await expectReason(
      decryptSecret(ring, ciphertext, { orgId: "a", owner: "b.c", field: "f" }),
      "authentication_failed",
    );
  });

  it("fails authentication when the ciphertext body is altered", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, binding);
    await expectReason(decryptSecret(ring, alter(ciphertext, 3), binding), "authentication_failed");
    await expectReason(decryptSecret(ring, alter(ciphertext, 3, 10), binding), "authentication_failed");
  });

  it("fails authentication when the IV is altered", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, binding);
    await expectReason(decryptSecret(ring, alter(ciphertext, 2), binding), "authentication_failed");
  });

  it("fails authentication when the key id is altered, even to an id with the same key bytes", async () => {
    const twins = parseKeyRing(`a:${NEW_KEY},b:${NEW_KEY}`);
    const ciphertext = await encryptSecret(twins, SECRET, binding);
    await expectReason(decryptSecret(twins, ciphertext.replace(/^v1\.a\./, "v1.b."), binding), "authentication_failed");
  });

  it("fails authentication when the last bytes of the tag are cut off", async () => {
    const [version, keyId, iv, body] = (await encryptSecret(ring, SECRET, binding)).split(".");
    const shorter = bytesToBase64Url(base64UrlToBytesStrict(body)!.slice(0, -3));
    await expectReason(decryptSecret(ring, [version, keyId, iv, shorter].join("."), binding), "authentication_failed");
  });

  it("fails as malformed when the input is cut inside its header", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, binding);
    for (const cut of [0, 2, 5, 10, ciphertext.lastIndexOf(".") + 1]) {
      await expectReason(decryptSecret(ring, ciphertext.slice(0, cut), binding), "malformed");
    }
  });

  it("fails as malformed when the body is shorter than a GCM tag", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, binding);
    const [version, keyId, iv] = ciphertext.split(".");
    await expectReason(decryptSecret(ring, `${version}.${keyId}.${iv}.AAAAAAAAAAAAAAAAAAAA`, binding), "malformed");
  });

  it("fails as malformed on an unknown version, an extra part or a non-canonical character", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, binding);
    await expectReason(decryptSecret(ring, ciphertext.replace(/^v1\./, "v2."), binding), "malformed");
    await expectReason(decryptSecret(ring, `${ciphertext}.AAAA`, binding), "malformed");
    await expectReason(decryptSecret(ring, `${ciphertext}=`, binding), "malformed");
    await expectReason(decryptSecret(ring, ciphertext.replace(/\.(.)([^.]*)$/, ".+$2"), binding), "malformed");
  });

  it("fails as malformed when the last character carries stray low bits", async () => {
    const ciphertext = await encryptSecret(ring, "22 bytes of plaintext.", binding); // 38-byte body: 2 spare bits
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet[alphabet.indexOf(ciphertext.at(-1)!) ^ 1];
    await expectReason(decryptSecret(ring, ciphertext.slice(0, -1) + last, binding), "malformed");
  });

  it("keeps plaintext and key material out of error messages", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, binding);
    const errors = [
      await decryptFailure(decryptSecret(ring, alter(ciphertext, 3), binding)),
      await decryptFailure(decryptSecret(parseKeyRing(`other:${OLD_KEY}`), ciphertext, binding)),
      await decryptFailure(decryptSecret(ring, ciphertext.slice(0, 8), binding)),
    ];
    for (const error of errors) {
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain(NEW_KEY);
      expect(String(error.stack)).not.toContain(SECRET);
    }
  });
});

describe("key cache", () => {
  // Keys are imported once and cached (bench/README.md measures it); what a test can see
  // is that the cache never answers with the wrong key.
  it("an id reused for different key bytes uses the new bytes, never the cached key", async () => {
    const first = await encryptSecret(parseKeyRing(`same:${NEW_KEY}`), SECRET, binding);
    const second = await encryptSecret(parseKeyRing(`same:${OLD_KEY}`), SECRET, binding);
    expect(await decryptSecret(parseKeyRing(`same:${OLD_KEY}`), second, binding)).toBe(SECRET);
    await expectReason(decryptSecret(parseKeyRing(`same:${OLD_KEY}`), first, binding), "authentication_failed");
    expect(await decryptSecret(parseKeyRing(`same:${NEW_KEY}`), first, binding)).toBe(SECRET);
  });

  it("many concurrent encryptions from freshly parsed rings all decrypt", async () => {
    const ciphertexts = await Promise.all(
      Array.from({ length: 100 }, () => encryptSecret(parseKeyRing(`new:${NEW_KEY}`), SECRET, binding)),
    );
    for (const ciphertext of ciphertexts) expect(await decryptSecret(ring, ciphertext, binding)).toBe(SECRET);
  });
});

describe("keyIdOf", () => {
  it("reads the key id from a ciphertext", async () => {
    expect(keyIdOf(await encryptSecret(ring, SECRET, binding))).toBe("new");
  });

  it("throws a malformed VaultDecryptError for anything else", () => {
    expect(() => keyIdOf("not a ciphertext")).toThrow(VaultDecryptError);
  });
});

describe("needsRotation", () => {
  it("is false under the newest key and true under an older one", async () => {
    expect(needsRotation(ring, await encryptSecret(ring, SECRET, binding))).toBe(false);
    expect(needsRotation(ring, await encryptSecret(oldRing, SECRET, binding))).toBe(true);
  });
});

describe("encryptJson", () => {
  it("round-trips a token bundle through decryptJson", async () => {
    const bundle = { accessToken: "at", refreshToken: "rt", expiresAt: 1_700_000_000_000, scopes: ["a", "b"] };
    const ciphertext = await encryptJson(ring, bundle, { ...binding, field: "tokens" });
    expect(await decryptJson(ring, ciphertext, { ...binding, field: "tokens" })).toEqual(bundle);
  });

  it("rejects a value JSON cannot represent", async () => {
    await expect(encryptJson(ring, undefined, binding)).rejects.toThrow(TypeError);
  });
});

describe("decryptJson", () => {
  it("passes the value through the given parser", async () => {
    const ciphertext = await encryptJson(ring, { accessToken: "at" }, binding);
    const parse = (value: unknown) => {
      if (typeof value !== "object" || value === null || !("accessToken" in value)) throw new Error("bad bundle");
      return { token: String(value.accessToken) };
    };
    expect(await decryptJson(ring, ciphertext, binding, parse)).toEqual({ token: "at" });
  });

  it("fails as malformed when the secret is not JSON", async () => {
    await expectReason(decryptJson(ring, await encryptSecret(ring, "plain text", binding), binding), "malformed");
  });
});

describe("what a failure says", () => {
  it("names the problem in a sentence, and keeps the cause of a failed authentication", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, binding);
    const malformed = await decryptFailure(decryptSecret(ring, "v1.new", binding));
    expect([malformed.name, malformed.message, malformed.keyId]).toEqual(["VaultDecryptError", "Cannot decrypt: not a v1 vault ciphertext.", undefined]);
    const unknown = await decryptFailure(decryptSecret(oldRing, ciphertext, binding));
    expect(unknown.message).toBe('Cannot decrypt: key "new" is not in the key ring.');
    const altered = await decryptFailure(decryptSecret(ring, alter(ciphertext, 3), binding));
    expect(altered.message).toBe(
      "Cannot decrypt: authentication failed (wrong key, altered ciphertext, or a ciphertext of another org, connection or field).",
    );
    expect(altered.cause).toBeInstanceOf(Error);
  });

  it("a stored value that is not a string is malformed, not a crash", async () => {
    for (const value of [null, undefined, 42, { v: 1 }]) {
      await expectReason(decryptSecret(ring, value as never, binding), "malformed");
      expect(() => keyIdOf(value as never)).toThrow(VaultDecryptError);
    }
  });

  it("an IV that is not base64url, or not 12 bytes, is malformed and names the key", async () => {
    const [version, keyId, , sealed] = (await encryptSecret(ring, SECRET, binding)).split(".");
    for (const iv of ["!!!!", bytesToBase64Url(new Uint8Array(8)), bytesToBase64Url(new Uint8Array(16))]) {
      const error = await decryptFailure(decryptSecret(ring, [version, keyId, iv, sealed].join("."), binding));
      expect(error).toMatchObject({ reason: "malformed", keyId: "new" });
    }
  });

  it("a binding part that is not a non-empty string is refused by name, before anything is decrypted", async () => {
    const ciphertext = await encryptSecret(ring, SECRET, binding);
    await expect(decryptSecret(ring, ciphertext, { ...binding, owner: 7 as never })).rejects.toThrow(
      new TypeError("Vault binding owner must be a non-empty string."),
    );
    await expect(encryptSecret(ring, SECRET, { ...binding, field: undefined as never })).rejects.toThrow(
      "Vault binding field must be a non-empty string.",
    );
  });

  it("encryptJson says what it needs", async () => {
    await expect(encryptJson(ring, () => 1, binding)).rejects.toThrow("encryptJson needs a JSON-serializable value.");
  });
});

describe("importing keys, the expensive step", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  // Distinct key bytes per test, so earlier tests' cached imports do not count.
  const freshKey = (fill: number) => bytesToBase64(new Uint8Array(32).fill(fill));

  it("imports keys as non-extractable AES-GCM keys for encrypting and decrypting only", async () => {
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    await encryptSecret(parseKeyRing(`x:${freshKey(40)}`), SECRET, binding);
    expect(importKey).toHaveBeenCalledWith("raw", expect.any(Uint8Array), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  });

  it("a kept ring reads each key's bytes once, whichever keys it uses in between", async () => {
    const kept = parseKeyRing(`a:${freshKey(41)},b:${freshKey(42)}`);
    const older = await encryptSecret(parseKeyRing(`b:${freshKey(42)}`), SECRET, binding);
    const keyBytes = vi.spyOn(kept, "keyBytes");
    await encryptSecret(kept, SECRET, binding);
    expect(await decryptSecret(kept, older, binding)).toBe(SECRET);
    await encryptSecret(kept, SECRET, binding);
    await encryptSecret(kept, SECRET, binding);
    expect(keyBytes.mock.calls.map(([id]) => id)).toEqual(["a", "b"]);
  });

  it("a ring parsed again for the same keys imports nothing again", async () => {
    const key = freshKey(43);
    await encryptSecret(parseKeyRing(`same:${key}`), SECRET, binding);
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    for (let i = 0; i < 3; i++) await encryptSecret(parseKeyRing(`same:${key}`), SECRET, binding);
    expect(importKey).not.toHaveBeenCalled();
  });

  it("keeps the 32 most recent imports: the 33rd new key pushes out the oldest", async () => {
    const ids = Array.from({ length: 33 }, (_, i) => `k${i}`);
    const rings = ids.map((id, i) => () => parseKeyRing(`${id}:${freshKey(100 + i)}`));
    for (const make of rings) await encryptSecret(make(), SECRET, binding);
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    await encryptSecret(rings[32](), SECRET, binding);
    await encryptSecret(rings[31](), SECRET, binding);
    await encryptSecret(rings[2](), SECRET, binding);
    expect(importKey).not.toHaveBeenCalled();
    await encryptSecret(rings[0](), SECRET, binding);
    expect(importKey).toHaveBeenCalledTimes(1);
  });

  it("an import that failed is tried again, not remembered", async () => {
    const kept = parseKeyRing(`flaky:${freshKey(44)}`);
    vi.spyOn(crypto.subtle, "importKey").mockRejectedValueOnce(new Error("transient failure"));
    await expect(encryptSecret(kept, SECRET, binding)).rejects.toThrow("transient failure");
    // Let the failure's bookkeeping run before the next attempt.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const ciphertext = await encryptSecret(kept, SECRET, binding);
    expect(await decryptSecret(kept, ciphertext, binding)).toBe(SECRET);
    expect(await decryptSecret(parseKeyRing(`flaky:${freshKey(44)}`), ciphertext, binding)).toBe(SECRET);
  });
});
