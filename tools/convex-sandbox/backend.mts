/**
 * The deployment's core: a convex-test instance over the app's modules that runs
 * functions by path as a given identity, with the checks a real backend makes
 * first (visibility, function type, arguments) and its error shapes after.
 */
import { AsyncResource } from "node:async_hooks";
import { convexTest } from "convex-test";
import { makeFunctionReference, type SchemaDefinition, type UserIdentity } from "convex/server";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import { checkArgs } from "./check-args.mjs";
import { describeThrown, missingFunctionMessage, serverError } from "./errors.mjs";
import { addHookListener, invocationStorage, type HookListener, type Invocation } from "./hooks.mjs";
import { canonicalizeUdfPath, type FunctionKind, type FunctionRegistry, type ModuleLoader } from "./modules.mjs";
import { QueryCache } from "./query-cache.mjs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySchema = SchemaDefinition<any, boolean>;
type TestBackend = ReturnType<typeof convexTest>;

export type CallRequest = {
  /** The function type the caller expects; "any" runs whatever is there (`/api/function`, admin). */
  kind: FunctionKind | "any";
  udfPath: string;
  /** Arguments in Convex's JSON encoding: an object, or the wire's one-element array. */
  args: JSONValue;
  identity: UserIdentity | null;
  /** Admin calls may run internal functions. */
  allowInternal?: boolean;
  /** A subscription's journal (queries only). */
  journal?: string | null;
};

export type CallOutcome = (
  | { success: true; value: JSONValue; ts?: bigint }
  | { success: false; errorMessage: string; errorData?: JSONValue }
) & { logLines: string[]; journal: string | null };

export type BackendOptions = {
  convexDir: string;
  schema: AnySchema | undefined;
  modules: Record<string, ModuleLoader>;
  registry: FunctionRegistry;
  /** Prints one line of the sandbox's output. */
  print: (line: string) => void;
};

/** Journals are opaque to clients; ours hold the page's pinned end cursor. */
const encodeJournal = (endCursor: string | null) => (endCursor === null ? null : JSON.stringify({ endCursor }));
function decodeJournal(journal: string | null | undefined): string | null {
  if (!journal) return null;
  try {
    return (JSON.parse(journal) as { endCursor?: string }).endCursor ?? null;
  } catch {
    return null;
  }
}

/** Commit timestamps in nanoseconds, strictly increasing. */
class Clock {
  private last = 0n;
  now(): bigint {
    return this.last;
  }
  tick(): bigint {
    const wall = BigInt(Date.now()) * 1_000_000n;
    this.last = wall > this.last ? wall : this.last + 1n;
    return this.last;
  }
}

export class Backend {
  readonly clock = new Clock();
  /** Subscription results, shared until the next write. */
  readonly queries: QueryCache = new QueryCache(this);
  private t: TestBackend;
  private readonly listener: HookListener;
  private readonly writeListeners = new Set<() => void>();
  private readonly removeHooks: () => void;
  private flushScheduled = false;
  // Runs the flush in the context the backend was created in, outside the
  // writing function's async context (convex-test keeps transaction state there).
  private readonly flushInCleanContext: () => void;

  constructor(private readonly options: BackendOptions) {
    this.t = this.freshInstance();
    this.flushInCleanContext = AsyncResource.bind(() => this.flush());
    this.listener = {
      noteWrite: () => this.noteWrite(),
      printLog: (name, line) => options.print(`${name} ${line}`),
    };
    this.removeHooks = addHookListener(this.listener);
  }

  private freshInstance(): TestBackend {
    return convexTest(this.options.schema, this.options.modules);
  }

  /** Called after every write (once per burst): subscriptions should re-run. */
  onWrite(listener: () => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  private noteWrite(): void {
    // Synchronously, while the writer still holds the transaction lock: any query
    // started from now on waits for the commit, so cached results stay truthful.
    this.queries.invalidate();
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flushInCleanContext);
  }

  private flush(): void {
    this.flushScheduled = false;
    this.clock.tick();
    for (const listener of this.writeListeners) listener();
  }

  /** Runs a function by path and reports it the way the sync and HTTP protocols need. */
  async call(request: CallRequest): Promise<CallOutcome> {
    const udfPath = canonicalizeUdfPath(request.udfPath);
    const invocation: Invocation = {
      listener: this.listener,
      functionName: udfPath,
      logLines: [],
      finished: false,
      ...(request.kind === "query" || request.kind === "any"
        ? { journal: { pinnedEndCursor: decodeJournal(request.journal), endCursor: null } }
        : {}),
    };
    try {
      return await this.execute(request, udfPath, invocation);
    } catch (error) {
      // Not the function's own failure (a module that does not load, say): still an answer.
      const message = error instanceof Error ? error.message : String(error);
      return failure(invocation, serverError(`InternalServerError: ${message}`));
    } finally {
      invocation.finished = true;
    }
  }

