import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { changedInputs, fingerprintInputs, UNDIFFED_INPUTS } from "./mutation-inputs";

describe("fingerprintInputs", () => {
  it("hashes each file's text, and marks a missing one null", () => {
    const files: Record<string, string> = { "a.ts": "export const a = 1;\n" };
    expect(fingerprintInputs((path) => files[path] ?? null, ["a.ts", "gone.ts"])).toEqual({
      "a.ts": createHash("sha256").update("export const a = 1;\n").digest("hex"),
      "gone.ts": null,
    });
    const once = fingerprintInputs((path) => files[path] ?? null, ["a.ts"]);
    files["a.ts"] = "export const a = 2;\n";
    expect(fingerprintInputs((path) => files[path] ?? null, ["a.ts"])).not.toEqual(once);
  });

  it("covers the catalog entries, the lockfile and both configs", () => {
    expect([...UNDIFFED_INPUTS].sort()).toEqual(["lib/providers/entries.ts", "package-lock.json", "stryker.config.mjs", "vitest.mutation.config.ts"]);
  });
});

describe("changedInputs", () => {
  const current = { "a.ts": "1", "b.ts": "2", "c.ts": null };

  it("names the inputs that differ from the stored fingerprints", () => {
    expect(changedInputs({ "a.ts": "1", "b.ts": "9", "c.ts": null }, current)).toEqual(["b.ts"]);
    expect(changedInputs(current, current)).toEqual([]);
  });

  it("counts every input as changed when nothing was stored, and a new or removed file as changed", () => {
    expect(changedInputs(undefined, current)).toEqual(["a.ts", "b.ts", "c.ts"]);
    expect(changedInputs({ "a.ts": "1", "b.ts": "2" }, current)).toEqual(["c.ts"]);
  });
});
