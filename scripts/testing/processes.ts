/** Helpers for tests that start real processes. */
import { readFileSync } from "node:fs";

/**
 * True while `pid` is a live process. A zombie (exited, not yet reaped by its new parent)
 * counts as gone: it runs nothing and holds no port.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; the state follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return process.platform !== "linux";
  }
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The numbers in lines like `<label> pid=<n>` within `text`. */
export function pidsIn(text: string, label: string): number[] {
  return [...text.matchAll(new RegExp(`${label} pid=(\\d+)`, "g"))].map((match) => Number(match[1]));
}