  private async execute(request: CallRequest, udfPath: string, invocation: Invocation): Promise<CallOutcome> {
    const fail = (errorMessage: string, errorData?: JSONValue) => failure(invocation, errorMessage, errorData);
    const resolved = await this.options.registry.resolve(udfPath);
    if (!resolved || (resolved.visibility === "internal" && !request.allowInternal)) {
      return fail(serverError(missingFunctionMessage(udfPath)));
    }
    if (request.kind !== "any" && resolved.kind !== request.kind) {
      return fail(serverError(`Trying to execute ${udfPath} as ${title(request.kind)}, but it is defined as ${title(resolved.kind)}.`));
    }
    let args: Record<string, Value>;
    try {
      args = decodeArgs(request.args);
    } catch (error) {
      return fail(serverError(`InvalidArguments: ${(error as Error).message}`));
    }
    const argsProblem = checkArgs(resolved.fn.exportArgs(), args);
    if (argsProblem) return fail(serverError(argsProblem));

    const accessor = request.identity ? this.t.withIdentity(request.identity) : this.t;
    const reference = makeFunctionReference<typeof resolved.kind>(udfPath);
    try {
      const run = accessor[resolved.kind] as (ref: unknown, args: unknown) => Promise<Value>;
      const value = await invocationStorage.run(invocation, () => run(reference, args));
      const ts = resolved.kind === "mutation" ? this.clock.tick() : undefined;
      return { success: true, value: convexToJson(value ?? null), ts, logLines: invocation.logLines, journal: journalOf(invocation) };
    } catch (thrown) {
      const { errorMessage, errorData } = describeThrown(thrown, this.options.convexDir);
      // Queries re-run on every write; only one-off calls are worth a line.
      if (resolved.kind !== "query") this.options.print(`${udfPath} [ERROR] ${errorMessage.split("\n").slice(1).join("\n")}`);
      return fail(errorMessage, errorData);
    }
  }

  /** Runs an HTTP action from `convex/http.ts` as `identity`. */
  async fetch(pathAndQuery: string, init: RequestInit, identity: UserIdentity | null): Promise<Response> {
    const accessor = identity ? this.t.withIdentity(identity) : this.t;
    const invocation: Invocation = {
      listener: this.listener,
      functionName: `http ${init.method ?? "GET"} ${pathAndQuery.split("?")[0]}`,
      logLines: [],
      finished: false,
    };
    try {
      return await invocationStorage.run(invocation, () => accessor.fetch(pathAndQuery, init));
    } finally {
      invocation.finished = true;
    }
  }

  /** Every table of the schema plus the system tables, as Convex JSON. */
  async exportTables(): Promise<Record<string, JSONValue[]>> {
    const tables = Object.keys(this.options.schema?.tables ?? {});
    return await this.t.run(async (ctx) => {
      const out: Record<string, JSONValue[]> = {};
      for (const table of tables) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const docs = await (ctx.db as any).query(table).collect();
        out[table] = docs.map((doc: Value) => convexToJson(doc));
      }
      for (const table of ["_scheduled_functions", "_storage"] as const) {
        const docs = await ctx.db.system.query(table).collect();
        out[table] = docs.map((doc) => convexToJson(doc as unknown as Value));
      }
      return out;
    });
  }

  /** Empties the database by starting over on a fresh instance. */
  reset(): void {
    this.t = this.freshInstance();
    this.noteWrite();
  }

  close(): void {
    this.removeHooks();
    this.writeListeners.clear();
  }
}

const journalOf = (invocation: Invocation) => encodeJournal(invocation.journal?.endCursor ?? null);

function failure(invocation: Invocation, errorMessage: string, errorData?: JSONValue): CallOutcome {
  return {
    success: false,
    errorMessage,
    ...(errorData !== undefined ? { errorData } : {}),
    logLines: invocation.logLines,
    journal: journalOf(invocation),
  };
}

function title(kind: FunctionKind): string {
  return kind[0]!.toUpperCase() + kind.slice(1);
}

function decodeArgs(args: JSONValue): Record<string, Value> {
  const single = Array.isArray(args) ? (args.length === 0 ? {} : args[0]) : args;
  if (Array.isArray(args) && args.length > 1) throw new Error("Expected a single argument object");
  const value = jsonToConvex(single ?? {});
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof ArrayBuffer) {
    throw new Error("The arguments to a Convex function must be an object.");
  }
  return value as Record<string, Value>;
}
