import { describe, expect, test } from "vitest";
import { basicAuthorization, clientBasicAuthorization, formUrlEncode } from "./basic";

const decode = (header: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(header.replace(/^Basic /, "")), (c) => c.charCodeAt(0)));

describe("formUrlEncode", () => {
  test.each([
    ["abcXYZ019", "abcXYZ019"],
    ["*-._", "*-._"],
    ["a b", "a+b"],
    ["+%/=:", "%2B%25%2F%3D%3A"],
    ["!'()~", "%21%27%28%29%7E"],
    ["é", "%C3%A9"],
  ])("%s → %s (what URLSearchParams writes)", (input, expected) => {
    expect(formUrlEncode(input)).toBe(expected);
    expect(new URLSearchParams({ v: input }).toString()).toBe(`v=${expected}`);
  });
});

describe("basic credentials", () => {
  test("a person's credentials are UTF-8 as typed (RFC 7617)", () => {
    expect(decode(basicAuthorization("ann", "p:a+ss é"))).toBe("ann:p:a+ss é");
  });
  test("an OAuth client's id and secret are each form-urlencoded first (RFC 6749 §2.3.1)", () => {
    expect(decode(clientBasicAuthorization("my client", "s%+/=:"))).toBe("my+client:s%25%2B%2F%3D%3A");
  });
});
