import { describe, expect, it } from "vitest";
import { base64ToBytes, base64UrlToBytesStrict, bytesToBase64, bytesToBase64Url } from "./base64";

const BYTES = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00, 0x01]);

describe("bytesToBase64", () => {
  it("writes standard, padded base64", () => {
    expect(bytesToBase64(BYTES)).toBe("+/+/AAE=");
  });
});

describe("bytesToBase64Url", () => {
  it("writes url-safe base64 without padding", () => {
    expect(bytesToBase64Url(BYTES)).toBe("-_-_AAE");
  });
});

describe("base64ToBytes", () => {
  it("reads standard and url-safe base64, padded or not", () => {
    for (const text of ["+/+/AAE=", "+/+/AAE", "-_-_AAE", "-_-_AAE="]) expect(base64ToBytes(text)).toEqual(BYTES);
  });

  it("returns null for characters outside base64, bad padding or an impossible length", () => {
    for (const text of ["+/+/AA E", "+/+/AAE==", "AAE=A", "AAAAA", "AA*A"]) expect(base64ToBytes(text)).toBeNull();
  });
});

describe("base64UrlToBytesStrict", () => {
  it("reads canonical unpadded base64url", () => {
    expect(base64UrlToBytesStrict("-_-_AAE")).toEqual(BYTES);
  });

  it("returns null for padding, the standard alphabet or stray low bits", () => {
    for (const text of ["-_-_AAE=", "+/+/AAE", "-_-_AAF"]) expect(base64UrlToBytesStrict(text)).toBeNull();
  });
});

describe("the table codecs agree with the standard-base64 route", () => {
  // The reference: standard base64 through btoa, then the RFC 4648 §5 substitutions.
  const reference = (bytes: Uint8Array) => bytesToBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  it("encodes and strictly decodes every length from 0 to 100 bytes", () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      const text = bytesToBase64Url(bytes);
      expect(text).toBe(reference(bytes));
      expect(base64UrlToBytesStrict(text)).toEqual(bytes);
    }
  });

  it("covers every byte value", () => {
    const bytes = Uint8Array.from({ length: 256 * 3 }, (_, i) => (i * 7) & 255);
    expect(bytesToBase64Url(bytes)).toBe(reference(bytes));
    expect(base64UrlToBytesStrict(bytesToBase64Url(bytes))).toEqual(bytes);
  });

  it("refuses in the strict decoder what is not canonical", () => {
    for (const text of ["A", "AAAAA", "AA=", "AA==", "A+AA", "A/AA", "AA\u00e9A", "AA\u{1F511}", "AB", "AAB", " AAA", "AAA\n"]) {
      expect(base64UrlToBytesStrict(text)).toBeNull();
    }
    // The last character's spare bits are zero: "AA" and "AAA" are canonical, "AB" and "AAB" are not.
    expect(base64UrlToBytesStrict("AA")).toEqual(new Uint8Array(1));
    expect(base64UrlToBytesStrict("AAA")).toEqual(new Uint8Array(2));
    expect(base64UrlToBytesStrict("")).toEqual(new Uint8Array(0));
  });
});

describe("base64UrlToBytesStrict, at its edges", () => {
  it("decodes all-zero quanta", () => {
    expect(base64UrlToBytesStrict("AAAA")).toEqual(new Uint8Array([0, 0, 0]));
    expect(base64UrlToBytesStrict("AAAAAA")).toEqual(new Uint8Array([0, 0, 0, 0]));
  });

  it("refuses a character outside the alphabet in a short last quantum, or just past ASCII", () => {
    for (const text of ["!A", "AAAA!A", "!AA", "AAAA!AA", "\u0080AAA", "AAA\u0080"]) expect(base64UrlToBytesStrict(text)).toBeNull();
  });
});
