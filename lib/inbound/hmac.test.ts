import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { concatBytes, constantTimeEqual, fromHex, hmac, hmacMatches, toHex, utf8Bytes } from "./hmac";

describe("hmac", () => {
  it("agrees with Node's createHmac for SHA-256 and SHA-1, string and byte keys", async () => {
    const data = utf8Bytes("body ✓");
    expect(toHex(await hmac("SHA-256", "key", data))).toBe(createHmac("sha256", "key").update("body ✓").digest("hex"));
    expect(toHex(await hmac("SHA-1", new Uint8Array([1, 2, 3]), data))).toBe(createHmac("sha1", Buffer.from([1, 2, 3])).update("body ✓").digest("hex"));
  });

  it("hmacMatches is true only for the exact signature", async () => {
    const data = utf8Bytes("payload");
    const good = await hmac("SHA-256", "k", data);
    expect(await hmacMatches("SHA-256", "k", data, good)).toBe(true);
    const flipped = new Uint8Array(good);
    flipped[31] ^= 1;
    expect(await hmacMatches("SHA-256", "k", data, flipped)).toBe(false);
    expect(await hmacMatches("SHA-256", "k", data, good.slice(0, 31))).toBe(false);
    expect(await hmacMatches("SHA-256", "other", data, good)).toBe(false);
    expect(await hmacMatches("SHA-1", "k", data, good)).toBe(false);
  });
});

describe("concatBytes", () => {
  it("joins strings (as UTF-8) and bytes in order", () => {
    expect(Array.from(concatBytes("é", new Uint8Array([0, 255]), "a"))).toEqual([0xc3, 0xa9, 0, 255, 0x61]);
    expect(concatBytes().length).toBe(0);
  });
});

describe("constantTimeEqual", () => {
  it("is true only for equal text", () => {
    expect(constantTimeEqual("token-1", "token-1")).toBe(true);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("token-1", "token-2")).toBe(false);
    expect(constantTimeEqual("token", "token-1")).toBe(false);
    expect(constantTimeEqual("token-1", "token")).toBe(false);
    expect(constantTimeEqual("", "a")).toBe(false);
    expect(constantTimeEqual("é", "e")).toBe(false);
    // Same bytes where the shorter one ends, differing only by length.
    expect(constantTimeEqual("a\u0000", "a")).toBe(false);
  });
});

describe("hex", () => {
  it("round-trips, in either case", () => {
    expect(toHex(new Uint8Array([0, 15, 16, 255]))).toBe("000f10ff");
    expect(Array.from(fromHex("000f10ff")!)).toEqual([0, 15, 16, 255]);
    expect(Array.from(fromHex("ABcd")!)).toEqual([0xab, 0xcd]);
    expect(fromHex("")!.length).toBe(0);
  });

  it("refuses odd lengths and non-hex characters", () => {
    for (const text of ["a", "abc", "zz", "0x00", "00 ", "+1", "-1"]) expect(fromHex(text), text).toBeNull();
  });
});
