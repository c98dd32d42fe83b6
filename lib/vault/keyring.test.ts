import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { bytesToBase64, bytesToBase64Url } from "./base64";
import { KeyRing, VaultConfigError, generateKeyRingEntry, parseKeyRing } from "./keyring";

const KEY_A = bytesToBase64(new Uint8Array(32).fill(0xfb)); // "+/v7…": differs between alphabets
const KEY_B = bytesToBase64(new Uint8Array(32).fill(7));

function configError(raw: string | undefined): VaultConfigError {
  try {
    parseKeyRing(raw);
  } catch (error) {
    if (error instanceof VaultConfigError) return error;
    throw error;
  }
  throw new Error("parseKeyRing accepted the input");
}

describe("parseKeyRing", () => {
  it("reads entries newest first", () => {
    const ring = parseKeyRing(`new:${KEY_A},old:${KEY_B}`);
    expect(ring.ids).toEqual(["new", "old"]);
    expect(ring.currentId).toBe("new");
    expect(ring.keyBytes("new")).toEqual(new Uint8Array(32).fill(0xfb));
    expect(ring.keyBytes("old")).toEqual(new Uint8Array(32).fill(7));
  });

  it("accepts url-safe base64 with or without padding", () => {
    const urlSafe = bytesToBase64Url(new Uint8Array(32).fill(0xfb));
    expect(urlSafe).not.toBe(KEY_A.replace(/=+$/, ""));
    expect(parseKeyRing(`a:${urlSafe}`).keyBytes("a")).toEqual(new Uint8Array(32).fill(0xfb));
    expect(parseKeyRing(`a:${urlSafe}=`).keyBytes("a")).toEqual(new Uint8Array(32).fill(0xfb));
  });

  it("ignores spaces and line breaks around entries", () => {
    expect(parseKeyRing(` a:${KEY_A} ,\n b:${KEY_B}\n`).ids).toEqual(["a", "b"]);
  });

  it("reports a missing variable by name", () => {
    const error = configError(undefined);
    expect(error.problem).toBe("missing");
    expect(error.message).toContain("SWITCHBOARD_ENCRYPTION_KEYS");
  });

  it("reports an empty or blank variable", () => {
    expect(configError("").problem).toBe("empty");
    expect(configError("  \n").problem).toBe("empty");
  });

  it("reports the position of an entry without a colon, without echoing it", () => {
    const error = configError(`a:${KEY_A},${KEY_B}`);
    expect(error).toMatchObject({ problem: "malformed_entry", entry: 2 });
    expect(error.message).toContain("entry 2");
    expect(error.message).not.toContain(KEY_B);
  });

  it("reports an empty entry, such as a trailing comma", () => {
    expect(configError(`a:${KEY_A},`)).toMatchObject({ problem: "malformed_entry", entry: 2 });
  });

  it("reports an invalid id without quoting it, since it may be a pasted key", () => {
    const keyAsId = bytesToBase64Url(new Uint8Array(30).fill(9)); // 40 characters
    for (const raw of [`:${KEY_A}`, `bad.id:${KEY_A}`, `${"x".repeat(33)}:${KEY_A}`, `${keyAsId}:${KEY_A}`]) {
      const error = configError(raw);
      expect(error).toMatchObject({ problem: "malformed_entry", entry: 1 });
      expect(error.message).not.toContain(raw.split(":")[0] || "\u0000");
    }
  });

  it("reports a key that is not base64 without echoing it", () => {
    const error = configError("a:not*base64!");
    expect(error).toMatchObject({ problem: "malformed_entry", entry: 1 });
    expect(error.message).not.toContain("not*base64!");
  });

  it("reports the id of a key that is not 32 bytes, without echoing the key", () => {
    const short = bytesToBase64(new Uint8Array(16).fill(3));
    const error = configError(`good:${KEY_A},short:${short}`);
    expect(error).toMatchObject({ problem: "wrong_length", entry: 2, keyId: "short" });
    expect(error.message).toContain('"short"');
    expect(error.message).toContain("16 bytes");
    expect(error.message).not.toContain(short);
    expect(error.message).not.toContain(KEY_A);
  });

  it("reports a duplicate id with both positions", () => {
    const error = configError(`a:${KEY_A},b:${KEY_B},a:${KEY_B}`);
    expect(error).toMatchObject({ problem: "duplicate_id", entry: 3, keyId: "a" });
    expect(error.message).toContain("entries 1 and 3");
    expect(error.message).not.toContain(KEY_A);
    expect(error.message).not.toContain(KEY_B);
  });

  it("keeps key bytes out of JSON and inspection output", () => {
    const ring = parseKeyRing(`primary:${KEY_A}`);
    expect(JSON.stringify(ring)).toBe('{"ids":["primary"]}');
    expect(inspect(ring)).toBe("KeyRing { ids: [primary] }");
    expect(inspect({ ring }, { depth: 5, showHidden: true })).not.toContain("251");
  });

  it("hands out copies of key bytes, so callers cannot change the ring", () => {
    const ring = parseKeyRing(`a:${KEY_A}`);
    ring.keyBytes("a")!.fill(0);
    expect(ring.keyBytes("a")).toEqual(new Uint8Array(32).fill(0xfb));
    expect(ring.keyBytes("missing")).toBeNull();
  });
});

describe("KeyRing", () => {
  it("refuses to exist without keys", () => {
    expect(() => new KeyRing([])).toThrow(VaultConfigError);
  });
});

describe("generateKeyRingEntry", () => {
  it("makes an entry that parseKeyRing accepts", () => {
    const ring = parseKeyRing(generateKeyRingEntry("2025-06"));
    expect(ring.currentId).toBe("2025-06");
    expect(ring.keyBytes("2025-06")).toHaveLength(32);
  });

  it("makes a different key every time", () => {
    expect(generateKeyRingEntry("a")).not.toBe(generateKeyRingEntry("a"));
  });

  it("refuses an id the ring could not parse", () => {
    expect(() => generateKeyRingEntry("has.dot")).toThrow(VaultConfigError);
    expect(() => generateKeyRingEntry("")).toThrow(VaultConfigError);
  });
});
