import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runTogether, signalExitCode, type ProcessSpec, type RunTogetherOptions } from "./run-together";
import { longRunning, printAndExit, SERVER_WITH_WORKER } from "./testing/children";
import { isAlive, pidsIn, waitFor } from "./testing/processes";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function node(name: string, script: string, extra: Partial<ProcessSpec> = {}): ProcessSpec {
  return { name, command: process.execPath, args: ["-e", script], ...extra };
}

/** Captures what runTogether prints; `text()` is everything so far, stdout and stderr. */
function capture() {
  let text = "";
  const stream = () => {
    const s = new PassThrough();
    s.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    return s;
  };
  return { stdout: stream(), stderr: stream(), text: () => text };
}

// Anything a failed test leaves running is killed here, so one failure does not cascade.
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
});

function run(specs: ProcessSpec[], options: RunTogetherOptions = {}) {
  const out = capture();
  const result = runTogether(specs, { handleSignals: false, color: false, killTimeoutMs: 2_000, ...out, ...options });
  return { result, text: out.text };
}

describe("runTogether", () => {
  it("prefixes each line with its process's name and resolves 0 when all exit 0", async () => {
    const { result, text } = run([node("convex", printAndExit("convex", 0)), node("next", printAndExit("next", 0))]);
    expect(await result).toBe(0);
    const lines = text().split("\n");
    expect(lines).toContain("convex | hello from convex");
    expect(lines).toContain("convex | warning from convex");
    expect(lines).toContain("next   | hello from next");
    expect(lines).toContain("next   | warning from next");
  });

  it("stops both processes and everything they spawned when aborted", async () => {
    const abort = new AbortController();
    const { result, text } = run([node("a", SERVER_WITH_WORKER), node("b", SERVER_WITH_WORKER)], { signal: abort.signal });
    const pids = await waitFor(() => {
      const found = [...pidsIn(text(), "server"), ...pidsIn(text(), "worker")];
      return found.length === 4 && found;
    }, "both servers and their workers");
    started.push(...pids);
    expect(pids.every(isAlive)).toBe(true);

    abort.abort();
    expect(await result).toBe(signalExitCode("SIGTERM"));
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it("stops the other process when one fails, and resolves with the failing exit code", async () => {
    const { result, text } = run([node("server", SERVER_WITH_WORKER), node("broken", printAndExit("broken", 3, 300))]);
    const pids = await waitFor(() => {
      const found = [...pidsIn(text(), "server"), ...pidsIn(text(), "worker")];
      return found.length === 2 && found;
    }, "the server and its worker");
    started.push(...pids);

    expect(await result).toBe(3);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(text()).toContain("broken exited with code 3, stopping server");
  });

  it("reports a process killed by a signal as 128 + the signal number", async () => {
    const { result } = run([node("victim", 'process.kill(process.pid, "SIGKILL")')]);
    expect(await result).toBe(signalExitCode("SIGKILL"));
    expect(signalExitCode("SIGKILL")).toBe(137);
  });

  it("starts later processes only after readyPattern matched", async () => {
    const first = node("first", 'setTimeout(() => console.log("compiling"), 50); setTimeout(() => { console.log("listening on 4000"); process.exit(0) }, 300)', {
      readyPattern: /listening on \d+/,
    });
    const { result, text } = run([first, node("second", 'console.log("second started")')]);
    expect(await result).toBe(0);
    const lines = text().split("\n");
    expect(lines.indexOf("second | second started")).toBeGreaterThan(lines.indexOf("first  | listening on 4000"));
  });

  it("fails when a process exits before its readyPattern matched, and starts nothing after it", async () => {
    const { result, text } = run([
      node("first", 'console.log("oops"); process.exit(0)', { readyPattern: /listening/ }),
      node("second", 'console.log("second started")'),
    ]);
    expect(await result).toBe(1);
    expect(text()).toContain("first exited before it was ready");
    expect(text()).not.toContain("second started");
  });

  it("sends SIGKILL to a process that ignores SIGTERM once the grace period is over", async () => {
    const abort = new AbortController();
    const { result, text } = run([node("stubborn", longRunning({ ignoreSigterm: true }))], { signal: abort.signal, killTimeoutMs: 300 });
    const [pid] = await waitFor(() => pidsIn(text(), "long").length === 1 && pidsIn(text(), "long"), "the stubborn process");
    started.push(pid);

    const stoppedAt = Date.now();
    abort.abort();
    expect(await result).toBe(signalExitCode("SIGTERM"));
    expect(isAlive(pid)).toBe(false);
    expect(text()).toContain("ignoring SIGTERM");
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(250);
  });

  it("resolves 127 when a command cannot be started, and stops the others", async () => {
    const { result, text } = run([node("server", longRunning()), { name: "missing", command: "/nonexistent/switchboard-binary" }]);
    expect(await result).toBe(127);
    expect(text()).toMatch(/missing \| .*ENOENT/);
    const [pid] = pidsIn(text(), "long");
    expect(pid === undefined || !isAlive(pid)).toBe(true);
  });

  it("passes env (undefined removes a variable) and cwd to the child", async () => {
    process.env.SWITCHBOARD_TEST_REMOVE_ME = "present";
    try {
      const { result, text } = run([
        node("env", 'console.log(process.env.GREETING, process.env.SWITCHBOARD_TEST_REMOVE_ME ?? "removed", process.cwd())', {
          env: { GREETING: "hi", SWITCHBOARD_TEST_REMOVE_ME: undefined },
          cwd: "/",
        }),
      ]);
      expect(await result).toBe(0);
      expect(text()).toContain("env | hi removed /");
    } finally {
      delete process.env.SWITCHBOARD_TEST_REMOVE_ME;
    }
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("stops both processes and their workers when the runner receives %s, exiting %i", async (signal, code) => {
    const runner = spawn(process.execPath, ["--import", "tsx", "scripts/testing/run-together-fixture.ts"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    runner.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    runner.stderr.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    const exited = new Promise<number | null>((resolve) => runner.once("exit", (exitCode) => resolve(exitCode)));
    started.push(runner.pid!);

    const pids = await waitFor(() => {
      const found = [...pidsIn(text, "server"), ...pidsIn(text, "worker")];
      return found.length === 4 && found;
    }, "the fixture's servers and workers", 20_000);
    started.push(...pids);

    runner.kill(signal);
    expect(await exited).toBe(code);
    expect(text).toContain(`received ${signal}, stopping one and two`);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 30_000);
});
