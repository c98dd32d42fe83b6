/**
 * `npm run codegen`: regenerates convex/_generated exactly as `convex dev` writes it,
 * with the project's own Convex CLI and no deployment (see scripts/convex-codegen.ts).
 * Fails, writing the CLI's own error lines, when the functions do not bundle the way a
 * deployment requires.
 *
 * `npm run check:bundle`: only that bundling check; writes nothing into the project.
 *
 * Either takes another project directory as its argument (default: this repository),
 * e.g. `npm run codegen -- tools/convex-sandbox/fixture`.
 */
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConvexCliError } from "./convex-cli";
import { checkConvexBundle, ConvexBundleError, ConvexCodegenError, regenerateConvexCode } from "./convex-codegen";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function main(argv: readonly string[]): Promise<string> {
  const check = argv.includes("--check");
  const [dir, ...extra] = argv.filter((arg) => arg !== "--check");
  if (extra.length > 0 || dir?.startsWith("-")) throw new ConvexCodegenError(`usage: codegen [--check] [project dir], got ${argv.join(" ")}`);
  const projectDir = dir === undefined ? ROOT : resolve(dir);

  if (check) {
    await checkConvexBundle({ projectDir });
    return "the Convex functions bundle as a deployment requires";
  }
  const result = await regenerateConvexCode({ projectDir });
  const { changed, removed } = result;
  const generatedDir = relative(process.cwd(), join(projectDir, result.generatedDir)) || result.generatedDir;
  if (changed.length === 0 && removed.length === 0) return `${generatedDir} was already up to date`;
  const parts = [changed.length > 0 ? `wrote ${changed.join(", ")}` : "", removed.length > 0 ? `removed ${removed.join(", ")}` : ""];
  return `${generatedDir}: ${parts.filter(Boolean).join("; ")}`;
}

const argv = process.argv.slice(2);
const command = argv.includes("--check") ? "check:bundle" : "codegen";
main(argv).then(
  (summary) => console.log(`» ${summary}`),
  (error: unknown) => {
    // These carry the CLI's own explanation; a stack adds nothing for them.
    const known = error instanceof ConvexBundleError || error instanceof ConvexCodegenError || error instanceof ConvexCliError;
    const detail = known ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`» npm run ${command} failed: ${detail}`);
    process.exitCode = 1;
  },
);
