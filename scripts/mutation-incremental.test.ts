import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { changedInputs, fingerprintInputs, portableIncrementalFile, UNDIFFED_INPUTS } from "./mutation-incremental";

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

describe("portableIncrementalFile", () => {
  const mutant = (id: string, line: number, extra: Record<string, unknown> = {}) => ({
    id,
    mutatorName: "EqualityOperator",
    replacement: "a >= b",
    status: "Killed",
    location: { start: { line, column: 3 }, end: { line, column: 9 } },
    ...extra,
  });
  const report = () => ({
    schemaVersion: "2",
    projectRoot: "/checkout/switchboard",
    config: { concurrency: 2 },
    files: {
      "lib/b.ts": { language: "typescript", source: "b", mutants: [mutant("12", 9, { killedBy: ["7"], coveredBy: ["7", "3", "99"] }), mutant("4", 2)] },
      "lib/a.ts": { language: "typescript", source: "a", mutants: [mutant("1", 1, { statusReason: "at /checkout/switchboard/lib/a.ts:1" })] },
    },
    testFiles: {
      "lib/b.test.ts": { source: "t", tests: [{ id: "7", name: "second", location: { start: { line: 9, column: 1 } } }, { id: "3", name: "first", location: { start: { line: 2, column: 1 } } }] },
    },
  });

  it("sorts, names tests by file and name and mutants by file and place, drops the checkout's path, the resolved config and tests that no longer exist", () => {
    const written = JSON.parse(portableIncrementalFile(report(), { "a.ts": "1" }, "/checkout/switchboard/"));
    expect(Object.keys(written)).toEqual(["files", "inputs", "schemaVersion", "testFiles"]);
    expect(written.inputs).toEqual({ "a.ts": "1" });
    expect(Object.keys(written.files)).toEqual(["lib/a.ts", "lib/b.ts"]);
    expect(written.files["lib/a.ts"].mutants[0]).toMatchObject({ id: "lib/a.ts#0", statusReason: "at ./lib/a.ts:1" });
    expect(written.files["lib/b.ts"].mutants.map((m: { id: string; location: { start: { line: number } } }) => [m.id, m.location.start.line])).toEqual([
      ["lib/b.ts#0", 2],
      ["lib/b.ts#1", 9],
    ]);
    const id = (name: string) => createHash("sha256").update(`lib/b.test.ts\n${name}`).digest("hex").slice(0, 10);
    expect(written.testFiles["lib/b.test.ts"].tests.map((t: { id: string; name: string }) => [t.id, t.name])).toEqual([
      [id("first"), "first"],
      [id("second"), "second"],
    ]);
    expect(written.files["lib/b.ts"].mutants[1]).toMatchObject({ killedBy: [id("second")], coveredBy: [id("first"), id("second")].sort() });
    expect(written.files["lib/b.ts"].mutants[0]).not.toHaveProperty("killedBy");
  });

  it("keeps the ids of one file's tests when another file's tests change", () => {
    const before = JSON.parse(portableIncrementalFile(report(), {}, "/checkout/switchboard"));
    const more = report();
    (more.testFiles as Record<string, unknown>)["lib/a.test.ts"] = { source: "u", tests: [{ id: "1", name: "new", location: { start: { line: 1, column: 1 } } }] };
    const after = JSON.parse(portableIncrementalFile(more, {}, "/checkout/switchboard"));
    expect(after.testFiles["lib/b.test.ts"]).toEqual(before.testFiles["lib/b.test.ts"]);
    expect(after.files["lib/b.ts"]).toEqual(before.files["lib/b.ts"]);
  });

  it("tells apart two tests of one file with the same name", () => {
    const twins = report();
    twins.testFiles["lib/b.test.ts"].tests[1].name = "second";
    const ids = JSON.parse(portableIncrementalFile(twins, {}, "/checkout/switchboard")).testFiles["lib/b.test.ts"].tests.map((t: { id: string }) => t.id);
    expect(new Set(ids).size).toBe(2);
  });

  it("writes the same bytes for the same results, whatever order and numbers Stryker gave them", () => {
    const once = portableIncrementalFile(report(), {}, "/checkout/switchboard");
    const shuffled = report();
    shuffled.files["lib/b.ts"].mutants.reverse();
    shuffled.testFiles["lib/b.test.ts"].tests.reverse();
    expect(portableIncrementalFile(shuffled, {}, "/checkout/switchboard")).toBe(once);
    expect(portableIncrementalFile(JSON.parse(once), {}, "/checkout/switchboard")).toBe(once);
  });
});
