/**
 * The pure parts of the provider call pipeline: the rules for caller headers, the
 * redacted log excerpts and the hourly counters. The Convex side (`convex/calls/`)
 * does the I/O; request building and sending are `lib/http/`.
 */
export * from "./headers";
export * from "./call-log";
export * from "./counters";
