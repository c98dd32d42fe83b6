/**
 * The Convex CLI's own code generation and bundling, run offline.
 *
 * `convex dev` writes `convex/_generated` in two passes around a push: before bundling
 * it writes `api.js` and stubs for any file that is missing; after the deployment has
 * analyzed the pushed bundle (`POST /api/deploy2/start_push`) it writes `api.d.ts`,
 * `server.js`, `server.d.ts` and `dataModel.d.ts` from that analysis. Neither offline
 * shortcut matches it:
 *
 * - `convex codegen --system-udfs` uses an older set of templates: no `components`
 *   export, different comments, an untyped `env`.
 * - `convex deploy --debug-bundle-path` bundles like a deployment and stops before the
 *   push, so it runs the first pass only: an existing `api.d.ts` is kept, and a new
 *   module never reaches it.
 *
 * So `regenerateConvexCode` runs the real `convex codegen` (the same push-and-codegen
 * code `convex dev` runs) against a stand-in on 127.0.0.1 that answers the two
 * requests the CLI makes after bundling with what a deployment answers for an app
 * without components: no modules pushed yet, and an analysis with no child components
 * and no declared environment variables. For such an app that is all the second pass
 * reads; apps it does not describe are refused rather than given wrong types.
 *
 * `checkConvexBundle` runs `convex deploy --codegen disable --debug-bundle-path <tmp>`:
 * the bundling a deployment requires (Node built-ins only in "use node" files, imports
 * that resolve), writing nothing into the project.
 *
 * Neither ever reaches a deployment: the CLI gets `--url` and `--admin-key` for the
 * stand-in, which makes it skip every deployment-selecting variable and .env file, and
 * those variables are blanked as well (see `offlineCliEnv`).
 */
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { runConvexCaptured, type CliOutput } from "./convex-cli";

/**
 * Variables the CLI picks a deployment or an account from. Each is set to "" for the
 * CLI: it treats an empty value as unset, and the dotenv loader it runs on .env.local
 * and .env never overwrites a variable that exists, so a developer's
 * `CONVEX_DEPLOYMENT=dev:…` in .env.local cannot make it reach for the network.
 */
export const DEPLOYMENT_VARIABLES = [
  "CONVEX_DEPLOYMENT",
  "CONVEX_DEPLOY_KEY",
  "CONVEX_DEPLOYMENT_TOKEN",
  "CONVEX_SELF_HOSTED_URL",
  "CONVEX_SELF_HOSTED_ADMIN_KEY",
  "CONVEX_OVERRIDE_ACCESS_TOKEN",
  "CONVEX_URL",
] as const;

/** A loopback port nothing listens on (discard), for the CLI's account API host. */
const UNREACHABLE_HOST = "http://127.0.0.1:9";

/** The admin key handed to the stand-in; nothing checks it. */
const STAND_IN_ADMIN_KEY = "offline-codegen";

/** The environment for an offline CLI run: `env` with every way to a deployment closed. */
export function offlineCliEnv(env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const result = { ...env } as NodeJS.ProcessEnv;
  for (const name of DEPLOYMENT_VARIABLES) result[name] = "";
  // The account API (used for logins, deploy keys and projects, none of which these
  // commands need) then resolves to a closed local port, and the CLI's crash reporter,
  // which it enables only for the production host, stays off.
  result.CONVEX_PROVISION_HOST = UNREACHABLE_HOST;
  // With HTTP(S)_PROXY set the CLI sends every request through the proxy; the stand-in
  // is on loopback.
  const noProxy = [env.no_proxy ?? env.NO_PROXY, "127.0.0.1"].filter(Boolean).join(",");
  result.NO_PROXY = noProxy;
  result.no_proxy = noProxy;
  return result;
}

/** Bundling failed: a deployment would refuse these functions. */
export class ConvexBundleError extends Error {
  override readonly name = "ConvexBundleError";
  constructor(
    readonly functionsDir: string,
    /** The CLI's own error lines, progress lines left out. */
    readonly cliLines: string,
  ) {
    super(
      `The functions in ${functionsDir} do not bundle the way a Convex deployment requires, so \`convex dev\` and \`convex deploy\` would refuse them; the Convex CLI said:\n\n${cliLines}`,
    );
  }
}

