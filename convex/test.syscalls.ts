/**
 * What Convex functions ask of the database, seen from outside: a recorder of the
 * syscalls convex-test serves (the `Convex` global every function's `ctx.db` goes
 * through), for tests and the bench. It tells which documents a query read and which
 * documents functions wrote (and which function wrote each), so "would this
 * subscription have re-run?" can be asked the way Convex decides it: a write to a
 * document the query read, or into a table it read a range of. (Two dots in the
 * name: Convex, the test module map and the sandbox all skip this file.)
 *
 * Writes are recorded as they are made; a mutation that then throws is rolled back
 * but its writes stay recorded, so counts are an upper bound. An action's
 * `runQuery`/`runMutation` are not syscalls under convex-test (it hands actions
 * direct functions), so round trips are counted where the ctx is made (bench/pipeline.ts).
 */

type Syscalls = {
  syscall: (op: string, json: string) => string;
  asyncSyscall: (op: string, json: string) => Promise<string>;
  jsSyscall: (op: string, args: unknown) => unknown;
};

export type RecordedWrite = {
  kind: "insert" | "patch" | "replace" | "delete";
  table: string;
  id: string;
  /** The function that wrote it (`calls/logs:record`), as Convex names it. */
  by: string;
};

type Listener = {
  write?(write: RecordedWrite): void;
  /** Documents read (and, for an index range or scan, its table) by the function `by`. */
  read?(read: { table: string | null; ids: string[]; by: string }): void;
};

const listeners = new Set<Listener>();
let installed = false;

const WRITES: Record<string, RecordedWrite["kind"]> = {
  "1.0/insert": "insert",
  "1.0/shallowMerge": "patch",
  "1.0/replace": "replace",
  "1.0/remove": "delete",
};

/** The table of a convex-test id (`10004;connections`): its generated ids end with the table name. */
function tableOf(id: string): string {
  return /[A-Za-z_][A-Za-z0-9_]*$/.exec(id)?.[0] ?? "";
}

function idsIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) idsIn(item, into);
  else if (value && typeof value === "object") {
    const id = (value as { _id?: unknown })._id;
    if (typeof id === "string") into.push(id);
    else for (const item of Object.values(value)) idsIn(item, into);
  }
  return into;
}

type QuerySource = { source: { indexName?: string; tableName?: string } };

function tableOfQuery(query: QuerySource): string {
  return query.source.tableName ?? query.source.indexName?.split(".")[0] ?? "";
}

// A query stream is opened by a synchronous syscall, which cannot ask whose it is; its
// table is remembered by stream id and reported with the stream's first page, read by
// an asynchronous one that can.
const streamTables = new Map<number, string>();

/** Async syscalls whose observation needs the calling function's name. */
const NAMED = new Set([...Object.keys(WRITES), "1.0/get", "1.0/queryStreamNext", "1.0/queryPage"]);

function observe(op: string, args: string, result: string, by: string) {
  if (listeners.size === 0) return;
  const write = WRITES[op];
  if (write) {
    const parsed = JSON.parse(args) as { table?: string; id?: string };
    const id = write === "insert" ? (JSON.parse(result) as { _id: string })._id : parsed.id!;
    for (const listener of listeners) listener.write?.({ kind: write, table: parsed.table ?? tableOf(id), id, by });
  } else if (op === "1.0/queryStream") {
    const { query } = JSON.parse(args) as { query: QuerySource };
    streamTables.set((JSON.parse(result) as { queryId: number }).queryId, tableOfQuery(query));
  } else if (op === "1.0/queryStreamNext" || op === "1.0/queryPage" || op === "1.0/get") {
    const parsed = JSON.parse(args) as { queryId?: number; query?: QuerySource };
    const table =
      op === "1.0/queryStreamNext" ? (streamTables.get(parsed.queryId!) ?? null) : op === "1.0/queryPage" ? tableOfQuery(parsed.query!) : null;
    const ids = idsIn(JSON.parse(result));
    for (const listener of listeners) listener.read?.({ table, ids, by });
  }
}

async function functionName(call: Syscalls["asyncSyscall"]): Promise<string> {
  try {
    return (JSON.parse(await call("1.0/getFunctionMetadata", "{}")) as { name?: string }).name ?? "";
  } catch {
    return "";
  }
}

/** Wraps the `Convex` global once; it must exist (convexTest() installs it). */
function install() {
  if (installed) return;
  const global = globalThis as unknown as { Convex?: Syscalls };
  const inner = global.Convex;
  if (!inner) throw new Error("No Convex global: create the convex-test backend first.");
  installed = true;
  global.Convex = {
    get syscall() {
      const call = inner.syscall;
      return (op: string, args: string) => {
        const result = call(op, args);
        observe(op, args, result, "");
        return result;
      };
    },
    get asyncSyscall() {
      const call = inner.asyncSyscall;
      return async (op: string, args: string) => {
        const result = await call(op, args);
        // Still inside the function that made it: ask convex-test which one it is.
        const by = listeners.size > 0 && NAMED.has(op) ? await functionName(call) : "";
        observe(op, args, result, by);
        return result;
      };
    },
    get jsSyscall() {
      return inner.jsSyscall;
    },
  };
}

/** Records every write from now until `stop()`. */
export function recordDatabase() {
  install();
  const writes: RecordedWrite[] = [];
  const listener: Listener = { write: (w) => writes.push(w) };
  listeners.add(listener);
  return { writes, stop: () => listeners.delete(listener) };
}

/** What a query read: the documents, and the tables it read index ranges (or scans) of. */
export type ReadSet = { ids: Set<string>; rangeTables: Set<string> };

/**
 * Runs `run` (one call of the query `name`, as Convex names it) and returns what that
 * query read. Functions running meanwhile (a scheduled job) are told apart by name.
 */
export async function readSetOf(name: string, run: () => Promise<unknown>): Promise<ReadSet> {
  install();
  const set: ReadSet = { ids: new Set(), rangeTables: new Set() };
  const listener: Listener = {
    read({ table, ids, by }) {
      if (by !== name) return;
      for (const id of ids) set.ids.add(id);
      if (table !== null) set.rangeTables.add(table);
    },
  };
  listeners.add(listener);
  try {
    await run();
  } finally {
    listeners.delete(listener);
  }
  return set;
}

/**
 * True when a subscription with this read set would be re-run by the write: it wrote
 * a document the query read, or any document of a table the query read a range of
 * (a new or moved row may fall in the range; counting every one is the upper bound).
 */
export function invalidates(readSet: ReadSet, write: RecordedWrite): boolean {
  return readSet.ids.has(write.id) || readSet.rangeTables.has(write.table);
}
