import { describe, expect, it } from "vitest";
import { sha256Hex } from "./hash";

describe("sha256Hex", () => {
  it("is the lowercase hex SHA-256 of the UTF-8 text, 64 digits with leading zeros kept", async () => {
    expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(await sha256Hex("state-abc")).toBe("f93208fb39fc5779925604e0f0e45034822e2261f4bf217c0dc6c4151779a49f");
    expect(await sha256Hex("é")).toBe("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
  });
});
