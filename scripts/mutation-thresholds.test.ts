import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkThresholds, FLOORS, scoreOf, SECURITY_MODULES, type MutationReport } from "./mutation-thresholds";

// Two modules: lib/guard.ts has 3 of 4 mutants detected (75%), lib/format.ts 3 of 4
// (75%, plus a compile error and an ignored mutant that do not count); 6 of 8 overall.
const report = JSON.parse(readFileSync(new URL("./testing/mutation-report.fixture.json", import.meta.url), "utf8")) as MutationReport;

describe("scoreOf", () => {
  it("counts killed and timed-out mutants as detected, and leaves compile errors and ignored ones out", () => {
    expect(scoreOf(report.files["lib/format.ts"].mutants)).toEqual({ detected: 3, survived: 0, noCoverage: 1, valid: 4, percent: 75 });
    expect(scoreOf(report.files["lib/guard.ts"].mutants)).toEqual({ detected: 3, survived: 1, noCoverage: 0, valid: 4, percent: 75 });
  });

  it("gives a module with nothing to mutate full marks", () => {
    expect(scoreOf([{ status: "Ignored" }]).percent).toBe(100);
  });
});

describe("checkThresholds", () => {
  it("passes when every module and the whole run reach their floors", () => {
    const result = checkThresholds(report, { overall: 75, modules: { "lib/guard.ts": 75 } });
    expect(result.failures).toEqual([]);
    expect(result.lines).toEqual([
      "ok   lib/guard.ts: 75.00% of 4 mutants detected, 1 survived (floor 75%)",
      "ok   all mutated modules: 75.00% of 8 mutants detected, 1 survived, 1 not covered (floor 75%)",
    ]);
  });

  it("names each module under its floor with its score, and the run when it is under the overall floor", () => {
    const result = checkThresholds(report, { overall: 80, modules: { "lib/guard.ts": 90, "lib/format.ts": 75 } });
    expect(result.failures).toEqual([
      "FAIL lib/guard.ts: 75.00% of 4 mutants detected, 1 survived (floor 90%)",
      "FAIL all mutated modules: 75.00% of 8 mutants detected, 1 survived, 1 not covered (floor 80%)",
    ]);
    expect(result.lines).toContain("ok   lib/format.ts: 75.00% of 4 mutants detected, 1 not covered (floor 75%)");
  });

  it("fails a module with a floor that is not in the report, so a rename cannot drop its check", () => {
    const result = checkThresholds(report, { overall: 0, modules: { "lib/renamed.ts": 90 } });
    expect(result.failures).toEqual(["FAIL lib/renamed.ts: not in the report (renamed or no longer mutated?), floor 90%"]);
  });

  it("does not round a score up to its floor", () => {
    const mutants = [...Array(9999).fill({ status: "Killed" }), { status: "Survived" }, ...Array(9999).fill({ status: "Killed" })];
    mutants.push({ status: "Survived" }, { status: "Survived" });
    // 19998 of 20001: 99.985%, shown as 99.98%, under a floor of 99.99%.
    const result = checkThresholds({ files: { "lib/a.ts": { mutants } } }, { overall: 99.99, modules: {} });
    expect(result.failures).toEqual([
      "FAIL all mutated modules: 99.98% of 20001 mutants detected, 3 survived (floor 99.99%)",
    ]);
  });

  it("holds the security modules to 90% and the whole run to 85%", () => {
    expect(FLOORS.overall).toBe(85);
    expect(Object.keys(FLOORS.modules).sort()).toEqual([...SECURITY_MODULES].sort());
    expect(new Set(Object.values(FLOORS.modules))).toEqual(new Set([90]));
  });
});
