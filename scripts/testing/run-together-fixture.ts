/**
 * Runs two long-lived children with runTogether and its default signal handling, so a
 * test can send this process SIGINT/SIGTERM as a terminal or `kill` would.
 */
import { runTogether } from "../run-together";
import { SERVER_WITH_WORKER } from "./children";

process.exitCode = await runTogether(
  [
    { name: "one", command: process.execPath, args: ["-e", SERVER_WITH_WORKER] },
    { name: "two", command: process.execPath, args: ["-e", SERVER_WITH_WORKER] },
  ],
  { killTimeoutMs: 2_000 },
);