/** The CLI failed for another reason than bundling (the message says which). */
export class ConvexCodegenError extends Error {
  override readonly name = "ConvexCodegenError";
}

/** What `convex.json` says that matters here. */
type ProjectConfig = { functionsDir: string; staticCodegen: boolean };

function readProjectConfig(projectDir: string): ProjectConfig {
  const path = join(projectDir, "convex.json");
  const config = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : {};
  const functions = typeof config.functions === "string" ? config.functions : "convex/";
  const codegen = (config.codegen ?? {}) as { staticApi?: unknown; staticDataModel?: unknown };
  return {
    functionsDir: functions.replace(/\/+$/, ""),
    staticCodegen: codegen.staticApi === true || codegen.staticDataModel === true,
  };
}

/**
 * Progress lines the CLI prints while it works: spinner texts ("Bundling component
 * definitions...", "- Deploying to <url>..."), the deploy target banner ("▌ …") and
 * success ticks.
 */
const PROGRESS_LINE = /^(?:- )?[A-Z][A-Za-z ]*(?:\.\.\.|…)$|^- Deploying to \S+\.\.\.$|^▌|^✔ /;

/** The CLI's output without colours, progress lines and surrounding blank lines. */
export function cliErrorLines(output: CliOutput): string {
  return stripVTControlCharacters(`${output.stderr}\n${output.stdout}`)
    .split("\n")
    .filter((line) => !PROGRESS_LINE.test(line.trim()))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The requests the stand-in received, by path. */
type StandIn = { url: string; requests: string[]; close(): Promise<void> };

/**
 * A local stand-in for the two deployment endpoints `convex codegen` calls after it
 * has bundled: `get_config_hashes` (nothing pushed yet, so every module counts as
 * changed) and `deploy2/start_push` (the analysis of an app without components).
 * Anything else is answered 400, which the CLI reports and does not retry. With
 * `answer: false` every request is refused: the bundling check never needs one.
 */
async function startStandIn(options: { answer: boolean; serverVersion: string; functions: string }): Promise<StandIn> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    // The push body is a large compressed bundle; nothing in it changes the answer.
    req.resume();
    req.on("end", () => {
      const path = req.url ?? "";
      requests.push(path);
      const reply = (status: number, body: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (options.answer && req.method === "POST" && path === "/api/get_config_hashes") {
        reply(200, {
          config: { functions: options.functions, authInfo: [] },
          moduleHashes: [],
          nodeDependencies: [],
          udfServerVersion: options.serverVersion,
        });
      } else if (options.answer && req.method === "POST" && path === "/api/deploy2/start_push") {
        reply(200, {
          environmentVariables: {},
          externalDepsId: null,
          componentDefinitionPackages: {},
          appAuth: [],
          analysis: {
            "": {
              definition: {
                path: "",
                definitionType: { type: "app" },
                childComponents: [],
                httpMounts: {},
                exports: { type: "branch", branch: [] },
                envVars: [],
              },
              schema: null,
              functions: {},
              udfConfig: { serverVersion: options.serverVersion, importPhaseRngSeed: null, importPhaseUnixTimestamp: null },
            },
          },
          app: {
            definitionPath: "",
            componentPath: "",
            args: {},
            childComponents: {},
            httpRoutes: { httpModuleRoutes: null, mounts: [] },
            exports: {},
          },
          schemaChange: { allocatedComponentIds: {}, schemaIds: {} },
        });
      } else {
        reply(400, { code: "OfflineCodegen", message: `the offline codegen stand-in does not serve ${req.method} ${path}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The version of the `convex` package the project resolves (its CLI's version). */
function convexVersion(projectDir: string): string {
  const packageJson = createRequire(join(projectDir, "package.json")).resolve("convex/package.json");
  return (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
}

/** Every file under `dir` with its content, keyed by its path relative to `dir`. */
function snapshot(dir: string, prefix = ""): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const [file, text] of snapshot(path, `${prefix}${name}/`)) files.set(file, text);
    else files.set(`${prefix}${name}`, readFileSync(path, "utf8"));
  }
  return files;
}

/** What a codegen run did to `<functions>/_generated`. */
export type CodegenResult = {
  /** The generated directory, relative to the project, e.g. `convex/_generated`. */
  generatedDir: string;
  /** Files written with new content, or created. */
  changed: string[];
  /** Files the CLI removed (no longer generated). */
  removed: string[];
};

export type OfflineCliOptions = {
  /** The project root: package.json (with `convex`), node_modules, convex.json. */
  projectDir: string;
  /** The environment to start from (default `process.env`); deployment variables are blanked. */
  env?: NodeJS.ProcessEnv;
};

/**
 * Regenerates `<functions>/_generated` exactly as `convex dev` would, offline. Throws
 * `ConvexBundleError` when the functions do not bundle, `ConvexCodegenError` otherwise.
 */
export async function regenerateConvexCode({ projectDir, env = process.env }: OfflineCliOptions): Promise<CodegenResult> {
  const config = readProjectConfig(projectDir);
  const functionsDir = join(projectDir, config.functionsDir);
  for (const definition of ["convex.config.ts", "convex.config.js"]) {
    if (existsSync(join(functionsDir, definition))) {
      throw new ConvexCodegenError(
        `${config.functionsDir}/${definition} defines Convex components, whose types only a deployment's analysis provides; run \`npx convex dev\` instead.`,
      );
    }
  }
  if (config.staticCodegen) {
    throw new ConvexCodegenError(
      "convex.json turns on codegen.staticApi or codegen.staticDataModel, whose types only a deployment's analysis provides; run `npx convex dev` instead.",
    );
  }

  const generatedDir = join(functionsDir, "_generated");
  const before = snapshot(generatedDir);
  const standIn = await startStandIn({ answer: true, serverVersion: convexVersion(projectDir), functions: `${config.functionsDir}/` });
  let output: CliOutput;
  try {
    output = await runConvexCaptured(
      ["codegen", "--typecheck", "disable", "--url", standIn.url, "--admin-key", STAND_IN_ADMIN_KEY],
      { cwd: projectDir, env: offlineCliEnv(env) },
    );
  } finally {
    await standIn.close();
  }
  if (output.exitCode !== 0) {
    // The CLI contacts the deployment only once everything is bundled.
    if (standIn.requests.length === 0) throw new ConvexBundleError(`${config.functionsDir}/`, cliErrorLines(output));
    throw new ConvexCodegenError(
      `\`convex codegen\` bundled the functions but failed against the offline stand-in (after a Convex upgrade, compare its answers in scripts/convex-codegen.ts with what the CLI now expects); the Convex CLI said:\n\n${cliErrorLines(output)}`,
    );
  }

  const after = snapshot(generatedDir);
  return {
    generatedDir: `${config.functionsDir}/_generated`,
    changed: [...after].filter(([file, text]) => before.get(file) !== text).map(([file]) => file),
    removed: [...before.keys()].filter((file) => !after.has(file)),
  };
}

/**
 * Bundles the functions as a deployment would, into a temporary directory that is
 * removed afterwards; writes nothing into the project. Throws `ConvexBundleError`
 * when a deployment would refuse them.
 */
export async function checkConvexBundle({ projectDir, env = process.env }: OfflineCliOptions): Promise<void> {
  const config = readProjectConfig(projectDir);
  const bundleDir = mkdtempSync(join(tmpdir(), "convex-bundle-"));
  const standIn = await startStandIn({ answer: false, serverVersion: convexVersion(projectDir), functions: `${config.functionsDir}/` });
  let output: CliOutput;
  try {
    output = await runConvexCaptured(
      [
        "deploy",
        "--codegen",
        "disable",
        "--typecheck",
        "disable",
        "--debug-bundle-path",
        join(bundleDir, "bundle"),
        "--url",
        standIn.url,
        "--admin-key",
        STAND_IN_ADMIN_KEY,
        "--yes",
      ],
      { cwd: projectDir, env: offlineCliEnv(env) },
    );
  } finally {
    await standIn.close();
    rmSync(bundleDir, { recursive: true, force: true });
  }
  if (standIn.requests.length > 0) {
    // `--debug-bundle-path` stops before the push; a request means the CLI changed.
    throw new ConvexCodegenError(
      `\`convex deploy --debug-bundle-path\` contacted the deployment (${standIn.requests.join(", ")}) instead of stopping after bundling.`,
    );
  }
  if (output.exitCode !== 0) throw new ConvexBundleError(`${config.functionsDir}/`, cliErrorLines(output));
}
