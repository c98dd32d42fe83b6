/**
 * The committed incremental file (stryker-incremental.json): what goes into it besides
 * Stryker's results, and the stable form it is written in.
 *
 * Stryker's incremental mode reuses a mutant's old result when the mutant's own file and
 * the tests that covered it are unchanged, but the lib/ tests also depend on files that
 * are neither mutated nor tests: the catalog's entries, the installed packages and the
 * two configs. Their fingerprints are stored with the results; when one of them changed,
 * every result may be stale, so the run starts over.
 *
 * Stryker numbers mutants and tests afresh on every run and writes them in the order they
 * finished, so the same results would rewrite the whole file each time. The file is
 * written sorted instead, with ids derived from what they name (a test's file and name, a
 * mutant's file and place in it; Stryker matches old results by file, location, mutator
 * and test name, never by these ids), without the checkout's absolute path: unchanged
 * results give the same bytes, and a changed test or module changes only its own lines.
 */
import { createHash } from "node:crypto";

/** Inputs of the lib/ tests that Stryker does not diff, relative to the repository root. */
export const UNDIFFED_INPUTS = [
  "lib/providers/entries.ts",
  "package-lock.json",
  "stryker.config.mjs",
  "vitest.mutation.config.ts",
] as const;

/** SHA-256 of each input's text; null for a file that does not exist. */
export function fingerprintInputs(read: (path: string) => string | null, paths: readonly string[] = UNDIFFED_INPUTS): Record<string, string | null> {
  return Object.fromEntries(
    paths.map((path) => {
      const text = read(path);
      return [path, text === null ? null : createHash("sha256").update(text).digest("hex")];
    }),
  );
}

/**
 * The inputs whose fingerprint differs from the one stored with the incremental file.
 * With nothing stored (an incremental file written without fingerprints), every input counts as changed.
 */
export function changedInputs(stored: Record<string, string | null> | undefined, current: Record<string, string | null>): string[] {
  return Object.keys(current).filter((path) => stored?.[path] !== current[path]);
}

type Position = { line: number; column: number };
type Location = { start: Position; end?: Position };
type Mutant = { id: string; mutatorName: string; replacement?: string; location: Location; killedBy?: string[]; coveredBy?: string[] } & Record<string, unknown>;
type Test = { id: string; name: string; location?: Location } & Record<string, unknown>;
/** The parts of a mutation-testing-report-schema report this rewrites; the rest is kept as it is. */
export type IncrementalReport = {
  files: Record<string, { mutants: Mutant[] } & Record<string, unknown>>;
  testFiles?: Record<string, { tests: Test[] } & Record<string, unknown>>;
} & Record<string, unknown>;

const byPosition = (a: Position | undefined, b: Position | undefined) => (a?.line ?? 0) - (b?.line ?? 0) || (a?.column ?? 0) - (b?.column ?? 0);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `report` as the committed file holds it: with `inputs`, without `projectRoot` and the
 * resolved `config`, files, tests and mutants sorted, tests named `<hash of file and name>`
 * and mutants `<file>#<n>`, every object's keys sorted, and `root` (the checkout's absolute
 * path) written as ".".
 */
export function portableIncrementalFile(report: IncrementalReport, inputs: Record<string, string | null>, root: string): string {
  const { projectRoot: _root, config: _config, inputs: _old, files, testFiles, ...rest } = report;
  const testIds = new Map<string, string>();
  const taken = new Set<string>();
  const sortedTestFiles = Object.entries(testFiles ?? {})
    .sort(([a], [b]) => byText(a, b))
    .map(([path, file]): [string, unknown] => {
      const tests = [...file.tests].sort((a, b) => byPosition(a.location?.start, b.location?.start) || byText(a.name, b.name));
      return [path, { ...file, tests: tests.map((test) => ({ ...test, id: testId(testIds, taken, test.id, `${path}\n${test.name}`) })) }];
    });
  // Ids of tests the report no longer lists would be read as no test at all: drop them.
  const remap = (ids: string[] | undefined) =>
    ids === undefined ? undefined : ids.flatMap((id) => (testIds.has(id) ? [testIds.get(id)!] : [])).sort(byText);
  const sortedFiles = Object.entries(files)
    .sort(([a], [b]) => byText(a, b))
    .map(([path, file]): [string, unknown] => {
      const mutants = [...file.mutants].sort(
        (a, b) =>
          byPosition(a.location.start, b.location.start) ||
          byPosition(a.location.end, b.location.end) ||
          byText(a.mutatorName, b.mutatorName) ||
          byText(a.replacement ?? "", b.replacement ?? ""),
      );
      const renamed = mutants.map((mutant, n) => ({ ...mutant, id: `${path}#${n}`, killedBy: remap(mutant.killedBy), coveredBy: remap(mutant.coveredBy) }));
      return [path, { ...file, mutants: renamed }];
    });
  const portable = { ...rest, inputs, files: Object.fromEntries(sortedFiles), ...(testFiles ? { testFiles: Object.fromEntries(sortedTestFiles) } : {}) };
  const text = JSON.stringify(portable, sortedKeys, 2);
  const base = root.replace(/\/+$/, "");
  return `${base ? text.split(base).join(".") : text}\n`;
}

/** A short id from a test's file and name (with a suffix in the rare case two agree), remembered for its old id. */
function testId(ids: Map<string, string>, taken: Set<string>, oldId: string, identity: string): string {
  const base = createHash("sha256").update(identity).digest("hex").slice(0, 10);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}~${n}`;
  taken.add(id);
  ids.set(oldId, id);
  return id;
}

/** A JSON.stringify replacer that writes every plain object's keys in sorted order. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => byText(a, b)));
}
