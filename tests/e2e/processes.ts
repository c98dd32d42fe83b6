/**
 * The servers behind the browser tests, each in its own process group (setsid), so
 * stopping one stops everything it spawned (`next start` forks a worker that would
 * otherwise keep the port). Output goes to a log file, not the console.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { hasRunningMember } from "../../scripts/run-together";

/** How long a server may take to print its ready line. */
const READY_TIMEOUT_MS = 60_000;
/** Between SIGTERM and SIGKILL. */
const STOP_TIMEOUT_MS = 5_000;
const GROUP_POLL_MS = 50;

export type ServerSpec = {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  /** The complete environment of the child. */
  env: NodeJS.ProcessEnv;
  /** A line of its output that says it is ready; its match is returned. */
  readyPattern: RegExp;
  logFile: string;
};

export type RunningServer = {
  name: string;
  pid: number;
  /** The ready line's match (capture groups carry URLs). */
  ready: RegExpMatchArray;
  logFile: string;
  /** Stops the whole process group: SIGTERM, then SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();

// Last resort: if this process exits without stopping them (an uncaught error, a
// second Ctrl-C), take every group down with it.
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

/** Starts a server in its own process group and resolves once its ready line appears. */
export function startServer(spec: ServerSpec): Promise<RunningServer> {
  const log = createWriteStream(spec.logFile, { flags: "a" });
  log.write(`\n$ ${spec.command} ${spec.args.join(" ")}\n`);
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  void exited.then(() => running.delete(child));

  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= stopGroup(child, exited).finally(() => log.end()));
  // A server that dies mid-run makes tests time out; say why where it will be seen.
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`» ${spec.name} exited unexpectedly (code ${code ?? "none"}, signal ${signal ?? "none"}); its log: ${spec.logFile}`);
  });

  return new Promise<RunningServer>((resolve, reject) => {
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${spec.name} ${reason}; its output is in ${spec.logFile}\n${tail(spec.logFile)}`)));
    };
    const timer = setTimeout(() => fail(`printed no ready line within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    const onLine = (line: string) => {
      log.write(`${line}\n`);
      const match = spec.readyPattern.exec(line);
      if (!match || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ name: spec.name, pid: child.pid!, ready: match, logFile: spec.logFile, stop });
    };
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on("line", onLine);
    }
    child.once("error", (error) => fail(`could not start: ${error.message}`));
    child.once("exit", (code, signal) => fail(`exited before it was ready (code ${code ?? "none"}, signal ${signal ?? "none"})`));
  });
}

/** A TCP port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** True when `port` on 127.0.0.1 can be bound. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** The last lines of a log, for failure messages. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/**
 * True while a member of the group still runs. Zombies do not count: in containers
 * PID 1 may never reap an orphaned worker, which would stall every stop.
 */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return hasRunningMember(pgid);
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined) return;
  killGroup(child, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (groupAlive(child.pid) && Date.now() < deadline) await sleep(GROUP_POLL_MS);
  if (groupAlive(child.pid)) killGroup(child, "SIGKILL");
  await Promise.race([exited, sleep(STOP_TIMEOUT_MS)]);
  child.stdout?.destroy();
  child.stderr?.destroy();
  running.delete(child);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
