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

describe("what an operator reads when the key ring is wrong", () => {
  it("names each problem in a sentence that says what to fix", () => {
    expect(configError("  ").message).toBe("SWITCHBOARD_ENCRYPTION_KEYS is empty.");
    expect(configError(`a:${KEY_A},,b:${KEY_B}`).message).toBe("SWITCHBOARD_ENCRYPTION_KEYS: entry 2 is malformed: it is empty.");
    expect(configError(`a:${KEY_A},${KEY_B}`).message).toBe('SWITCHBOARD_ENCRYPTION_KEYS: entry 2 is malformed: expected "id:base64key".');
    expect(configError(`bad.id:${KEY_A}`).message).toBe(
      "SWITCHBOARD_ENCRYPTION_KEYS: entry 1 is malformed: the id must be 1 to 32 characters of A-Z a-z 0-9 _ -.",
    );
    expect(configError("a:not*base64").message).toBe('SWITCHBOARD_ENCRYPTION_KEYS: entry 1 is malformed: the key of id "a" is not valid base64.');
  });

  it("is a VaultConfigError by name, so logs say what kind of failure it is", () => {
    const error = configError("");
    expect(error.name).toBe("VaultConfigError");
    expect(String(error)).toBe("VaultConfigError: SWITCHBOARD_ENCRYPTION_KEYS is empty.");
  });

  it("a ring built from no entries is refused", () => {
    expect(() => new KeyRing([])).toThrow(expect.objectContaining({ problem: "empty", message: "SWITCHBOARD_ENCRYPTION_KEYS holds no keys." }));
  });

  it("generateKeyRingEntry refuses an id that could not be parsed back", () => {
    for (const id of ["", "has.dot", "x".repeat(33)]) {
      expect(() => generateKeyRingEntry(id)).toThrow(
        expect.objectContaining({ problem: "invalid_id", message: "A key id must be 1 to 32 characters of A-Z a-z 0-9 _ -." }),
      );
    }
  });
});

describe("KeyRing keeps its own copy of the keys", () => {
  it("changing the bytes it was built from, or those it handed out, changes no key", () => {
    const bytes = new Uint8Array(32).fill(9);
    const ring = new KeyRing([{ id: "k", bytes }]);
    bytes.fill(0);
    ring.keyBytes("k")!.fill(1);
    expect(ring.keyBytes("k")).toEqual(new Uint8Array(32).fill(9));
  });

  it("knows which ids it holds", () => {
    const ring = parseKeyRing(`new:${KEY_A},old:${KEY_B}`);
    expect([ring.has("new"), ring.has("old"), ring.has("other")]).toEqual([true, true, false]);
    expect(ring.keyBytes("other")).toBeNull();
  });

  it("a key may follow its colon after spaces", () => {
    expect(parseKeyRing(`a:  ${KEY_A}`).keyBytes("a")).toEqual(new Uint8Array(32).fill(0xfb));
  });

  it("shows every id, comma-separated, when inspected", () => {
    expect(inspect(parseKeyRing(`new:${KEY_A},old:${KEY_B}`))).toBe("KeyRing { ids: [new, old] }");
  });
});
