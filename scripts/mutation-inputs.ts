/**
 * What Stryker's incremental mode cannot see. It reuses a mutant's old result when the
 * mutant's own file and the tests that covered it are unchanged, but the lib/ tests also
 * depend on files that are neither mutated nor tests: the catalog's entries, the
 * installed packages, and the two configs. When one of those changed since the
 * incremental file was written, every result in it may be stale, so the run starts over.
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
  return Object.fromEntries(paths.map((path) => {
    const text = read(path);
    return [path, text === null ? null : createHash("sha256").update(text).digest("hex")];
  }));
}

/**
 * The inputs whose fingerprint differs from the one stored with the incremental file.
 * With nothing stored (an incremental file written without fingerprints), every input counts as changed.
 */
export function changedInputs(stored: Record<string, string | null> | undefined, current: Record<string, string | null>): string[] {
  return Object.keys(current).filter((path) => stored?.[path] !== current[path]);
}
