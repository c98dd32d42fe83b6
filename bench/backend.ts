/**
 * convex-test outside vitest: the app's Convex modules found by scanning `convex/`
 * (what `import.meta.glob` does under vitest), and the environment the functions read.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { convexTest } from "convex-test";
import { generateKeyRingEntry } from "../lib/vault";
import schema from "../convex/schema";

const CONVEX_DIR = fileURLToPath(new URL("../convex", import.meta.url));

function walk(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

type ModuleLoader = () => Promise<Record<string, unknown>>;

// convex-test calls a module's loader on every function call. `import()` of a loaded
// module still goes through the module loader (resolution, a promise), which is not
// work a deployment does per call, so each module's promise is kept.
const loaded = new Map<string, Promise<Record<string, unknown>>>();

function cachedImport(url: string): ModuleLoader {
  return () => {
    let module = loaded.get(url);
    if (!module) loaded.set(url, (module = import(url) as Promise<Record<string, unknown>>));
    return module;
  };
}

/** Function modules as a deployment sees them: one dot in the name (no tests, no helpers), plus `_generated`. */
function modules(): Record<string, ModuleLoader> {
  const found: Record<string, ModuleLoader> = {};
  for (const file of walk(CONVEX_DIR)) {
    const path = relative(CONVEX_DIR, file).split(sep).join("/");
    const name = path.split("/").pop()!;
    if (name.endsWith(".d.ts") || !/\.(ts|js)$/.test(name)) continue;
    if (!path.startsWith("_generated/") && name.split(".").length !== 2) continue;
    found[`${CONVEX_DIR}/${path}`] = cachedImport(pathToFileURL(file).href);
  }
  return found;
}

/** Sets what the functions read from the environment; a fresh key ring per run. */
export function configureEnvironment(simulatorUrl: string | undefined) {
  process.env.SWITCHBOARD_ENCRYPTION_KEYS ??= generateKeyRingEntry("bench1");
  process.env.SITE_URL = "http://localhost:3000";
  process.env.CONVEX_SITE_URL = "http://127.0.0.1:3211";
  if (simulatorUrl) process.env.SWITCHBOARD_PROVIDER_SIMULATOR_URL = simulatorUrl;
}

/** A fresh in-memory backend; `transactionLimits` turns on per-transaction read/write metrics. */
export function backend(options: { transactionLimits?: boolean } = {}) {
  return convexTest({ schema, modules: modules(), transactionLimits: options.transactionLimits ?? false });
}

export type Backend = ReturnType<typeof backend>;
