/**
 * Runs several long-lived commands side by side (`convex dev` + `next dev`, the offline
 * sandbox + `next dev`, …) with each output line prefixed by its process's name.
 * Every child gets its own process group and is stopped as a group, so servers that
 * spawn workers (next dev does) leave nothing behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { constants } from "node:os";
import { createInterface } from "node:readline";

/** One command to run. */
export type ProcessSpec = {
  /** Short label printed before each of its lines, e.g. "convex". */
  name: string;
  command: string;
  args?: readonly string[];
  /** Added to (and overriding) this process's environment; `undefined` removes a variable. */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /**
   * When set, the processes listed after this one start only once a line of its output
   * matches. If it exits before that, everything stops and the run fails.
   */
  readyPattern?: RegExp;
};

export type RunTogetherOptions = {
  /** Where prefixed stdout lines go (default `process.stdout`). */
  stdout?: NodeJS.WritableStream;
  /** Where prefixed stderr lines and the runner's own notes go (default `process.stderr`). */
  stderr?: NodeJS.WritableStream;
  /** Aborting stops everything, as SIGTERM would. */
  signal?: AbortSignal;
  /** Stop everything on SIGINT, SIGTERM and SIGHUP sent to this process (default true). */
  handleSignals?: boolean;
  /** How long a stopped group may take before it is sent SIGKILL (default 5 s). */
  killTimeoutMs?: number;
  /** Colour the prefixes (default: when `stdout` is a TTY). Also sets FORCE_COLOR for children. */
  color?: boolean;
};

/** Grace period between SIGTERM/SIGINT and SIGKILL. */
export const DEFAULT_KILL_TIMEOUT_MS = 5_000;
/** How often a stopped group is checked for remaining members. */
const GROUP_POLL_MS = 50;
/** How long to wait for a child's last output lines after it exited. */
const OUTPUT_FLUSH_MS = 200;
/** Conventional exit code when a command cannot be started (shells use it for "not found"). */
const SPAWN_FAILED_EXIT_CODE = 127;
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const COLORS = [36, 35, 33, 32, 34, 31];

/** 128 + the signal's number, as shells report a process killed by a signal. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 15);
}

type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };
type Running = {
  spec: ProcessSpec;
  child: ChildProcess;
  /** Resolves when the process has exited and its output is flushed. */
  exited: Promise<ExitStatus>;
  /** Resolves true when its `readyPattern` matched (at once without one), false if it exited first. */
  ready: Promise<boolean>;
  wasReady: boolean;
};

/**
 * Starts the processes in order and resolves, once all of them (and their process
 * groups) are gone, with the code this script should exit with: 0 when every process
 * exited 0; the first failing process's code (128+n for a signal n) when one fails, in
 * which case the others are stopped; 128+n when this process received signal n
 * (130 for Ctrl-C); 143 when `signal` aborted.
 * @example process.exitCode = await runTogether([{ name: "web", command: "next", args: ["dev"] }]);
 */
export async function runTogether(specs: readonly ProcessSpec[], options: RunTogetherOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const killTimeoutMs = options.killTimeoutMs ?? DEFAULT_KILL_TIMEOUT_MS;
  const color = options.color ?? Boolean((stdout as { isTTY?: boolean }).isTTY);
  const width = Math.max(0, ...specs.map((spec) => spec.name.length));
  const running: Running[] = [];
  let result: number | null = null;
  let stopping: Promise<void> | null = null;

  const note = (text: string) => stderr.write(color ? `\x1b[2m» ${text}\x1b[0m\n` : `» ${text}\n`);

  const stopAll = (signal: NodeJS.Signals, exitCode: number) => {
    result ??= exitCode;
    stopping ??= Promise.all(running.map((r) => stopGroup(r, signal, killTimeoutMs))).then(() => {});
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the user does not want to wait for a graceful stop.
      for (const { child } of running) killGroup(child, "SIGKILL");
      return;
    }
    note(`received ${signal}, stopping ${running.map((r) => r.spec.name).join(" and ") || "everything"}`);
    stopAll(signal, signalExitCode(signal));
  };
  const onAbort = () => onSignal("SIGTERM");
  const onChildExit = (exited: Running, status: ExitStatus) => {
    if (stopping) return;
    const { name, readyPattern } = exited.spec;
    if (status.code === 0 && (!readyPattern || exited.wasReady)) {
      note(`${name} exited`);
      return;
    }
    const code = status.code === 0 ? 1 : (status.code ?? signalExitCode(status.signal ?? "SIGTERM"));
    const others = running.filter((r) => r !== exited && r.child.exitCode === null && r.child.signalCode === null).map((r) => r.spec.name);
    const what = status.code === 0 ? "exited before it was ready" : `exited with code ${code}`;
    note(`${name} ${what}${others.length > 0 ? `, stopping ${others.join(" and ")}` : ""}`);
    stopAll("SIGTERM", code);
  };
  // If this process exits without stopping its children (an uncaught error), take them along.
  const onProcessExit = () => running.forEach(({ child }) => killGroup(child, "SIGKILL"));

  if (options.handleSignals ?? true) for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  options.signal?.addEventListener("abort", onAbort);
  process.on("exit", onProcessExit);

  try {
    for (const [index, spec] of specs.entries()) {
      if (stopping || options.signal?.aborted) break;
      const prefix = formatPrefix(spec.name, width, color ? COLORS[index % COLORS.length] : null);
      const started = start(spec, prefix, { stdout, stderr, color });
      running.push(started);
      void started.exited.then((status) => onChildExit(started, status));
      // Later processes wait for this one's ready line (or its exit, or a stop).
      await started.ready;
    }
    if (options.signal?.aborted && !stopping) onAbort();
    await Promise.all(running.map((r) => r.exited));
    if (stopping) await stopping;
    return result ?? 0;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    options.signal?.removeEventListener("abort", onAbort);
    process.off("exit", onProcessExit);
    // A grandchild that left its group may still hold a pipe open; do not wait for it.
    for (const { child } of running) {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
  }
}

