/**
 * `npm run test:mutation`: Stryker over the pure lib/ modules (stryker.config.mjs),
 * then the floors of scripts/mutation-thresholds.ts. Arguments go to `stryker run`
 * (`-- --force` retests every mutant instead of reusing the incremental file's results).
 * Exits non-zero when Stryker fails or any floor is not met, naming each one.
 *
 * Results are reused from the committed stryker-incremental.json where Stryker can tell
 * they still hold; when an input it cannot diff changed (scripts/mutation-incremental.ts),
 * every mutant is tested again.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { changedInputs, fingerprintInputs, portableIncrementalFile, type IncrementalReport } from "./mutation-incremental";
import { checkThresholds, type MutationReport } from "./mutation-thresholds";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where stryker.config.mjs has Stryker write its JSON report and its incremental file. */
const REPORT = join(ROOT, "reports/mutation/mutation.json");
const INCREMENTAL = join(ROOT, "stryker-incremental.json");

const readInput = (path: string) => (existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), "utf8") : null);
const inputs = fingerprintInputs(readInput);
const args = ["run", ...process.argv.slice(2)];
if (existsSync(INCREMENTAL) && !args.includes("--force")) {
  const stored = (JSON.parse(readFileSync(INCREMENTAL, "utf8")) as { inputs?: Record<string, string | null> }).inputs;
  const changed = changedInputs(stored, inputs);
  if (changed.length > 0) {
    console.log(`» mutation testing: ${changed.join(", ")} changed since stryker-incremental.json was written, so every mutant is tested again`);
    args.push("--force");
  }
}

const stryker = spawnSync(join(ROOT, "node_modules/.bin/stryker"), args, { cwd: ROOT, stdio: "inherit" });
if (stryker.status !== 0) {
  console.error(`» mutation testing: stryker run failed (${stryker.signal ?? `exit code ${stryker.status}`})`);
  process.exit(stryker.status || 1);
}

keepIncrementalFilePortable();

const { lines, failures } = checkThresholds(JSON.parse(readFileSync(REPORT, "utf8")) as MutationReport);
console.log(lines.join("\n"));
if (failures.length > 0) {
  console.error(
    `» mutation testing: ${failures.length} floor${failures.length === 1 ? "" : "s"} not met: write tests that notice the surviving mutants (reports/mutation/index.html lists them)`,
  );
  process.exit(1);
}
console.log("» mutation testing: every floor is met");

/** The incremental file is committed: rewrite it in its stable, portable form (scripts/mutation-incremental.ts). */
function keepIncrementalFilePortable(): void {
  if (!existsSync(INCREMENTAL)) return;
  const report = JSON.parse(readFileSync(INCREMENTAL, "utf8")) as IncrementalReport;
  writeFileSync(INCREMENTAL, portableIncrementalFile(report, inputs, ROOT));
}
