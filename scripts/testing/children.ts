/** Tiny `node -e` programs for tests that run real child processes. */

/** Prints its pid and a grandchild's pid, then runs until killed. */
export const SERVER_WITH_WORKER = `
const { spawn } = require("node:child_process");
const worker = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
console.log("server pid=" + process.pid);
console.log("worker pid=" + worker.pid);
setInterval(() => {}, 1000);
`;

/** Prints its pid and "ready", then runs until killed; ignores SIGTERM when asked to. */
export function longRunning(options: { ignoreSigterm?: boolean } = {}): string {
  return `
${options.ignoreSigterm ? 'process.on("SIGTERM", () => console.log("ignoring SIGTERM"));' : ""}
console.log("long pid=" + process.pid);
console.log("ready");
setInterval(() => {}, 1000);
`;
}

/** Prints a line on stdout and one on stderr, then exits with `code` after `delayMs`. */
export function printAndExit(label: string, code: number, delayMs = 0): string {
  return `
console.log("hello from ${label}");
console.error("warning from ${label}");
setTimeout(() => process.exit(${code}), ${delayMs});
`;
}