function formatPrefix(name: string, width: number, color: number | null): string {
  const label = `${name.padEnd(width)} |`;
  return color === null ? `${label} ` : `\x1b[${color}m${label}\x1b[0m `;
}

function childEnv(spec: ProcessSpec, color: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Piped output makes most CLIs drop colours; keep them when the terminal shows them.
  if (color && env.NO_COLOR === undefined) env.FORCE_COLOR ??= "1";
  for (const [key, value] of Object.entries(spec.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function start(
  spec: ProcessSpec,
  prefix: string,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; color: boolean },
): Running {
  const child = spawn(spec.command, spec.args ?? [], {
    cwd: spec.cwd,
    env: childEnv(spec, io.color),
    // No stdin: two children cannot share one terminal's input, and a CLI that sees no
    // TTY does not stop to ask questions.
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group (setsid), so it can be stopped with everything it spawned.
    detached: process.platform !== "win32",
  });
  let markReady: (ready: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => (markReady = resolve));
  const running: Running = { spec, child, exited: Promise.resolve({ code: null, signal: null }), ready, wasReady: false };
  const setReady = (value: boolean) => {
    running.wasReady ||= value;
    markReady(value);
  };
  if (!spec.readyPattern) setReady(true);

  const pipeLines = (stream: NodeJS.ReadableStream | null, target: NodeJS.WritableStream) => {
    if (!stream) return Promise.resolve();
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on("line", (line) => {
      target.write(`${prefix}${line}\n`);
      if (spec.readyPattern?.test(line)) setReady(true);
    });
    return new Promise<void>((resolve) => lines.once("close", resolve));
  };
  const outputDone = Promise.all([pipeLines(child.stdout, io.stdout), pipeLines(child.stderr, io.stderr)]);

  running.exited = new Promise<ExitStatus>((resolve) => {
    child.once("error", (error) => {
      io.stderr.write(`${prefix}${error.message}\n`);
      // A command that could not be spawned emits no "exit"; report it like a shell would.
      if (child.pid === undefined) resolve({ code: SPAWN_FAILED_EXIT_CODE, signal: null });
    });
    child.once("exit", (code, signal) => {
      // Flush the last lines, without hanging on a pipe a stray grandchild keeps open.
      void withTimeout(outputDone, OUTPUT_FLUSH_MS).then(() => resolve({ code, signal }));
    });
  }).finally(() => setReady(false));
  return running;
}

/** Sends `signal` to the child's whole process group; a group that is already gone is fine. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === "win32") child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/**
 * True while a member of the child's group still runs. On Linux, zombies do not count:
 * an orphaned worker that exited waits to be reaped by PID 1, and in many containers
 * PID 1 takes its time (or never does), which would stall every stop for the full timeout.
 */
function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  if (process.platform === "win32") return child.exitCode === null && child.signalCode === null;
  try {
    process.kill(-child.pid, 0);
  } catch {
    return false;
  }
  return process.platform === "linux" ? hasRunningMember(child.pid) : true;
}

/** True while a process of the group (not a zombie) still runs. Shared with the e2e harness. */
export function hasRunningMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

/**
 * Signals the group, waits for its leader and every other member to leave (up to the
 * timeout), then SIGKILLs whatever is left.
 */
async function stopGroup({ child, exited }: Running, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  killGroup(child, signal);
  const deadline = Date.now() + timeoutMs;
  await withTimeout(exited, timeoutMs);
  while (groupAlive(child) && Date.now() < deadline) await sleep(GROUP_POLL_MS);
  if (groupAlive(child)) killGroup(child, "SIGKILL");
  await exited;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `promise`, or `ms` at most; the timer does not outlive the promise. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
