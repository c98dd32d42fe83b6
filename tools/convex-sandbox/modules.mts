/**
 * The app's Convex modules, found by scanning its `convex/` directory the way a
 * deployment bundles it, and the registered functions they export.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";

export type ModuleLoader = () => Promise<Record<string, unknown>>;
export type FunctionKind = "query" | "mutation" | "action";

/** A registered Convex function as `queryGeneric`/`mutationGeneric`/… leave it. */
export type RegisteredFunction = {
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isPublic?: boolean;
  isInternal?: boolean;
  exportArgs(): string;
};

export type ResolvedFunction = {
  udfPath: string;
  kind: FunctionKind;
  visibility: "public" | "internal";
  fn: RegisteredFunction;
};

const SOURCE_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mts", ".mjs", ".cts", ".cjs"];

/**
 * Whether a file is one the deployment would push as a function module: a source
 * file with a single dot (so `*.test.ts` and `test.helpers.ts` are left out), or
 * anything under `_generated`.
 */
function isFunctionModule(relativePath: string): boolean {
  const name = relativePath.split("/").pop()!;
  if (name.endsWith(".d.ts")) return false;
  if (!SOURCE_EXTENSIONS.some((extension) => name.endsWith(extension))) return false;
  if (relativePath.startsWith("_generated/")) return true;
  return name.split(".").length === 2;
}

function walk(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...walk(path));
    else files.push(path);
  }
  return files;
}

/**
 * The modules map `convexTest(schema, modules)` takes: absolute path → loader.
 * Keys keep the `_generated` segment convex-test uses to find the root.
 */
export function scanModules(convexDir: string): Record<string, ModuleLoader> {
  const modules: Record<string, ModuleLoader> = {};
  for (const file of walk(convexDir)) {
    const relativePath = relative(convexDir, file).split(sep).join("/");
    if (!isFunctionModule(relativePath)) continue;
    const url = pathToFileURL(file).href;
    modules[`${convexDir}/${relativePath}`] = () => import(url) as Promise<Record<string, unknown>>;
  }
  if (!Object.keys(modules).some((key) => key.includes("/_generated/"))) {
    throw new Error(`No ${convexDir}/_generated directory: run \`npm run codegen\` first.`);
  }
  return modules;
}

let configImports = 0;

/**
 * Imports `<convexDir>/<name>.{ts,js,…}` outside the modules map (e.g. `auth.config`),
 * or null. Each call evaluates the file anew, so a config that reads `process.env`
 * at import sees this sandbox's values even when an earlier one ran in the process.
 */
export async function importConfigFile(convexDir: string, name: string): Promise<Record<string, unknown> | null> {
  for (const extension of SOURCE_EXTENSIONS) {
    const file = join(convexDir, `${name}${extension}`);
    if (!existsSync(file)) continue;
    return (await import(`${pathToFileURL(file).href}?sandbox=${++configImports}`)) as Record<string, unknown>;
  }
  return null;
}

/** `messages` → `messages:default`; `messages.js:list` → `messages:list`, as the client does. */
export function canonicalizeUdfPath(udfPath: string): string {
  const colon = udfPath.lastIndexOf(":");
  let modulePath = colon === -1 ? udfPath : udfPath.slice(0, colon);
  const functionName = colon === -1 ? "default" : udfPath.slice(colon + 1);
  if (modulePath.endsWith(".js")) modulePath = modulePath.slice(0, -3);
  return `${modulePath}:${functionName}`;
}

/** Looks registered functions up by path, as the deployment's module table would. */
export class FunctionRegistry {
  private readonly byModule = new Map<string, ModuleLoader>();

  constructor(
    convexDir: string,
    modules: Record<string, ModuleLoader>,
  ) {
    for (const [key, loader] of Object.entries(modules)) {
      const modulePath = key.slice(convexDir.length + 1).replace(/\.[^./]+$/, "");
      this.byModule.set(modulePath, loader);
    }
  }

  /** The module's exports, or null when there is no such module. */
  async module(modulePath: string): Promise<Record<string, unknown> | null> {
    const loader = this.byModule.get(modulePath);
    return loader ? await loader() : null;
  }

  /** The registered function at `udfPath`, or null when none is exported there. */
  async resolve(udfPath: string): Promise<ResolvedFunction | null> {
    const canonical = canonicalizeUdfPath(udfPath);
    const [modulePath, exportName] = canonical.split(":") as [string, string];
    if (modulePath.startsWith("_") || modulePath.split("/").includes("_generated")) return null;
    const exports = await this.module(modulePath);
    const fn = exports?.[exportName] as RegisteredFunction | undefined;
    if (!fn || (typeof fn !== "function" && typeof fn !== "object")) return null;
    const kind: FunctionKind | null = fn.isQuery ? "query" : fn.isMutation ? "mutation" : fn.isAction ? "action" : null;
    if (kind === null) return null;
    return { udfPath: canonical, kind, visibility: fn.isPublic ? "public" : "internal", fn };
  }
}
