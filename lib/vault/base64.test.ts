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
