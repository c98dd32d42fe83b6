import { describe, expect, test } from "vitest";
import {
  API_KEY_LENGTH,
  API_KEY_PREFIX,
  bearerToken,
  checksumOf,
  crc32,
  displayParts,
  generateApiKey,
  hashApiKey,
  parseApiKey,
  toBase62,
} from "./format";

/** A byte source that repeats `bytes` (for known answers). */
const repeating = (bytes: number[]) => (n: number) => Uint8Array.from({ length: n }, (_, i) => bytes[i % bytes.length]!);

describe("crc32", () => {
  test("matches the standard check value and known strings", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(crc32("")).toBe(0);
    expect(crc32("a")).toBe(0xe8b7be43);
    expect(crc32("The quick brown fox jumps over the lazy dog")).toBe(0x414fa339);
  });
});

describe("toBase62", () => {
  test("encodes with zero padding to the width", () => {
    expect(toBase62(0, 3)).toBe("000");
    expect(toBase62(61, 2)).toBe("0z");
    expect(toBase62(62, 2)).toBe("10");
    expect(toBase62(10, 1)).toBe("A");
    expect(toBase62(36, 1)).toBe("a");
    expect(toBase62(0xffffffff, 6)).toBe("4gfFC3");
  });
});

describe("generateApiKey", () => {
  test("is sbk_, 32 base62 characters and their checksum", () => {
    const key = generateApiKey();
    expect(key).toHaveLength(API_KEY_LENGTH);
    expect(key).toMatch(/^sbk_[0-9A-Za-z]{38}$/);
    expect(key.slice(-6)).toBe(checksumOf(key.slice(4, 36)));
    expect(generateApiKey()).not.toBe(key);
  });

  test("maps bytes to characters by value mod 62, and redraws bytes of 248 and above (no bias)", () => {
    expect(generateApiKey(repeating([0, 1, 61, 62]))).toBe(`sbk_${"01z0".repeat(8)}${checksumOf("01z0".repeat(8))}`);
    // 248..255 are skipped: only the 7 and 10 count.
    expect(generateApiKey(repeating([248, 255, 7, 10]))).toBe(`sbk_${"7A".repeat(16)}${checksumOf("7A".repeat(16))}`);
    // Redrawn bytes ask for more, and no more characters are kept than the key has.
    // (Each draw of 32 bytes starts the pattern again: 21 kept, then 11 of the next 21.)
    const drawn = `${"34".repeat(10)}3${"34".repeat(5)}3`;
    expect(generateApiKey(repeating([249, 3, 4]))).toBe(`sbk_${drawn}${checksumOf(drawn)}`);
    // 247 is the largest byte kept.
    expect(generateApiKey(repeating([247])).slice(4, 36)).toBe(toBase62(247 % 62, 1).repeat(32));
  });
});

describe("parseApiKey", () => {
  const key = generateApiKey(repeating([5, 9, 200, 33]));

  test("accepts a key and refuses any one character changed", () => {
    expect(parseApiKey(key)).toEqual({ ok: true, key });
    const changed = `${key.slice(0, 10)}${key[10] === "a" ? "b" : "a"}${key.slice(11)}`;
    expect(parseApiKey(changed)).toEqual({ ok: false, reason: "bad_checksum" });
    const lastChanged = `${key.slice(0, -1)}${key.at(-1) === "0" ? "1" : "0"}`;
    expect(parseApiKey(lastChanged)).toEqual({ ok: false, reason: "bad_checksum" });
  });

  test("refuses other shapes as malformed", () => {
    for (const text of ["", "sbk_", key.slice(0, -1), `${key}0`, key.replace("sbk_", "sbx_"), key.replace(/.$/, "-"), ` ${key}`, key.toUpperCase(), `SBK_${key.slice(4)}`]) {
      expect(parseApiKey(text), text).toEqual({ ok: false, reason: "malformed" });
    }
  });
});

describe("hashApiKey and displayParts", () => {
  test("hash is the hex SHA-256 of the whole key", async () => {
    expect(await hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  test("display parts are the prefix with four characters and the last four", () => {
    expect(displayParts(`${API_KEY_PREFIX}abcdefgh1234`)).toEqual({ prefix: "sbk_abcd", lastFour: "1234" });
  });
});

describe("bearerToken", () => {
  test("reads Bearer credentials, case-insensitively, and marks anything else as present but unusable", () => {
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken("Bearer sbk_abc")).toBe("sbk_abc");
    expect(bearerToken("bearer   sbk_abc ")).toBe("sbk_abc");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBe("");
    expect(bearerToken("NotBearer sbk_abc")).toBe("");
    expect(bearerToken("Bearer")).toBe("");
    expect(bearerToken("Bearer a b")).toBe("");
    expect(bearerToken("")).toBe("");
  });
});
