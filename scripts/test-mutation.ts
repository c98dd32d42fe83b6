/**
 * `npm run test:mutation`: Stryker over the pure lib/ modules (stryker.config.mjs),
 * then the floors of scripts/mutation-thresholds.ts. Arguments go to `stryker run`
 * (`-- --force` retests every mutant instead of reusing the incremental file's results).
 * Exits non-zero when Stryker fails or any floor is not met, naming each one.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkThresholds, type MutationReport } from "./mutation-thresholds";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where stryker.config.mjs has Stryker write its JSON report and its incremental file. */
const REPORT = join(ROOT, "reports/mutation/mutation.json");
const INCREMENTAL = join(ROOT, "stryker-incremental.json");

const stryker = spawnSync(join(ROOT, "node_modules/.bin/stryker"), ["run", ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit" });
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

/**
 * The incremental file is committed: leave out the checkout's absolute path and the
 * resolved options Stryker also writes there; the results and sources it diffs against stay.
 */
function keepIncrementalFilePortable(): void {
  if (!existsSync(INCREMENTAL)) return;
  const { projectRoot: _root, config: _config, ...rest } = JSON.parse(readFileSync(INCREMENTAL, "utf8")) as Record<string, unknown>;
  const text = JSON.stringify(rest, null, 2).split(ROOT.replace(/\/$/, "")).join(".");
  writeFileSync(INCREMENTAL, `${text}\n`);
}
