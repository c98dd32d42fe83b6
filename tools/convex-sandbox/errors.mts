/**
 * Function failures in the shape a development deployment reports them:
 * `[Request ID: …] Server Error\nUncaught Error: …\n    at handler (../convex/x.ts:1:2)`,
 * plus `errorData` for a `ConvexError`.
 */
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { convexToJson, type JSONValue, type Value } from "convex/values";

export type FunctionError = { errorMessage: string; errorData?: JSONValue };

const CONVEX_ERROR = Symbol.for("ConvexError");

export function newRequestId(): string {
  return randomBytes(8).toString("hex");
}

/** Wraps a message as the backend does for every function failure. */
export function serverError(message: string): string {
  return `[Request ID: ${newRequestId()}] Server Error\n${message}`;
}

/** `Could not find public function for 'x:y'…`: the answer for a missing or internal function. */
export function missingFunctionMessage(udfPath: string): string {
  return `Could not find public function for '${udfPath.replace(/\.js:/, ":")}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`;
}

/** Stack frames that point into the app's functions, relative as the dashboard shows them. */
function appFrames(stack: string | undefined, convexDir: string): string[] {
  if (!stack) return [];
  const prefixes = [pathToFileURL(convexDir).href, convexDir];
  return stack
    .split("\n")
    .filter((line) => line.startsWith("    at ") && prefixes.some((prefix) => line.includes(prefix)))
    .map((line) => prefixes.reduce((text, prefix) => text.split(prefix).join("../convex"), line));
}

/** The client-facing error for anything a function threw. */
export function describeThrown(thrown: unknown, convexDir: string): FunctionError {
  if (typeof thrown === "object" && thrown !== null && CONVEX_ERROR in thrown) {
    const error = thrown as unknown as Error & { data?: Value };
    const frames = appFrames(error.stack, convexDir);
    return {
      errorMessage: serverError([`Uncaught ConvexError: ${error.message}`, ...frames].join("\n")),
      errorData: convexToJson(error.data ?? null),
    };
  }
  if (thrown instanceof Error) {
    const frames = appFrames(thrown.stack, convexDir);
    return { errorMessage: serverError([`Uncaught ${thrown.name}: ${thrown.message}`, ...frames].join("\n")) };
  }
  return { errorMessage: serverError(`Uncaught ${String(thrown)}`) };
}
