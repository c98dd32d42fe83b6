/**
 * The Convex client's logger, quieter about errors the app expects. The client logs
 * every failed mutation and action with `console.error`, including a `ConvexError`
 * thrown on purpose ("That email is already a member"), which the form that called it
 * already shows; the development overlay then counts each one as an issue. Those are
 * logged as information instead; anything else (a bug, a crash, a lost connection)
 * still goes to `console.error`.
 */
import type { ConvexReactClientOptions } from "convex/react";

/** The client's logger type (not exported by name). */
type Logger = Exclude<NonNullable<ConvexReactClientOptions["logger"]>, boolean>;

/** How the client words a function's typed error (`[CONVEX M(path)] [Request ID: …] Server Error\nUncaught ConvexError: …`). */
const EXPECTED_ERROR = /\bUncaught ConvexError\b/;

export function appLogger(target: Pick<Console, "log" | "info" | "warn" | "error" | "debug"> = console): Logger {
  return {
    logVerbose: (...args: unknown[]) => target.debug(...args),
    log: (...args: unknown[]) => target.log(...args),
    warn: (...args: unknown[]) => target.warn(...args),
    error: (...args: unknown[]) => {
      if (typeof args[0] === "string" && EXPECTED_ERROR.test(args[0])) target.info(...args);
      else target.error(...args);
    },
  };
}
