/**
 * Process-wide hooks around convex-test's runtime, installed once:
 *
 * - Syscalls: every database write tells its sandbox to re-run subscriptions
 *   (this is how writes of scheduled functions and crons are noticed), and
 *   `.paginate()` honours a query journal's pinned end cursor, as a deployment does.
 * - Console: lines logged inside a function are collected for the response's
 *   `logLines` and printed with the function's name.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { inspect } from "node:util";

/** The per-sandbox side of the hooks. */
export type HookListener = {
  /** A function wrote to the database (the transaction may still be open). */
  noteWrite(): void;
  /** A line a function logged, for the sandbox's output. */
  printLog(functionName: string, line: string): void;
};

/** What one function execution started by the sandbox collects. */
export type Invocation = {
  listener: HookListener;
  functionName: string;
  logLines: string[];
  /** Set once the call returned: later lines come from functions it scheduled. */
  finished: boolean;
  /** Pagination journal: the pinned end cursor in, the page's end cursor out. */
  journal?: { pinnedEndCursor: string | null; endCursor: string | null };
};

export const invocationStorage = new AsyncLocalStorage<Invocation>();

const WRITE_SYSCALLS = new Set([
  "1.0/insert",
  "1.0/shallowMerge",
  "1.0/replace",
  "1.0/remove",
  "1.0/schedule",
  "1.0/cancel_job",
  "1.0/storageDelete",
]);
const END_CURSOR = "_end_cursor";

type AsyncSyscall = (op: string, jsonArgs: string) => Promise<string>;
type ConvexGlobal = { syscall: unknown; asyncSyscall: AsyncSyscall; jsSyscall: unknown };

const listeners = new Set<HookListener>();
let installed = false;

/** Registers a sandbox; installs the hooks the first time (after `convexTest()` set up `Convex`). */
export function addHookListener(listener: HookListener): () => void {
  listeners.add(listener);
  if (!installed) {
    installSyscallHook();
    installConsoleHook();
    installed = true;
  }
  return () => listeners.delete(listener);
}

function noteWrite(): void {
  const current = invocationStorage.getStore();
  // Work started outside the sandbox (none today) would not know its sandbox: tell them all.
  for (const listener of current ? [current.listener] : listeners) listener.noteWrite();
}

function installSyscallHook(): void {
  const g = globalThis as unknown as { Convex?: ConvexGlobal };
  const original = g.Convex;
  if (!original) throw new Error("convexTest() must run before the sandbox hooks are installed");
  g.Convex = {
    get syscall() {
      return original.syscall;
    },
    get jsSyscall() {
      return original.jsSyscall;
    },
    get asyncSyscall(): AsyncSyscall {
      const inner = original.asyncSyscall;
      return async (op, jsonArgs) => {
        if (op === "1.0/queryPage") return await paginate(inner, jsonArgs);
        const result = await inner(op, jsonArgs);
        if (WRITE_SYSCALLS.has(op)) noteWrite();
        return result;
      };
    },
  };
}

/**
 * A page ends where the journal pinned it when the query first ran, so inserts
 * grow the page instead of pushing rows into the next one (no gaps, no repeats).
 */
async function paginate(inner: AsyncSyscall, jsonArgs: string): Promise<string> {
  const journal = invocationStorage.getStore()?.journal;
  const args = JSON.parse(jsonArgs) as { endCursor?: string | null };
  const endCursor = args.endCursor ?? journal?.pinnedEndCursor ?? null;
  if (endCursor !== null) args.endCursor = endCursor;
  const result = JSON.parse(await inner("1.0/queryPage", JSON.stringify(args))) as {
    continueCursor: string;
    isDone: boolean;
  };
  if (endCursor !== null && endCursor !== END_CURSOR) {
    // convex-test ends such a page early and calls it done when the row at the
    // end cursor is gone; the backend always continues from the end cursor.
    result.continueCursor = endCursor;
    result.isDone = false;
  }
  if (journal) journal.endCursor = result.continueCursor;
  return JSON.stringify(result);
}

const LEVELS = { log: "LOG", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG" } as const;

/** One argument as a deployment prints it in a log line: strings quoted, values inspected. */
function formatLogArg(arg: unknown): string {
  return typeof arg === "string" ? `'${arg}'` : inspect(arg, { depth: 4, breakLength: Infinity });
}

function installConsoleHook(): void {
  const target = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const [method, level] of Object.entries(LEVELS)) {
    const original = target[method]!.bind(console);
    target[method] = (...args: unknown[]) => {
      const invocation = invocationStorage.getStore();
      if (!invocation) return original(...args);
      const line = `[${level}] ${args.map(formatLogArg).join(" ")}`;
      if (!invocation.finished) {
        invocation.logLines.push(line);
        invocation.listener.printLog(invocation.functionName, line);
      } else {
        void currentFunctionName().then((name) => invocation.listener.printLog(name ?? "scheduled", line));
      }
    };
  }
}

/** The running function's path, asked of convex-test (used for scheduled functions). */
async function currentFunctionName(): Promise<string | null> {
  try {
    const convex = (globalThis as unknown as { Convex: ConvexGlobal }).Convex;
    const metadata = JSON.parse(await convex.asyncSyscall("1.0/getFunctionMetadata", "{}")) as { name?: string };
    return metadata.name ?? null;
  } catch {
    return null;
  }
}
